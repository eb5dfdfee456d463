// Database time for every rule that depends on "now" (session expiry, extension window,
// appointment start). The offset to the database clock is measured at start and refreshed,
// so reading the time costs no round trip and several instances agree on it.
import type pg from 'pg';

/** Where every rule reads "now" (database time in the app, a manual clock in tests). */
export interface Clock {
  now(): Date;
}

/** The database clock, refreshed in the background until stopped. */
export interface DatabaseClock extends Clock {
  stop(): void;
}

/** One reading of the database clock: its offset to ours and the round trip it was taken in. */
interface ClockSample {
  offsetMs: number;
  roundTripMs: number;
}

/**
 * The database clock's offset, read `samples` times on one connection held for it, keeping the
 * reading with the shortest round trip. A reading taken through the pool under load counted the
 * wait for a connection as if it were the way there: half of that wait went into the offset
 * (test/database-clock.test.ts: 204 ms off with a 400 ms wait). On a held connection only the query's own round trip is uncertain, and the shortest of a few is
 * the one least delayed by this process's event loop.
 */
export async function measureClockOffset(pool: pg.Pool, samples = 3): Promise<ClockSample> {
  const client = await pool.connect();
  try {
    let best: ClockSample | undefined;
    for (let i = 0; i < samples; i += 1) {
      const before = Date.now();
      const { rows } = await client.query<{ now: Date }>('SELECT clock_timestamp() AS now');
      const after = Date.now();
      const sample = { offsetMs: rows[0]!.now.getTime() - (before + after) / 2, roundTripMs: after - before };
      if (!best || sample.roundTripMs < best.roundTripMs) best = sample;
    }
    return best!;
  } finally {
    client.release();
  }
}

/**
 * Measures the offset to the database clock now and every `refreshMs`. A refresh whose best round
 * trip is over `maxRoundTripMs` (a stalled process or database) keeps the offset it has.
 */
export async function databaseClock(pool: pg.Pool, refreshMs = 60_000, maxRoundTripMs = 20): Promise<DatabaseClock> {
  let offsetMs = (await measureClockOffset(pool)).offsetMs;
  const refresh = async () => {
    const sample = await measureClockOffset(pool);
    if (sample.roundTripMs <= maxRoundTripMs) offsetMs = sample.offsetMs;
  };
  const timer = setInterval(() => void refresh().catch(() => undefined), refreshMs);
  timer.unref();
  return { now: () => new Date(Date.now() + offsetMs), stop: () => clearInterval(timer) };
}

/** A clock tests move by hand. */
export function manualClock(start = new Date()): Clock & { set(date: Date): void; advance(ms: number): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (date) => void (current = date.getTime()),
    advance: (ms) => void (current += ms),
  };
}
