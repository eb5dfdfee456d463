// The SIEM stream's row (migration 0021): what the receiver acknowledged and which instance may
// send, and the reads that follow the log from there. Records are followed per shard: a shard's
// ids are given under its head's lock, so they commit in id order, and "every record of shard s
// up to id c" stays true however long another shard's transaction takes to commit.
import type { AuditCheckpoint } from '../checkpoint-signature.ts';
import { signedHeads } from '../checkpoint-signature.ts';
import type { Queryable } from '../checkpoint-table.ts';
import type { StreamedRecord } from './syslog-message.ts';

/** How far a stream got: per shard the last record id and the records so far; the last checkpoint id. */
export interface StreamPosition {
  shards: Record<string, { lastId: string; count: number }>;
  checkpointId: string;
}

/** A stream that has sent nothing yet. */
export const START_POSITION: StreamPosition = { shards: {}, checkpointId: '0' };

const TIME = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * Takes or renews the lease of `stream` for `holder` (on the database's clock) and returns the
 * acknowledged position; null: another instance holds a lease that has not run out.
 */
export async function takeLease(
  db: Queryable,
  stream: string,
  holder: string,
  leaseMs: number,
): Promise<StreamPosition | null> {
  await db.query('INSERT INTO "AuditSiemStream" (stream) VALUES ($1) ON CONFLICT (stream) DO NOTHING', [stream]);
  const { rows } = await db.query<StreamPosition>(
    `UPDATE "AuditSiemStream"
        SET "leaseHolder" = $2, "leaseUntil" = clock_timestamp() + $3 * interval '1 millisecond'
      WHERE stream = $1 AND ("leaseHolder" IS NULL OR "leaseHolder" = $2 OR "leaseUntil" < clock_timestamp())
      RETURNING shards, "checkpointId"::text AS "checkpointId"`,
    [stream, holder, leaseMs],
  );
  return rows[0] ?? null;
}

/** Stores the acknowledged position and renews the lease; false: the lease was lost (nothing stored). */
export async function acknowledge(
  db: Queryable,
  stream: string,
  holder: string,
  position: StreamPosition,
  leaseMs: number,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE "AuditSiemStream"
        SET shards = $3::jsonb, "checkpointId" = $4::bigint, "updatedAt" = clock_timestamp(),
            "leaseUntil" = clock_timestamp() + $5 * interval '1 millisecond'
      WHERE stream = $1 AND "leaseHolder" = $2`,
    [stream, holder, JSON.stringify(position.shards), position.checkpointId, leaseMs],
  );
  return rowCount === 1;
}

/** Gives the lease up (at shutdown), so another instance takes over at once. */
export async function releaseLease(db: Queryable, stream: string, holder: string): Promise<void> {
  await db.query(
    'UPDATE "AuditSiemStream" SET "leaseHolder" = NULL, "leaseUntil" = NULL WHERE stream = $1 AND "leaseHolder" = $2',
    [stream, holder],
  );
}

/**
 * The next committed records after `position`, in id order. One statement, one snapshot: the
 * scan starts at the lowest cursor of a shard whose head moved past it, so a long-quiet shard
 * does not hold the scan back.
 */
export async function readRecordsAfter(db: Queryable, position: StreamPosition, limit: number) {
  const { rows } = await db.query<{ record: StreamedRecord }>(
    `WITH lowest AS (
       SELECT min(COALESCE(($1::jsonb -> h.shard::text ->> 'lastId')::bigint, 0)) AS id
         FROM "AuditChainHead" h
        WHERE h."lastId" > COALESCE(($1::jsonb -> h.shard::text ->> 'lastId')::bigint, 0)
     )
     , picked AS (
       SELECT e.id FROM "AuditEvent" e
        WHERE e.id > (SELECT id FROM lowest) AND e.id > COALESCE(($1::jsonb -> e.shard::text ->> 'lastId')::bigint, 0)
        ORDER BY e.id LIMIT $2
     )
     SELECT to_jsonb(e) || jsonb_build_object('id', e.id::text, 'createdAt', to_char(e."createdAt", ${TIME})) AS record
       FROM "AuditEvent" e WHERE e.id = ANY (ARRAY(SELECT id FROM picked))
      ORDER BY e.id`,
    [JSON.stringify(position.shards), limit],
  );
  return rows.map((row) => row.record);
}

/** The next checkpoints after `checkpointId`, in id order (they commit one at a time, in id order). */
export async function readCheckpointsAfter(db: Queryable, checkpointId: string, limit: number) {
  const { rows } = await db.query<{ checkpoint: AuditCheckpoint }>(
    `SELECT to_jsonb(c) || jsonb_build_object('id', c.id::text, 'createdAt', to_char(c."createdAt", ${TIME}),
              'lastId', c."lastId"::text) AS checkpoint
       FROM "AuditCheckpoint" c WHERE c.id > $1::bigint ORDER BY c.id LIMIT $2`,
    [checkpointId, limit],
  );
  return rows.map((row) => row.checkpoint);
}

/** The position after sending `records` from `position`. */
export function advancedBy(position: StreamPosition, records: StreamedRecord[]): StreamPosition {
  const shards = { ...position.shards };
  for (const record of records) {
    const key = String(record.shard);
    shards[key] = { lastId: record.id, count: (shards[key]?.count ?? 0) + 1 };
  }
  return { shards, checkpointId: position.checkpointId };
}

/** Whether every record a checkpoint signed is at or before `position` (a checkpoint follows its records). */
export function covers(position: StreamPosition, checkpoint: AuditCheckpoint): boolean {
  return signedHeads(checkpoint).every(
    (head) => BigInt(head.lastId) <= BigInt(position.shards[String(head.shard)]?.lastId ?? '0'),
  );
}

/** What the receiver has not acknowledged yet: records, checkpoints, and the oldest such record's time. */
export async function streamLag(db: Queryable, stream: string) {
  const { rows } = await db.query<StreamPosition>(
    `SELECT shards, "checkpointId"::text AS "checkpointId" FROM "AuditSiemStream" WHERE stream = $1`,
    [stream],
  );
  const position = rows[0] ?? START_POSITION;
  const delivered = Object.values(position.shards).reduce((sum, shard) => sum + shard.count, 0);
  const { rows: totals } = await db.query<{ records: string; checkpoints: string }>(
    `SELECT (SELECT COALESCE(sum(count), 0) FROM "AuditChainHead")::text AS records,
            (SELECT count(*) FROM "AuditCheckpoint" WHERE id > $1::bigint)::text AS checkpoints`,
    [position.checkpointId],
  );
  const [oldest] = await readRecordsAfter(db, position, 1);
  return {
    records: Math.max(0, Number(totals[0]!.records) - delivered),
    checkpoints: Number(totals[0]!.checkpoints),
    oldestCreatedAt: oldest ? new Date(oldest.createdAt) : null,
  };
}
