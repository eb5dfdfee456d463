// The impersonation session lifecycle: start, extend, end (by the staff member, expiry, another
// manager, or revocation). Each change and its audit record commit in one transaction, then the
// change is published so banners, admin lists and open sockets react on every instance.
import { Prisma, type ImpersonationEndState, type ImpersonationSession } from '@prisma/client';
import { createAuthSession } from '../auth/identity.ts';
import type { RequestInfo, Services } from '../context.ts';
import { conflict, notFound } from '../errors.ts';
import { AuditAction, AuditOutcome, appendAuditInTransaction } from '../audit/chain.ts';
import { assertCanStart, assertValidReason, extensionDecision } from './rules.ts';

type Actor = { id: string; active: boolean; role: 'GROOMER' | 'RECEPTIONIST' | 'MANAGER' };

const END_ACTIONS: Record<ImpersonationEndState, AuditAction> = {
  ENDED: AuditAction.SessionEnded,
  EXPIRED: AuditAction.SessionExpired,
  TERMINATED: AuditAction.SessionTerminated,
  REVOKED: AuditAction.SessionRevoked,
};

function publishChange(services: Services, session: ImpersonationSession) {
  const event = {
    sessionId: session.id,
    staffId: session.staffId,
    customerId: session.customerId,
    ended: session.endedAt !== null,
  };
  services.pubsub.publish('impersonation:session', session.id, event);
  services.pubsub.publish('impersonation:active', event);
}

const auditContext = (request: Partial<RequestInfo> | undefined) => ({
  requestId: request?.requestId ?? null,
  ip: request?.ip ?? null,
  userAgent: request?.userAgent ?? null,
});

export async function startImpersonation(
  services: Services,
  actor: Actor,
  input: { customerId: string; reason: string },
  request: RequestInfo,
): Promise<{ token: string; session: ImpersonationSession }> {
  const reason = assertValidReason(input.reason);
  const now = services.clock.now();
  await expireDueSessions(services, { staffId: actor.id });
  const [customer, activeSession] = await Promise.all([
    services.prisma.customer.findUnique({ where: { id: input.customerId }, select: { status: true } }),
    services.prisma.impersonationSession.findFirst({
      where: { staffId: actor.id, endedAt: null },
      select: { id: true },
    }),
  ]);
  assertCanStart({ actor, customer, activeSession });
  try {
    const session = await services.prisma.$transaction(async (tx) => {
      const created = await tx.impersonationSession.create({
        data: {
          staffId: actor.id,
          customerId: input.customerId,
          reason,
          startedAt: now,
          expiresAt: new Date(now.getTime() + services.limits.durationMs),
        },
      });
      await appendAuditInTransaction(tx, {
        action: AuditAction.SessionStarted,
        outcome: AuditOutcome.Allowed,
        createdAt: now,
        staffId: actor.id,
        customerId: input.customerId,
        sessionId: created.id,
        reason,
        ...auditContext(request),
      });
      return created;
    });
    // The token lives exactly as long as the session can (the cap), and dies with it earlier.
    const { token } = await createAuthSession(services.prisma, {
      kind: 'IMPERSONATION',
      staffId: actor.id,
      impersonationSessionId: session.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + services.limits.maxTotalMs),
    });
    publishChange(services, session);
    return { token, session };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const active = await services.prisma.impersonationSession.findFirst({
        where: { staffId: actor.id, endedAt: null },
      });
      throw conflict('You already have an active impersonation session', { activeSessionId: active?.id ?? null });
    }
    throw error;
  }
}

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
      where: { id: session.id, endedAt: null, extendedAt: null },
      data: { expiresAt: decision.newExpiresAt!, extendedAt: now },
    });
    if (count === 0) throw conflict('The session changed meanwhile');
    await appendAuditInTransaction(tx, {
      action: AuditAction.SessionExtended,
      outcome: AuditOutcome.Allowed,
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

/**
 * Ends a session once, whatever ended it: the row, the token and the audit record change
 * together. Returns null when it had already ended (a racing end wins, nothing is recorded twice).
 */
export async function endImpersonation(
  services: Services,
  sessionId: string,
  end: { state: ImpersonationEndState; reason: string; byStaffId?: string | null; request?: Partial<RequestInfo> },
): Promise<ImpersonationSession | null> {
  const now = services.clock.now();
  const ended = await services.prisma.$transaction(async (tx) => {
    const { count } = await tx.impersonationSession.updateMany({
      where: { id: sessionId, endedAt: null },
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
      outcome: AuditOutcome.Allowed,
      createdAt: now,
      staffId: end.byStaffId ?? session.staffId,
      customerId: session.customerId,
      sessionId,
      reason: end.reason,
      ...auditContext(end.request),
    });
    return session;
  });
  if (ended) publishChange(services, ended);
  return ended;
}

/** Marks sessions past their expiry as EXPIRED (the sweeper, and before a start). */
export async function expireDueSessions(services: Services, where: { staffId?: string } = {}): Promise<number> {
  const due = await services.prisma.impersonationSession.findMany({
    where: { ...where, endedAt: null, expiresAt: { lte: services.clock.now() } },
    select: { id: true },
  });
  const ended = await Promise.all(
    due.map((session) => endImpersonation(services, session.id, { state: 'EXPIRED', reason: 'Time limit reached' })),
  );
  return ended.filter(Boolean).length;
}

/** Ends, as REVOKED, every active session matching `where` (staff deactivated, role lost, customer disabled). */
export async function revokeImpersonations(
  services: Services,
  where: { staffId?: string; customerId?: string },
  reason: string,
  byStaffId: string,
  request: RequestInfo,
): Promise<number> {
  const active = await services.prisma.impersonationSession.findMany({
    where: { ...where, endedAt: null },
    select: { id: true },
  });
  const ended = await Promise.all(
    active.map((session) => endImpersonation(services, session.id, { state: 'REVOKED', reason, byStaffId, request })),
  );
  return ended.filter(Boolean).length;
}

/** Expires sessions on time even when nobody is watching; every instance may run one. */
export function startExpirySweeper(services: Services, intervalMs = 1000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    expireDueSessions(services)
      .catch((error) => console.error('Impersonation expiry sweep failed', error))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
