// The audit log's hash chain: each row's hash covers its content and the previous row's hash,
// so editing or deleting any row breaks every link after it. Appends take a transaction-scoped
// advisory lock (inside append_audit_event) so concurrent writers, and several instances, extend
// one chain, in order. The chain alone does not survive someone who can rewrite the table and
// recompute the hashes: signed checkpoints (checkpoints.ts) and the verifier (verify.ts) do.
import { createHash } from 'node:crypto';
import type { AuditAction, AuditEvent, AuditOutcome, Prisma, PrismaClient } from '@prisma/client';
import { auditWriteSeconds } from '../observability/metrics.ts';

/** The previous hash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

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

/** The hashed part of a record, as Prisma reads it (server/audit/verify.ts reads the same shape). */
export type HashedAuditContent = Omit<AuditEvent, 'id' | 'hash' | 'prevHash'>;

/** Stable serialization: object keys sorted, so JSON columns hash the same after a round trip. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
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

function toRow(entry: AuditEntry): HashedAuditContent {
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

/**
 * Appends inside the caller's transaction (so the audited change and its record commit together).
 * The database function `append_audit_event` (migration 0003) takes the chain lock, links the row
 * to the last hash and inserts it in one round trip; the hash it computes is `auditHash`.
 */
export async function appendAuditInTransaction(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<bigint> {
  const { row, content } = appendArguments(entry);
  const [appended] = await tx.$queryRaw<{ id: bigint }[]>`
    SELECT append_audit_event(${row}::jsonb, ${content}) AS id`;
  return appended!.id;
}

/** Appends on its own: one autocommit statement, so the chain lock is released as it returns. */
export async function appendAudit(prisma: PrismaClient, entry: AuditEntry): Promise<bigint> {
  const stopTimer = auditWriteSeconds.startTimer();
  try {
    const id = await appendAuditInTransaction(prisma, entry);
    stopTimer({ result: 'written' });
    return id;
  } catch (error) {
    stopTimer({ result: 'failed' });
    throw error;
  }
}
