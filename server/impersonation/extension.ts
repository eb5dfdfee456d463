// Extending a staff view, once, as policy allows (impersonation/policy.ts). Decided like a start:
// in its transaction it holds the staff member's and the customer's rows (people-locks.ts) and asks
// her gate and her blocks again (access/requests.ts), so a view is not extended past a grant she
// withdrew or a protection added meanwhile. The customer is told (notice and access-log line).
import { AuditAction, AuditOutcome, type ImpersonationSession } from '@prisma/client';
import { appendAuditInTransaction, auditRequestContext } from '../audit/chain.ts';
import type { RequestInfo, Services } from '../context.ts';
import { conflict, notFound } from '../errors.ts';
import { enqueueStaffAccessNotice } from '../notifications/outbox.ts';
import { assertStillAllowed, lockPeopleForStart } from './people-locks.ts';
import { extensionDecision, unendedSessionWhere } from './policy.ts';
import { publishSessionChange } from './session-end.ts';

/** Extends the staff member's own session once, as policy allows. */
export async function extendImpersonation(
  ctx: Services & RequestInfo,
  sessionId: string,
  staffId: string,
): Promise<ImpersonationSession> {
  const services: Services = ctx;
  const request: RequestInfo = ctx;
  const now = services.clock.now();
  const session = await services.prisma.impersonationSession.findFirst({ where: { id: sessionId, staffId } });
  if (!session) throw notFound('Impersonation session');
  const decision = extensionDecision(session, now, services.limits);
  if (!decision.allowed)
    throw conflict(decision.refusal!, { availableAt: decision.availableAt?.toISOString() ?? null });
  const extended = await services.prisma.$transaction(async (tx) => {
    // As a start: her permission, her protection and her blocks, decided on her row as held.
    await lockPeopleForStart(tx, { staffId: session.staffId, customerId: session.customerId });
    const approval = { managerApprovedAt: session.approvedByStaffId ? now : null };
    const who = { staffId: session.staffId, customerId: session.customerId, scope: session.scope };
    await assertStillAllowed(tx, who, approval, now);
    const { count } = await tx.impersonationSession.updateMany({
      where: { id: session.id, ...unendedSessionWhere, extendedAt: null },
      data: { expiresAt: decision.newExpiresAt!, extendedAt: now },
    });
    if (count === 0) throw conflict('The session changed meanwhile');
    await appendAuditInTransaction(tx, {
      action: AuditAction.SESSION_EXTENDED,
      outcome: AuditOutcome.ALLOWED,
      createdAt: now,
      staffId: session.staffId,
      customerId: session.customerId,
      sessionId: session.id,
      reason: `expires at ${decision.newExpiresAt!.toISOString()}`,
      ...auditRequestContext(request),
    });
    // The customer is told, like of the start: "extended once, until ..." (notice and access log).
    await enqueueStaffAccessNotice(tx, session.id, 'EXTENDED', now);
    return tx.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
  });
  publishSessionChange(services, extended);
  return extended;
}
