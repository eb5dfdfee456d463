// The audit log's hash chain: each row's hash covers its content and the previous row's hash,
// so editing or deleting any row breaks every link after it. Appends take a transaction-scoped
// advisory lock (inside append_audit_event) so concurrent writers, and several instances, extend
// one chain, in order.
import { createHash } from 'node:crypto';
import type { AuditAction, AuditEvent, AuditOutcome, Prisma, PrismaClient } from '@prisma/client';
import { auditWriteSeconds } from '../observability/metrics.ts';

export const GENESIS_HASH = '0'.repeat(64);

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
}

type Hashed = Omit<AuditEvent, 'id' | 'hash' | 'prevHash'>;

/** Stable serialization: object keys sorted, so JSON columns hash the same after a round trip. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
}

/** The hashed fields, in a fixed shape (canonical() sorts the keys). */
function hashedContent(row: Hashed): Hashed {
  return {
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

export function auditHash(prevHash: string, row: Hashed): string {
  return createHash('sha256')
    .update(prevHash + canonical(hashedContent(row)), 'utf8')
    .digest('hex');
}

function toRow(entry: AuditEntry): Hashed {
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
  };
}

/**
 * Appends inside the caller's transaction (so the audited change and its record commit together).
 * The database function `append_audit_event` (migration 0003) takes the chain lock, links the row
 * to the last hash and inserts it in one round trip; the hash it computes is `auditHash`.
 */
export async function appendAuditInTransaction(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<bigint> {
  const row = toRow(entry);
  const [appended] = await tx.$queryRaw<{ id: bigint }[]>`
    SELECT append_audit_event(${JSON.stringify(row)}::jsonb, ${canonical(hashedContent(row))}) AS id`;
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

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** The first row whose link or content does not match, if any. */
  brokenAtId: string | null;
  problem: string | null;
}

/** Walks the whole log in id order, in pages, and reports the first broken link. */
export async function verifyAuditChain(prisma: PrismaClient, pageSize = 1000): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let cursor: bigint | undefined;
  for (;;) {
    const page = await prisma.auditEvent.findMany({
      where: cursor === undefined ? undefined : { id: { gt: cursor } },
      orderBy: { id: 'asc' },
      take: pageSize,
    });
    for (const row of page) {
      if (row.prevHash !== prevHash) {
        return { ok: false, checked, brokenAtId: String(row.id), problem: 'previous row missing or changed' };
      }
      if (auditHash(prevHash, row) !== row.hash) {
        return { ok: false, checked, brokenAtId: String(row.id), problem: 'row content changed' };
      }
      prevHash = row.hash;
      checked += 1;
    }
    if (page.length < pageSize) return { ok: true, checked, brokenAtId: null, problem: null };
    cursor = page[page.length - 1]!.id;
  }
}
