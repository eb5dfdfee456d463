// The audit log's filters, one definition for the GraphQL queries (schema/audit.ts) and the export
// (export.ts): by session, staff member, customer, action, outcome, time range [from, to) and ticket.
import type { AuditAction, AuditOutcome, Prisma, PrismaClient } from '@prisma/client';

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
  /** The records of the staff views whose start named this ticket id (exact, trimmed). */
  ticket?: string | null;
}

/**
 * The Prisma condition of a filter. A ticket is a property of sessions, not of records: it becomes
 * the ids of its sessions (a handful, by the ("ticket", "startedAt") index), so the records' own
 * keyset pages (keyset.ts) stay as they are.
 */
export async function auditWhere(
  prisma: Pick<PrismaClient, 'impersonationSession'>,
  filter: AuditFilter | null | undefined,
): Promise<Prisma.AuditEventWhereInput> {
  const id = (value: string | number | null | undefined) => (value ? String(value) : undefined);
  const ticket = filter?.ticket?.trim();
  const ticketSessions = ticket
    ? await prisma.impersonationSession.findMany({ where: { ticket }, select: { id: true } })
    : null;
  return {
    sessionId: id(filter?.sessionId),
    staffId: id(filter?.staffId),
    customerId: id(filter?.customerId),
    action: filter?.action ?? undefined,
    outcome: filter?.outcome ?? undefined,
    createdAt: filter?.from || filter?.to ? { gte: filter.from ?? undefined, lt: filter.to ?? undefined } : undefined,
    ...(ticketSessions && { AND: [{ sessionId: { in: ticketSessions.map((session) => session.id) } }] }),
  };
}
