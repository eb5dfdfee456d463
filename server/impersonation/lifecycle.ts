// The impersonation session lifecycle: start, extend, end (by the staff member, their sign-out,
// expiry, another manager, or revocation), and the revocations that follow a change of who may act
// (staff deactivated or demoted, customer disabled). Each change and its audit record commit in one
// transaction, then the change is published so banners, admin lists and open sockets react on
// every instance. The rules themselves are asked of policy.ts.
import {
  AuditAction,
  AuditOutcome,
  Prisma,
  type AccessRequest,
  type AuthSession,
  type ImpersonationEndState,
  type ImpersonationSession,
  type Staff,
} from '@prisma/client';
import { appendAuditInTransaction } from '../audit/chain.ts';
import { createAuthSession } from '../auth/identity.ts';
import { SignInEndReason, announceSignInsEnded, markSignInsRevoked, revokeSignIns } from '../auth/sign-ins.ts';
import type { RequestInfo, Services } from '../context.ts';
import { conflict, notFound } from '../errors.ts';
import { enqueueStaffAccessNotice } from '../notifications/outbox.ts';
import { assertStaffViewsEnabledInTransaction } from '../access/kill-switch.ts';
import { passStartGate, publishRequestChange, useApproval } from '../access/requests.ts';
import {
  EXPIRY_REASON,
  assertCanStart,
  assertValidReason,
  dueSessionWhere,
  extensionDecision,
  liveSessionWhere,
  mayImpersonate,
  sessionTimes,
  unendedSessionWhere,
} from './policy.ts';

type Actor = Pick<Staff, 'id' | 'active' | 'role' | 'name'>;

/** What a start did: a session began, or the start waits as an access request (consent, four-eyes). */
export type StartOutcome =
  | { status: 'STARTED'; token: string; session: ImpersonationSession }
  | { status: 'REQUESTED'; accessRequest: AccessRequest };

const END_ACTIONS: Record<ImpersonationEndState, AuditAction> = {
  ENDED: AuditAction.SESSION_ENDED,
  EXPIRED: AuditAction.SESSION_EXPIRED,
  TERMINATED: AuditAction.SESSION_TERMINATED,
  REVOKED: AuditAction.SESSION_REVOKED,
  STOPPED_BY_CUSTOMER: AuditAction.SESSION_STOPPED_BY_CUSTOMER,
  STAFF_VIEWS_DISABLED: AuditAction.SESSION_STAFF_VIEWS_DISABLED,
};

function publishChange(services: Services, session: ImpersonationSession) {
  const event = {
    sessionId: session.id,
    staffId: session.staffId,
    customerId: session.customerId,
    ended: session.endedAt !== null,
    ...(session.endedAt && session.endState
      ? { end: { endedAt: session.endedAt.toISOString(), endState: session.endState, endReason: session.endReason } }
      : {}),
  };
  services.pubsub.publish('impersonation:session', session.id, event);
  services.pubsub.publish('impersonation:active', event);
}

const auditContext = (request: Partial<RequestInfo> | undefined) => ({
  requestId: request?.requestId ?? null,
  ip: request?.ip ?? null,
  userAgent: request?.userAgent ?? null,
});

/**
 * Starts a session for `actor` on a customer and returns it with its bearer token (shown once); or,
 * when the customer must consent or a second manager approve (access/requests.ts), the request.
 */
