// How one session ends inside a transaction (its row, its tokens, its audit record and the staff
// access notice, all or nothing) and how every change of a session is told afterwards: published
// so banners, admin lists and open sockets react on every instance. lifecycle.ts decides when.
import {
  AuditAction,
  AuditOutcome,
  type ImpersonationEndState,
  type ImpersonationSession,
  type Prisma,
} from '@prisma/client';
import { appendAuditInTransaction, auditRequestContext } from '../audit/chain.ts';
import type { RequestInfo, Services } from '../context.ts';
import { enqueueStaffAccessNotice } from '../notifications/outbox.ts';
import { pushCommittedEnd } from './live.ts';
import { unendedSessionWhere } from './policy.ts';

/**
 * Why a session ends: its end state and reason (staff and audit only: never shown to the customer,
 * notifications/customer-texts.ts), who ended it (if a person did), and a terminating manager's
 * message to the customer, if any.
 */
export type SessionEnd = {
  state: ImpersonationEndState;
  reason: string;
  byStaffId?: string | null;
  customerMessage?: string | null;
};

const END_ACTIONS: Record<ImpersonationEndState, AuditAction> = {
  ENDED: AuditAction.SESSION_ENDED,
  EXPIRED: AuditAction.SESSION_EXPIRED,
  TERMINATED: AuditAction.SESSION_TERMINATED,
  REVOKED: AuditAction.SESSION_REVOKED,
  STOPPED_BY_CUSTOMER: AuditAction.SESSION_STOPPED_BY_CUSTOMER,
  STAFF_VIEWS_DISABLED: AuditAction.SESSION_STAFF_VIEWS_DISABLED,
  TAMPERED: AuditAction.SESSION_ENDED_FOR_TAMPERING,
};

/**
 * Publishes a session's change (start, extension, end) after its commit: its own topic and the
 * active list's. Only ids: every receiver reads the row, whose end (state, reason) is the truth.
 */
export function publishSessionChange(services: Services, session: ImpersonationSession): void {
  const event = {
    sessionId: session.id,
    staffId: session.staffId,
    customerId: session.customerId,
    ended: session.endedAt !== null,
  };
  pushCommittedEnd(services, session);
  services.pubsub.publish('impersonation:session', session.id, event);
  services.pubsub.publish('impersonation:active', event);
}

/**
 * The end of one session inside a transaction: the row, its tokens and the audit record, which
 * names `request` (where the end came from: nothing for an expiry or a sweep); null if it had ended.
 */
export async function endSessionInTransaction(
  tx: Prisma.TransactionClient,
  sessionId: string,
  end: SessionEnd,
  now: Date,
  request: Partial<RequestInfo>,
): Promise<ImpersonationSession | null> {
  const { count } = await tx.impersonationSession.updateMany({
    where: { id: sessionId, ...unendedSessionWhere },
    data: {
      endedAt: now,
      endState: end.state,
      endReason: end.reason,
      endedByStaffId: end.byStaffId ?? null,
      customerMessage: end.customerMessage ?? null,
    },
  });
  if (count === 0) return null;
  await tx.authSession.updateMany({
    where: { impersonationSessionId: sessionId, revokedAt: null },
    data: { revokedAt: now },
  });
  const session = await tx.impersonationSession.findUniqueOrThrow({ where: { id: sessionId } });
  await appendAuditInTransaction(tx, {
    action: END_ACTIONS[end.state],
    outcome: AuditOutcome.ALLOWED,
    createdAt: now,
    staffId: end.byStaffId ?? session.staffId,
    customerId: session.customerId,
    sessionId,
    reason: end.reason,
    ...auditRequestContext(request),
  });
  await enqueueStaffAccessNotice(tx, sessionId, 'ENDED', now);
  return session;
}
