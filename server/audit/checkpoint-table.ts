// The database copy of the checkpoints (the AuditCheckpoint table), read the same way by the writer,
// which chains each new checkpoint to the last one, and by the verifier, which checks them all.
import type pg from 'pg';
import type { AuditCheckpoint } from './checkpoint-signature.ts';

/** Anything that runs SQL: the pool, or one client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

const CHECKPOINT_COLUMNS = `id::text, to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  "lastId"::text AS "lastId", "headHash", count, "prevSignature", signature, "keyFingerprint", shards`;

/** The database's checkpoints, oldest first. */
export async function readDatabaseCheckpoints(db: Queryable): Promise<AuditCheckpoint[]> {
  const { rows } = await db.query<AuditCheckpoint>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM "AuditCheckpoint" ORDER BY "AuditCheckpoint".id`,
  );
  return rows;
}

/** The database's newest checkpoint, the one the next checkpoint chains to; undefined: none yet. */
export async function readLatestCheckpoint(db: Queryable): Promise<AuditCheckpoint | undefined> {
  const { rows } = await db.query<AuditCheckpoint>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM "AuditCheckpoint" ORDER BY "AuditCheckpoint".id DESC LIMIT 1`,
  );
  return rows[0];
}

/** The database's checkpoints with an id above `afterId`, oldest first, at most `limit` (a sink catching up). */
export async function readCheckpointsAfter(db: Queryable, afterId: string, limit: number): Promise<AuditCheckpoint[]> {
  const { rows } = await db.query<AuditCheckpoint>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM "AuditCheckpoint" WHERE id > $1::bigint ORDER BY "AuditCheckpoint".id LIMIT $2`,
    [afterId, limit],
  );
  return rows;
}