export async function startImpersonation(
  services: Services,
  actor: Actor,
  input: { customerId: string; reason: string },
  request: RequestInfo,
): Promise<StartOutcome> {
  const reason = assertValidReason(input.reason);
  const now = services.clock.now();
  await expireDueSessions(services, { staffId: actor.id });
  const [customer, activeSession] = await Promise.all([
    services.prisma.customer.findUnique({ where: { id: input.customerId }, select: { status: true } }),
    services.prisma.impersonationSession.findFirst({
      where: { staffId: actor.id, ...unendedSessionWhere },
      select: { id: true },
    }),
  ]);
  assertCanStart({ actor, customer, activeSession });
  const gate = await passStartGate(services, actor, { customerId: input.customerId, reason }, request);
  if (!gate.open) return { status: 'REQUESTED', accessRequest: gate.request };
  const approval = gate.approval;
  const times = sessionTimes(now, services.limits);
  try {
    const session = await services.prisma.$transaction(async (tx) => {
      await assertStaffViewsEnabledInTransaction(tx);
      const created = await tx.impersonationSession.create({
        data: {
          staffId: actor.id,
          customerId: input.customerId,
          reason,
          startedAt: now,
          expiresAt: times.expiresAt,
          approvedByStaffId: approval?.approvedByStaffId ?? null,
        },
      });
      if (approval) await useApproval(tx, approval, created.id, now);
      await appendAuditInTransaction(tx, {
        action: AuditAction.SESSION_STARTED,
        outcome: AuditOutcome.ALLOWED,
        createdAt: now,
        staffId: actor.id,
        customerId: input.customerId,
        sessionId: created.id,
        reason,
        seen: approval
          ? { approval: { accessRequestId: approval.id, approvedByStaffId: approval.approvedByStaffId } }
          : null,
        ...auditContext(request),
      });
      await enqueueStaffAccessNotice(tx, created.id, 'STARTED', now);
      return created;
    });
    const { token } = await createAuthSession(services.prisma, {
      kind: 'IMPERSONATION',
      staffId: actor.id,
      impersonationSessionId: session.id,
      createdAt: now,
      expiresAt: times.tokenExpiresAt,
    });
    publishChange(services, session);
    if (approval) publishRequestChange(services, { ...approval, sessionId: session.id });
    return { status: 'STARTED', token, session };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const active = await services.prisma.impersonationSession.findFirst({
        where: { staffId: actor.id, ...unendedSessionWhere },
      });
      throw conflict('You already have an active impersonation session', { activeSessionId: active?.id ?? null });
    }
    throw error;
  }
}

/** Extends the staff member's own session once, as policy allows. */
export async function extendImpersonation(
  services: Services,
  sessionId: string,
  staffId: string,
  request: RequestInfo,
): Promise<ImpersonationSession> {
  const now = services.clock.now();
  const session = await services.prisma.impersonationSession.findFirst({ where: { id: sessionId, staffId } });
  if (!session) throw notFound('Impersonation session');
  const decision = extensionDecision(session, now, services.limits);
  if (!decision.allowed)
    throw conflict(decision.refusal!, { availableAt: decision.availableAt?.toISOString() ?? null });
  const extended = await services.prisma.$transaction(async (tx) => {
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
      ...auditContext(request),
    });
    return tx.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
  });
  publishChange(services, extended);
  return extended;
}

type SessionEnd = {
  state: ImpersonationEndState;
  reason: string;
  byStaffId?: string | null;
  request?: Partial<RequestInfo>;
};

/** The end of one session inside a transaction: the row, its tokens and the audit record; null if it had ended. */
async function endInTransaction(
  tx: Prisma.TransactionClient,
  sessionId: string,
  end: SessionEnd,
  now: Date,
): Promise<ImpersonationSession | null> {
  const { count } = await tx.impersonationSession.updateMany({
    where: { id: sessionId, ...unendedSessionWhere },
    data: { endedAt: now, endState: end.state, endReason: end.reason, endedByStaffId: end.byStaffId ?? null },
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
    ...auditContext(end.request),
  });
  await enqueueStaffAccessNotice(tx, sessionId, 'ENDED', now);
  return session;
}

/**
 * Ends a session once, whatever ended it: the row, the token and the audit record change
 * together. Returns null when it had already ended (a racing end wins, nothing is recorded twice).
 */
export async function endImpersonation(
  services: Services,
  sessionId: string,
  end: SessionEnd,
): Promise<ImpersonationSession | null> {
  const now = services.clock.now();
  const ended = await services.prisma.$transaction((tx) => endInTransaction(tx, sessionId, end, now));
  if (ended) publishChange(services, ended);
  return ended;
}

/**
 * Signs out the sign-in of a request. A staff member's sign-out also ends their active
 * impersonation session (ENDED, "Signed out"): the revocation, the end and its audit record
 * commit together, then the sockets of both close on every instance.
 */
