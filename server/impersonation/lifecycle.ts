// The impersonation session lifecycle: start, end (extension: extension.ts) (by the staff member, their sign-out,
// expiry, another manager, the customer, the kill switch, or revocation: revocation.ts). Each change
// and its audit record commit in one transaction, then the change is published so banners, admin
// lists and open sockets react on every instance (session-end.ts). The rules are asked of policy.ts.
import {
  AuditAction,
  AuditOutcome,
  Prisma,
  type AccessRequest,
  type AuthSession,
  type ImpersonationSession,
  type Staff,
} from '@prisma/client';
import { appendAuditInTransaction, auditRequestContext } from '../audit/chain.ts';
import { createAuthSession } from '../auth/identity.ts';
import { SignInEndReason, announceSignInsEnded, markSignInsRevoked } from '../auth/sign-ins.ts';
import type { Context, RequestInfo, Services } from '../context.ts';
import { conflict } from '../errors.ts';
import { enqueueStaffAccessNotice } from '../notifications/outbox.ts';
import { assertStaffViewsEnabled, assertStaffViewsEnabledInTransaction } from '../access/staff-views.ts';
import { assertViewRightNotSuspended } from '../access/reviews-policy.ts';
import { passStartGate, publishRequestChange, useApproval } from '../access/requests.ts';
import {
  EXPIRY_REASON,
  assertCanStart,
  assertValidReason,
  dueSessionWhere,
  liveSessionWhere,
  sessionTimes,
  unendedSessionWhere,
} from './policy.ts';
import { assertStillAllowed, lockPeopleForStart } from './people-locks.ts';
import { isWholePortal, type CheckedScope } from './scope.ts';
import { endSessionInTransaction, publishSessionChange, type SessionEnd } from './session-end.ts';
import { staffViewStarts } from '../observability/process-metrics.ts';
import {
  breakGlassTimes,
  checkBreakGlassStart,
  useBreakGlassInTransaction,
  type EmergencyInput,
} from '../access/break-glass.ts';
import { raiseStartAlerts } from '../alerts/evaluate.ts';
import { publishAlerts } from '../alerts/raise.ts';

type Actor = Pick<Staff, 'id' | 'active' | 'role' | 'name'>;

/** What a start did: a session began, or the start waits as an access request (consent, four-eyes). */
export type StartOutcome =
  | { status: 'STARTED'; token: string; session: ImpersonationSession }
  | { status: 'REQUESTED'; accessRequest: AccessRequest };

/** A manager's start as it arrives: their request context (sign-in, address, audit trace). */
export type StartRequest = Context & { actor: Actor & Pick<Staff, 'email'> };

/**
 * Starts a session for the manager of `ctx` on a customer and returns it with its bearer token
 * (shown once); or, when the customer must consent or a second manager approve (access/requests.ts),
 * the request. Every check a start passes is made here, in this order: staff views on (the kill
 * switch), the start rate limit, then the rules. Step-up (the manager's password when one is due)
 * comes before, with every privileged field's (schema/step-up-plugin.ts). With `emergency`
 * (break-glass, access/break-glass.ts) the consent and four-eyes gate is bypassed, never the rest:
 * her recent Stop or "no" refuses it, it has its own rate limit, the shortest limit, an alert and a review.
 */
