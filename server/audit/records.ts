// The audit records as the chain hashes them, read with plain SQL (so a test's open transaction
// can be verified): in id order for the verifier's walk, and per shard from a given head for the
// checkpoint writer's recount (recount.ts).
import type { AuditAction, AuditOutcome, Prisma } from '@prisma/client';
import type { Queryable } from './checkpoint-table.ts';

/** A record as the chain hashes it. */
export interface AuditRecord {
  id: string;
  prevHash: string;
  hash: string;
  createdAt: Date;
  action: AuditAction;
  outcome: AuditOutcome;
  staffId: string | null;
  customerId: string | null;
  sessionId: string | null;
  operationName: string | null;
  operationType: string | null;
  rootFields: string[];
  variables: Prisma.JsonValue;
  errorCode: string | null;
  reason: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  seen: Prisma.JsonValue;
  /** The chain the record is linked in. */
  shard: number;
}

const RECORD_COLUMNS = `e.id::text, e."prevHash", e.hash, to_char(e."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  e.action::text, e.outcome::text, e."staffId", e."customerId", e."sessionId", e."operationName", e."operationType",
  e."rootFields", e.variables, e."errorCode", e.reason, e."requestId", e.ip, e."userAgent", e.seen, e.shard`;

const toRecords = (rows: (AuditRecord & { createdAt: string })[]): AuditRecord[] =>
  rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));

/** Records with an id above `afterId`, in id order. */
export async function readAuditRecords(db: Queryable, afterId: string, limit: number): Promise<AuditRecord[]> {
  const { rows } = await db.query<AuditRecord & { createdAt: string }>(
    `SELECT ${RECORD_COLUMNS} FROM "AuditEvent" e WHERE e.id > $1::bigint ORDER BY e.id LIMIT $2`,
    [afterId, limit],
  );
  return toRecords(rows);
}

/**
 * For each shard, its next records after the given id (at most `limit` each), by shard then id: one
 * round trip for every shard, each an index range on (shard, id).
 */
export async function readShardRecords(
  db: Queryable,
  after: { shard: number; afterId: string }[],
  limit: number,
): Promise<AuditRecord[]> {
  const { rows } = await db.query<AuditRecord & { createdAt: string }>(
    `SELECT r.* FROM unnest($1::smallint[], $2::bigint[]) AS b(shard, after)
     CROSS JOIN LATERAL (
       SELECT ${RECORD_COLUMNS} FROM "AuditEvent" e
        WHERE e.shard = b.shard AND e.id > b.after ORDER BY e.id LIMIT $3) AS r
     ORDER BY r.shard, r.id::bigint`,
    [after.map((item) => item.shard), after.map((item) => item.afterId), limit],
  );
  return toRecords(rows);
}
