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

/** Measures the offset to the database clock now and every `refreshMs`. */
export async function databaseClock(pool: pg.Pool, refreshMs = 60_000): Promise<DatabaseClock> {
  let offsetMs = 0;
  const measure = async () => {
    const before = Date.now();
    const { rows } = await pool.query<{ now: Date }>('SELECT clock_timestamp() AS now');
    const after = Date.now();
    offsetMs = rows[0]!.now.getTime() - (before + after) / 2;
  };
  await measure();
  const timer = setInterval(() => void measure().catch(() => undefined), refreshMs);
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