export async function signOut(
  services: Services,
  signIn: Pick<AuthSession, 'id' | 'kind' | 'staffId'>,
  request: RequestInfo,
): Promise<void> {
  const now = services.clock.now();
  const staffId = signIn.kind === 'STAFF' ? signIn.staffId : null;
  const ended = await services.prisma.$transaction(async (tx) => {
    await markSignInsRevoked(tx, { id: signIn.id }, now);
    if (!staffId) return [];
    const active = await tx.impersonationSession.findMany({
      where: { staffId, ...unendedSessionWhere },
      select: { id: true },
    });
    const sessions: ImpersonationSession[] = [];
    for (const { id } of active) {
      const end = { state: 'ENDED', reason: SignInEndReason.SignedOut, byStaffId: staffId, request } as const;
      const session = await endInTransaction(tx, id, end, now);
      if (session) sessions.push(session);
    }
    return sessions;
  });
  announceSignInsEnded(services.pubsub, [signIn.id], SignInEndReason.SignedOut);
  for (const session of ended) publishChange(services, session);
}

/** Records the end of every session past its expiry (the sweeper, and before a start). */
export async function expireDueSessions(services: Services, where: { staffId?: string } = {}): Promise<number> {
  const due = await services.prisma.impersonationSession.findMany({
    where: { ...where, ...dueSessionWhere(services.clock.now()) },
    select: { id: true },
  });
  const ended = await Promise.all(
    due.map((session) => endImpersonation(services, session.id, { state: 'EXPIRED', reason: EXPIRY_REASON })),
  );
  return ended.filter(Boolean).length;
}

/** Ends, as REVOKED, every active session matching `where`. */
async function revokeImpersonations(
  services: Services,
  where: { staffId?: string; customerId?: string },
  reason: string,
  byStaffId: string,
  request: RequestInfo,
): Promise<number> {
  const active = await services.prisma.impersonationSession.findMany({
    where: { ...where, ...unendedSessionWhere },
    select: { id: true },
  });
  const ended = await Promise.all(
    active.map((session) => endImpersonation(services, session.id, { state: 'REVOKED', reason, byStaffId, request })),
  );
  return ended.filter(Boolean).length;
}

/** Who changed whom: the manager making a change to staff or customers. */
export interface AdministrativeChange {
  byStaffId: string;
  request: RequestInfo;
}

/**
 * After a staff member's `active` or `role` changed: a deactivated one is signed out, and one who
 * may no longer impersonate has their sessions ended and their manager sockets closed.
 */
export async function staffChanged(
  services: Services,
  staff: Pick<Staff, 'id' | 'active' | 'role'>,
  change: AdministrativeChange,
): Promise<void> {
  if (mayImpersonate(staff)) return;
  // Impersonation tokens end with their sessions below, after their banners got the reason.
  const signIns = { staffId: staff.id, kind: 'STAFF' as const };
  let reason: SignInEndReason;
  if (staff.active) {
    // Still signed in, no longer a manager: sockets opened as a manager close; new ones get the new role.
    reason = SignInEndReason.LostManagerRole;
    const live = await services.prisma.authSession.findMany({
      where: { ...signIns, revokedAt: null },
      select: { id: true },
    });
    announceSignInsEnded(
      services.pubsub,
      live.map((signIn) => signIn.id),
      reason,
    );
  } else {
    reason = SignInEndReason.StaffDeactivated;
    await revokeSignIns(services, signIns, reason);
  }
  await revokeImpersonations(services, { staffId: staff.id }, reason, change.byStaffId, change.request);
}

/** After a customer was disabled: signs them out and ends every session viewing them. */
export async function customerDisabled(
  services: Services,
  customerId: string,
  change: AdministrativeChange,
): Promise<void> {
  await revokeSignIns(services, { customerId }, SignInEndReason.CustomerDisabled);
  await revokeImpersonations(
    services,
    { customerId },
    SignInEndReason.CustomerDisabled,
    change.byStaffId,
    change.request,
  );
}

/** The sessions that are live, newest first (the admin list, queried or pushed). */
export function findLiveSessions(
  services: Services,
  query: { include?: Prisma.ImpersonationSessionInclude; select?: Prisma.ImpersonationSessionSelect },
) {
  return services.prisma.impersonationSession.findMany({
    ...query,
    where: liveSessionWhere(services.clock.now()),
    orderBy: { startedAt: 'desc' },
  });
}
