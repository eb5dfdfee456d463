// The database clock's offset (server/db/clock.ts) is read on a connection held for it: a reading
// that had to wait for a busy pool must not count the wait as time on the way to the database.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseClock, measureClockOffset } from '../server/db/clock.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../server/db/embedded.ts';

describe('Database clock', () => {
  let embedded: EmbeddedDatabase | undefined;
  let pool: pg.Pool;

  beforeAll(async () => {
    let url = process.env.DATABASE_URL;
    if (!url) {
      embedded = await startEmbeddedDatabase();
      url = embedded.url;
    }
    // One connection: a second query waits in the pool for the first.
    pool = new pg.Pool({ connectionString: url, max: 1 });
  });
  afterAll(async () => {
    await pool?.end();
    await embedded?.stop();
  });

  it('measures the same clock as ours on this machine, even while the pool is busy', async () => {
    const busy = pool.query('SELECT pg_sleep(0.4)');
    // One reading: the held connection alone must keep the wait out of it.
    const sample = await measureClockOffset(pool, 1);
    await busy;
    // Counting the 400 ms wait would have put the offset about 200 ms ahead.
    expect(Math.abs(sample.offsetMs)).toBeLessThan(50);
    expect(sample.roundTripMs).toBeLessThan(200);
  });

  it('reads "now" from the offset without a round trip', async () => {
    const clock = await databaseClock(pool);
    try {
      const busy = pool.query('SELECT pg_sleep(0.2)');
      const before = Date.now();
      const now = clock.now().getTime();
      expect(Date.now() - before).toBeLessThan(50);
      expect(Math.abs(now - before)).toBeLessThan(50);
      await busy;
    } finally {
      clock.stop();
    }
  });
});