export async function startImpersonation(
  ctx: StartRequest,
  input: {
    customerId: string;
    reason: string;
    scope: CheckedScope;
    ticket: string | null;
    emergency?: EmergencyInput | null;
  },
): Promise<StartOutcome> {
  await assertStaffViewsEnabled(ctx.prisma);
  await ctx.rateLimits.startImpersonation(ctx.actor.id);
  const services: Services = ctx;
  const { actor } = ctx;
  const request: RequestInfo = ctx;
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
  // An access review's suspension (access/reviews.ts), before any request is made in the manager's name.
  assertViewRightNotSuspended(
    await services.prisma.staff.findUnique({ where: { id: actor.id }, select: { viewRightSuspendedAt: true } }),
  );
  const { scope, need } = input.scope;
  const breakGlass = input.emergency ? await checkBreakGlassStart(ctx, input.customerId, input.emergency) : null;
  const gate = breakGlass ? ({ open: true, approval: null } as const) : await passStartGate(ctx, { ...input, reason });
  if (!gate.open) return { status: 'REQUESTED', accessRequest: gate.request };
  const approval = gate.approval;
  const times = breakGlass
    ? breakGlassTimes(now, services.config, services.limits)
    : sessionTimes(now, services.limits);
  try {
    const { session, token, alert } = await services.prisma.$transaction(async (tx) => {
      await assertStaffViewsEnabledInTransaction(tx);
      await lockPeopleForStart(tx, { staffId: actor.id, customerId: input.customerId });
      const created = await tx.impersonationSession.create({
        data: {
          staffId: actor.id,
          customerId: input.customerId,
          reason,
          startedAt: now,
          expiresAt: times.expiresAt,
          approvedByStaffId: approval?.approvedByStaffId ?? null,
          scope,
          scopeNeed: need,
          ticket: input.ticket,
          emergencyCategory: breakGlass?.category ?? null,
        },
      });
      // Again in the transaction: a block committed since the gate's read (her "no" meanwhile) holds.
      const emergency = breakGlass
        ? await useBreakGlassInTransaction(tx, breakGlass, created, now, services.config)
        : null;
      if (!emergency)
        await assertStillAllowed(tx, { staffId: actor.id, customerId: input.customerId, scope }, approval, now);
      if (approval) await useApproval(tx, approval, created.id, now);
      await appendAuditInTransaction(tx, {
        action: AuditAction.SESSION_STARTED,
        outcome: AuditOutcome.ALLOWED,
        createdAt: now,
        staffId: actor.id,
        customerId: input.customerId,
        sessionId: created.id,
        reason,
        seen: {
          scope: { sections: scope, wholePortal: isWholePortal(scope), need },
          ticket: input.ticket,
          ...(emergency && { breakGlass: emergency.seen }),
          ...(approval && {
            approval: { accessRequestId: approval.id, approvedByStaffId: approval.approvedByStaffId },
          }),
        },
        ...auditRequestContext(request),
      });
      await enqueueStaffAccessNotice(tx, created.id, 'STARTED', now);
      // The token commits with its session: a revocation that ends the session finds its token.
      const { token } = await createAuthSession(tx, {
        kind: 'IMPERSONATION',
        staffId: actor.id,
        impersonationSessionId: created.id,
        createdAt: now,
        expiresAt: times.tokenExpiresAt,
      });
      return { session: created, token, alert: emergency?.alert };
    });
    publishSessionChange(services, session);
    publishAlerts(services, [alert]);
    // The rules on starts (views per hour, outside business hours, protected customer): alerts/evaluate.ts.
    await raiseStartAlerts(services, session).catch((error: unknown) => console.error('Start alerts failed', error));
    staffViewStarts.inc({ scope: isWholePortal(scope) ? 'whole_portal' : 'sections' });
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

/** Ends one session in its own transaction, then publishes it; `request` is where the end came from. */
async function endOnce(services: Services, sessionId: string, end: SessionEnd, request: Partial<RequestInfo>) {
  const now = services.clock.now();
  const ended = await services.prisma.$transaction((tx) => endSessionInTransaction(tx, sessionId, end, now, request));
  if (ended) publishSessionChange(services, ended);
  return ended;
}

/**
 * Ends a session once, whatever ended it: the row, the token and the audit record (naming the
 * request of `ctx`, none for the services alone) change together. Returns null when it had already
 * ended (a racing end wins, nothing is recorded twice).
 */
export function endImpersonation(
  ctx: Services & Partial<RequestInfo>,
  sessionId: string,
  end: SessionEnd,
): Promise<ImpersonationSession | null> {
  return endOnce(ctx, sessionId, end, ctx);
}

/** Ends each of these sessions in its own transaction, as {@link endImpersonation}; how many it ended (not ended already). */
export async function endSessions(
  ctx: Services & Partial<RequestInfo>,
  sessions: { id: string }[],
  end: SessionEnd,
): Promise<number> {
  const ended = await Promise.all(sessions.map((session) => endImpersonation(ctx, session.id, end)));
  return ended.filter(Boolean).length;
}

/**
 * Signs out the sign-in of the request of `ctx`. A staff member's sign-out also ends their active
 * impersonation session (ENDED, "Signed out"): the revocation, the end and its audit record
 * commit together, then the sockets of both close on every instance.
 */
export async function signOut(
  ctx: Services & RequestInfo & { authSession: Pick<AuthSession, 'id' | 'kind' | 'staffId'> },
): Promise<void> {
  const signIn = ctx.authSession;
  const now = ctx.clock.now();
  const staffId = signIn.kind === 'STAFF' ? signIn.staffId : null;
  const ended = await ctx.prisma.$transaction(async (tx) => {
    await markSignInsRevoked(tx, { id: signIn.id }, now);
    if (!staffId) return [];
    const active = await tx.impersonationSession.findMany({
      where: { staffId, ...unendedSessionWhere },
      select: { id: true },
    });
    const sessions: ImpersonationSession[] = [];
    for (const { id } of active) {
      const end = { state: 'ENDED', reason: SignInEndReason.SignedOut, byStaffId: staffId } as const;
      const session = await endSessionInTransaction(tx, id, end, now, ctx);
      if (session) sessions.push(session);
    }
    return sessions;
  });
  announceSignInsEnded(ctx.pubsub, [signIn.id], SignInEndReason.SignedOut);
  for (const session of ended) publishSessionChange(ctx, session);
}

/**
 * Records the end of every session past its expiry (the sweeper, and before a start). An expiry is
 * nobody's request: its record names none, even when `services` is the context of the start.
 */
export async function expireDueSessions(services: Services, where: { staffId?: string } = {}): Promise<number> {
  const due = await services.prisma.impersonationSession.findMany({
    where: { ...where, ...dueSessionWhere(services.clock.now()) },
    select: { id: true },
  });
  const end = { state: 'EXPIRED', reason: EXPIRY_REASON } as const;
  const ended = await Promise.all(due.map((session) => endOnce(services, session.id, end, {})));
  return ended.filter(Boolean).length;
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
