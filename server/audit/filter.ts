// The audit log's filters, one definition for the GraphQL queries (schema/audit.ts) and the export
// (export.ts): by session, staff member, customer, action, outcome and time range [from, to).
import type { AuditAction, AuditOutcome, Prisma } from '@prisma/client';

/** Filters of the audit log; absent ones match everything. */
export interface AuditFilter {
  sessionId?: string | number | null;
  staffId?: string | number | null;
  customerId?: string | number | null;
  action?: AuditAction | null;
  outcome?: AuditOutcome | null;
  /** Inclusive. */
  from?: Date | null;
  /** Exclusive. */
  to?: Date | null;
}

/** The Prisma condition of a filter. */
export function auditWhere(filter: AuditFilter | null | undefined): Prisma.AuditEventWhereInput {
  const id = (value: string | number | null | undefined) => (value ? String(value) : undefined);
  return {
    sessionId: id(filter?.sessionId),
    staffId: id(filter?.staffId),
    customerId: id(filter?.customerId),
    action: filter?.action ?? undefined,
    outcome: filter?.outcome ?? undefined,
    createdAt: filter?.from || filter?.to ? { gte: filter.from ?? undefined, lt: filter.to ?? undefined } : undefined,
  };
}
