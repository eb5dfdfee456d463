// Group commit for the audit records written on their own (not inside a change's transaction):
// records that arrive while earlier appends are in flight wait and go together in one call of
// `append_audit_events` (migration 0015): one statement, one transaction, one WAL flush per batch
// instead of one per record (issue 13, target 3). Under light load every record is flushed on the
// next turn of the event loop, alone, so nothing waits for a batch to fill; under load batches grow
// by themselves, as PostgreSQL's own commit_delay does for WAL flushes.
//
// Each caller still learns its own record's fate before anything is served: its id, null when its
// sign-in was no longer live (nothing written for it), or the error. A batch that fails is retried
// record by record, so one record the database refuses fails only its own operation.
//
// Written here rather than taken from a library: the batching is twenty lines, and what matters is
// the per-record outcome and fallback above, which a generic batcher (e.g. DataLoader, made for
// reads with one cache key per item) would not give.
import type pg from 'pg';
import { appendArguments, auditShard, timed, type AuditEntry } from './chain.ts';

/** How many records one statement appends at most. */
const MAX_BATCH = 256;

/** What the batcher needs: any pg pool or client (the app's pool; one connection on PGlite). */
type Queryable = Pick<pg.Pool, 'query'>;

interface Pending {
  entry: AuditEntry;
  liveSignIn: string | null;
  resolve(id: bigint | null): void;
  reject(error: unknown): void;
}

/** Appends audit records with group commit (createAuditBatcher). */
export interface AuditBatcher {
  /**
   * Appends `entry`; with `liveSignIn`, only if that impersonation sign-in is live at the
   * database's now(), in the same statement (auth/identity-cache.ts relies on it). Resolves the id, or null when it was not live.
   */
  append(entry: AuditEntry, liveSignIn?: string | null): Promise<bigint | null>;
}

/** The ids `append_audit_events` returns (pg reads a bigint[] as strings). */
const ids = (value: (string | null)[]) => value.map((id) => (id === null ? null : BigInt(id)));

async function appendBatch(db: Queryable, batch: Pending[]): Promise<(bigint | null)[]> {
  const entries: string[] = [];
  const contents: string[] = [];
  const chains: number[] = [];
  const liveSignIns: (string | null)[] = [];
  for (const { entry, liveSignIn } of batch) {
    const { row, content } = appendArguments(entry);
    entries.push(row);
    contents.push(content);
    chains.push(auditShard(entry));
    liveSignIns.push(liveSignIn);
  }
  const { rows } = await db.query<{ ids: (string | null)[] }>(
    'SELECT append_audit_events($1::jsonb[], $2::text[], $3::smallint[], $4::text[]) AS ids',
    [entries, contents, chains, liveSignIns],
  );
  const appended = ids(rows[0]!.ids);
  if (appended.length !== batch.length) throw new Error('append_audit_events returned a wrong number of ids');
  return appended;
}

/**
 * One batcher per pool: at most `maxInFlight` statements at a time (default 2: one being written
 * while the next gathers), each taking every record waiting, up to MAX_BATCH.
 */
export function createAuditBatcher(db: Queryable, options: { maxInFlight?: number } = {}): AuditBatcher {
  const maxInFlight = options.maxInFlight ?? 2;
  const queue: Pending[] = [];
  let inFlight = 0;
  let scheduled = false;

  const flush = async (batch: Pending[]) => {
    try {
      const appended = await appendBatch(db, batch);
      batch.forEach((pending, index) => pending.resolve(appended[index]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // Record by record, each with its own outcome: one refused record fails only its operation.
      for (const pending of batch) {
        await appendBatch(db, [pending]).then(([id]) => pending.resolve(id!), pending.reject);
      }
    }
  };

  const pump = () => {
    scheduled = false;
    while (queue.length > 0 && inFlight < maxInFlight) {
      const batch = queue.splice(0, MAX_BATCH);
      inFlight += 1;
      void flush(batch).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  };

  return {
    append(entry, liveSignIn = null) {
      return timed(
        () =>
          new Promise<bigint | null>((resolve, reject) => {
            queue.push({ entry, liveSignIn, resolve, reject });
            // Gather what else arrives in this turn of the event loop before writing.
            if (!scheduled && inFlight < maxInFlight) {
              scheduled = true;
              setImmediate(pump);
            }
          }),
      );
    },
  };
}
