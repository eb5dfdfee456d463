// The fence a cached customer identity waits behind (issue 26, item 2). Every change that can end or
// alter a customer's sign-in (revoked, shortened, deleted; the customer disabled or edited) is
// counted by the database itself, in the changing transaction (migration 0031's triggers): it takes
// the next epoch of the one `IdentityEpoch` row, under that row's lock, and writes what changed at
// that epoch. The lock is held to commit, so epochs become visible in order.
//
// Before a request trusts a cached customer identity it waits for a fence read that *started after
// the request arrived*: the read sees every change committed before then, and the changes since the
// last read drop their entries from the cache. So a sign-out, a disabled account or a password change
// committed on any instance is refused on every instance's next request, as for staff views (whose
// audit append confirms them instead). Requests that arrive while a read is in flight share the next
// one, so under load one small statement serves many pages instead of one identity join each.
//
// Hand-written because it is this app's own consistency rule: LISTEN/NOTIFY (or Redis) would tell
// instances soon after a commit, but not before their next request.
import type { YogaLogger } from 'graphql-yoga';
import type pg from 'pg';
import type { Services } from '../context.ts';

/**
 * How long a change is kept. An instance whose last read is older finds the gap and drops every
 * cached customer (its entries live a minute at most anyway: identity-cache.ts).
 */
export const REVOCATION_RETENTION_MS = 24 * 60 * 60 * 1000;

/** What the fence drops from the cache. */
export interface RevocationTarget {
  /** Drops the entries of one sign-in. */
  forget(authSessionId: string): void;
  /** Drops every entry of a customer. */
  forgetCustomer(customerId: string): void;
  /** Drops every customer entry (the changes since the last read were pruned). */
  forgetAllCustomers(): void;
}

/** The fence of one app instance. */
export interface RevocationFence {
  /** Resolves once every identity change committed before the call has dropped its cache entries. */
  sync(): Promise<void>;
  /**
   * The last epoch read, or null before the first read. An identity resolved from the database may
   * be cached only when this did not move while it was resolved: a read that moved it may have
   * dropped that sign-in's entry before there was one.
   */
  seen(): bigint | null;
}

const EPOCH = { name: 'identity-epoch', text: 'SELECT "epoch" FROM "IdentityEpoch" WHERE "id" = 1' };
const CHANGES = {
  name: 'identity-revocations',
  text: 'SELECT "epoch", "authSessionId", "customerId" FROM "IdentityRevocation" WHERE "epoch" > $1 ORDER BY "epoch"',
};

interface Change {
  epoch: string;
  authSessionId: string | null;
  customerId: string | null;
}

/**
 * A fence over `pool`. `named` sends its two statements as named prepared statements (off behind a
 * pooler that cannot carry them: DATABASE_PREPARED_STATEMENTS).
 */
export function createRevocationFence(
  pool: Pick<pg.Pool, 'query'>,
  target: RevocationTarget,
  named = true,
): RevocationFence {
  let seen: bigint | null = null;
  /** The read in flight, and the one queued behind it for callers that came after it started. */
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;

  const statement = (query: { name: string; text: string }) => (named ? query : { text: query.text });

  const read = async () => {
    const { rows } = await pool.query<{ epoch: string }>(statement(EPOCH));
    const epoch = BigInt(rows[0]!.epoch);
    if (seen === null) {
      // The first read: nothing cached before it can be vouched for.
      target.forgetAllCustomers();
      seen = epoch;
      return;
    }
    if (epoch === seen) return;
    const changes = await pool.query<Change>({ ...statement(CHANGES), values: [seen.toString()] });
    const first = changes.rows[0];
    if (!first || BigInt(first.epoch) !== seen + 1n) target.forgetAllCustomers();
    for (const change of changes.rows) {
      if (change.authSessionId) target.forget(change.authSessionId);
      if (change.customerId) target.forgetCustomer(change.customerId);
    }
    seen = epoch;
  };

  const start = (): Promise<void> => {
    const done = read().finally(() => {
      running = null;
    });
    running = done;
    return done;
  };

  return {
    seen: () => seen,
    sync() {
      if (!running) return start();
      // A read in flight started before this call: wait for it, then for one of our own.
      queued ??= running
        .catch(() => undefined)
        .then(() => {
          queued = null;
          return start();
        });
      return queued;
    },
  };
}

/** Drops the changes older than {@link REVOCATION_RETENTION_MS} (a background job). */
export async function pruneRevocations(pool: Pick<pg.Pool, 'query'>, now: Date): Promise<number> {
  const result = await pool.query('DELETE FROM "IdentityRevocation" WHERE "createdAt" < $1', [
    new Date(now.getTime() - REVOCATION_RETENTION_MS),
  ]);
  return result.rowCount ?? 0;
}

/** Prunes old changes every hour; returns what stops it. */
export function startRevocationPruning(
  services: Pick<Services, 'pool' | 'clock'>,
  logger: Pick<YogaLogger, 'error'>,
): () => void {
  const timer = setInterval(
    () =>
      void pruneRevocations(services.pool, services.clock.now()).catch((error: unknown) =>
        logger.error('identity changes could not be pruned', { error: String(error) }),
      ),
    60 * 60 * 1000,
  );
  timer.unref();
  return () => clearInterval(timer);
}
