// The audit log's hash chains: the log is AUDIT_SHARDS chains ("shards"); each row's hash covers
// its content and the previous row's hash in its shard, so editing or deleting any row breaks
// every link after it in that shard. An append locks only its shard's head row (inside
// append_audit_event, migration 0010), so writers on different shards, on any instance, do not
// wait for each other; ids stay global and reading is in id order. The chains alone do not
// survive someone who can rewrite the table and recompute the hashes: signed checkpoints of every
// shard head (checkpoints.ts) and the verifier (verify.ts) do.
import { createHash } from 'node:crypto';
import type { AuditAction, AuditEvent, AuditOutcome, Prisma, PrismaClient } from '@prisma/client';
import { auditWriteSeconds } from '../observability/process-metrics.ts';
import { boundedEntry } from './bounded.ts';

/** The previous hash of the first record of every shard. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * How many chains the log is spread over. Raising it needs no migration (append_audit_event
 * creates a missing head on first use); checkpoints sign every head there is.
 */
export const AUDIT_SHARDS = 32;

/**
 * The shard of a record: a hash of its staff-view session, else its staff member, else its
 * customer, else its request. All records of one session are one chain, in order (one person's
 * clicks rarely contend), while the fleet's sessions spread over every shard.
 */
export function auditShard(entry: Pick<AuditEntry, 'sessionId' | 'staffId' | 'customerId' | 'requestId'>): number {
  const key = entry.sessionId ?? entry.staffId ?? entry.customerId ?? entry.requestId ?? '';
  return createHash('sha256').update(key, 'utf8').digest().readUInt32BE(0) % AUDIT_SHARDS;
}

/** One record to append; absent fields are stored as null. */
export interface AuditEntry {
  action: AuditAction;
  outcome: AuditOutcome;
  createdAt: Date;
  staffId?: string | null;
  customerId?: string | null;
  sessionId?: string | null;
  operationName?: string | null;
  operationType?: string | null;
  rootFields?: string[];
  variables?: Prisma.InputJsonValue | null;
  errorCode?: string | null;
  reason?: string | null;
  requestId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** What the record saw (see audit/trace.ts). */
  seen?: Prisma.InputJsonValue | null;
}

/**
 * Where an attempt or a change came from, as its record stores it: the request id, client address
 * and user agent of the request that made it, or nulls for what nobody asked for (the sweeper).
 */
export const auditRequestContext = (
  request: { requestId?: string | null; ip?: string | null; userAgent?: string | null } | undefined,
): Pick<AuditEntry, 'requestId' | 'ip' | 'userAgent'> => ({
  requestId: request?.requestId ?? null,
  ip: request?.ip ?? null,
  userAgent: request?.userAgent ?? null,
});

/** The hashed part of a record, as Prisma reads it (server/audit/verify.ts reads the same shape). */
export type HashedAuditContent = Omit<AuditEvent, 'id' | 'hash' | 'prevHash' | 'shard'>;

/**
 * Stable serialization: object keys sorted, so JSON columns hash the same after a round trip.
 * Built by concatenation (no entry arrays, no join): it runs on every staff-view page's record.
 */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i += 1) out += (i === 0 ? '' : ',') + canonical(value[i]);
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // Sorted by UTF-16 code units, as `<` compares.
  const keys = Object.keys(object).sort();
  out = '{';
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i]!;
    out += `${i === 0 ? '' : ','}${JSON.stringify(key)}:${canonical(object[key])}`;
  }
  return `${out}}`;
}

/**
 * The hashed fields, in a fixed shape (canonical() sorts the keys). `seen` (added by migration
 * 0007) is hashed when present, so records written before it keep their hashes.
 */
function hashedContent(row: HashedAuditContent): Partial<HashedAuditContent> {
  return {
    ...(row.seen === null ? {} : { seen: row.seen }),
    createdAt: row.createdAt,
    action: row.action,
    outcome: row.outcome,
    staffId: row.staffId,
    customerId: row.customerId,
    sessionId: row.sessionId,
    operationName: row.operationName,
    operationType: row.operationType,
    rootFields: row.rootFields,
    variables: row.variables,
    errorCode: row.errorCode,
    reason: row.reason,
    requestId: row.requestId,
    ip: row.ip,
    userAgent: row.userAgent,
  };
}

/** A record's hash: SHA-256 of the previous hash and the record's canonical content. */
export function auditHash(prevHash: string, row: HashedAuditContent): string {
  return createHash('sha256')
    .update(prevHash + canonical(hashedContent(row)), 'utf8')
    .digest('hex');
}

function toRow(unbounded: AuditEntry): HashedAuditContent {
  const entry = boundedEntry(unbounded);
  return {
    createdAt: entry.createdAt,
    action: entry.action,
    outcome: entry.outcome,
    staffId: entry.staffId ?? null,
    customerId: entry.customerId ?? null,
    sessionId: entry.sessionId ?? null,
    operationName: entry.operationName ?? null,
    operationType: entry.operationType ?? null,
    rootFields: entry.rootFields ?? [],
    variables: (entry.variables ?? null) as Prisma.JsonValue,
    errorCode: entry.errorCode ?? null,
    reason: entry.reason ?? null,
    requestId: entry.requestId ?? null,
    ip: entry.ip ?? null,
    userAgent: entry.userAgent ?? null,
    seen: (entry.seen ?? null) as Prisma.JsonValue,
  };
}

/** The two arguments of `append_audit_event` for an entry: the row as JSON and its hashed content. */
export function appendArguments(entry: AuditEntry): { row: string; content: string } {
  const row = toRow(entry);
  return { row: JSON.stringify(row), content: canonical(hashedContent(row)) };
}

/** Any Prisma client or transaction, for raw SQL. */
type RawQueryable = Pick<Prisma.TransactionClient, '$queryRaw'>;

/** One call of `append_audit_event`: the id appended. */
async function append(db: RawQueryable, entry: AuditEntry): Promise<bigint> {
  const { row, content } = appendArguments(entry);
  const [appended] = await db.$queryRaw<{ id: bigint }[]>`
    SELECT append_audit_event(${row}::jsonb, ${content}, ${auditShard(entry)}::smallint) AS id`;
  return appended!.id;
}

/** Times an append for the metrics, whatever its result. */
export async function timed<T>(write: () => Promise<T>): Promise<T> {
  const stopTimer = auditWriteSeconds.startTimer();
  try {
    const result = await write();
    stopTimer({ result: 'written' });
    return result;
  } catch (error) {
    stopTimer({ result: 'failed' });
    throw error;
  }
}

/**
 * Appends inside the caller's transaction (so the audited change and its record commit together).
 * The database function `append_audit_event` (migration 0010) locks the shard's head row, links
 * the row to its hash and inserts it in one round trip; the hash it computes is `auditHash`.
 */
export async function appendAuditInTransaction(tx: RawQueryable, entry: AuditEntry): Promise<bigint> {
  return append(tx, entry);
}

/**
 * Appends on its own: one autocommit statement, so the shard's head is unlocked as it returns. The
 * app's per-operation records go through group commit instead (group-commit.ts).
 */
export async function appendAudit(prisma: PrismaClient, entry: AuditEntry): Promise<bigint> {
  return timed(() => appendAuditInTransaction(prisma, entry));
}
