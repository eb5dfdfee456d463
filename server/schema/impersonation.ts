// Impersonation sessions over GraphQL: the session types, the policy clients mirror, start /
// extend / end / terminate, the admin views, the customer's own access log, and the two live
// subscriptions (portal banner, admin active-sessions list). Rules come from
// impersonation/policy.ts, changes from impersonation/lifecycle.ts, streams from impersonation/live.ts.
import { AuditAction, AuditOutcome, ImpersonationEndState } from '@prisma/client';
import { z } from 'zod';
import { accessSummary } from '../audit/access-summary.ts';
import { petNamesOf, sessionActivityOf } from '../audit/session-activity.ts';
import { isStillManager } from '../auth/use-identity.ts';
import type { Context } from '../context.ts';
import { notFound } from '../errors.ts';
import {
  endImpersonation,
  extendImpersonation,
  findLiveSessions,
  startImpersonation,
  type StartOutcome,
} from '../impersonation/lifecycle.ts';
import { assertStaffViewsEnabled } from '../access/kill-switch.ts';
import { assertSteppedUp } from '../access/step-up.ts';
import { activeSessionsStream, sessionStatusStream, type SessionStatus } from '../impersonation/live.ts';
import { DELIVERS_SESSION_END } from '../impersonation/session-sockets.ts';
import {
  REASON_MAX,
  REASON_MIN,
  TERMINATE_REASON_MIN,
  extensionDecision,
  remainingSeconds,
  sessionState,
  startReason,
  terminationReason,
} from '../impersonation/policy.ts';
import { AccessRequestRef } from './access-request-types.ts';
import { builder } from './builder.ts';
import { Customer, CustomerDirectoryEntry } from './customers.ts';
import { ImpersonationEndStateEnum } from './enums.ts';
import { PageView } from './page-view.ts';
import { portalType } from './portal-read.ts';
import { exemptFromReadOnly } from './read-only.ts';
import { sensitive } from './sensitive.ts';

/** A session state, ACTIVE or how it ended. */
export const SessionStateEnum = builder.enumType('ImpersonationState', {
  values: ['ACTIVE', ...Object.values(ImpersonationEndState)] as const,
});

/**
 * The session of the token in use as this request's identity read it (auth/identity.ts, with its
 * customer and staff member, checked live), when the selection needs no other relation: the banner's
 * fields on every staff-view page then cost no statement of their own. Null otherwise (query it).
 */
function sessionFromIdentity(
  query: { include?: Record<string, unknown>; select?: unknown },
  ctx: Pick<Context, 'impersonation' | 'customer' | 'actor'>,
) {
  const { impersonation, customer, actor } = ctx;
  if (!impersonation || !customer || !actor || query.select) return null;
  const relations = Object.entries(query.include ?? {});
  if (!relations.every(([name, include]) => (name === 'customer' || name === 'staff') && include === true)) return null;
  return { ...impersonation, customer, staff: actor };
}

/** A staff view for managers and the staff member themselves. */
export const ImpersonationSession = builder.prismaObject('ImpersonationSession', {
  fields: (t) => ({
    id: t.exposeID('id'),
    reason: t.exposeString('reason'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    extendedAt: t.expose('extendedAt', { type: 'DateTime', nullable: true }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    endState: t.expose('endState', { type: ImpersonationEndStateEnum, nullable: true }),
    endReason: t.exposeString('endReason', { nullable: true }),
    staff: t.relation('staff'),
    customer: t.relation('customer', { type: CustomerDirectoryEntry }),
    endedBy: t.relation('endedBy', { nullable: true }),
    approvedBy: t.relation('approvedBy', {
      nullable: true,
      description: 'Four-eyes: the second manager who approved the start.',
    }),
    state: t.field({
      type: SessionStateEnum,
      resolve: (session, _args, ctx) => sessionState(session, ctx.clock.now()),
    }),
    remainingSeconds: t.int({ resolve: (session, _args, ctx) => remainingSeconds(session, ctx.clock.now()) }),
    canExtend: t.boolean({
      resolve: (session, _args, ctx) => extensionDecision(session, ctx.clock.now(), ctx.limits).allowed,
    }),
    extensionAvailableAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (session, _args, ctx) => extensionDecision(session, ctx.clock.now(), ctx.limits).availableAt,
    }),
  }),
});

const ImpersonationStatus = builder.objectRef<SessionStatus>('ImpersonationStatus').implement({
  description: 'The live state of the impersonation session of the token in use.',
  fields: (t) => ({
    sessionId: t.id({ resolve: ({ session }) => session.id }),
    state: t.field({ type: SessionStateEnum, resolve: ({ session, now }) => sessionState(session, now) }),
    remainingSeconds: t.int({ resolve: ({ session, now }) => remainingSeconds(session, now) }),
    expiresAt: t.field({ type: 'DateTime', resolve: ({ session }) => session.expiresAt }),
    serverTime: t.field({
      type: 'DateTime',
      description: 'For clients to correct their clock.',
      resolve: ({ now }) => now,
    }),
    endReason: t.string({ nullable: true, resolve: ({ session }) => session.endReason }),
    canExtend: t.boolean({
      resolve: ({ session, now }, _args, ctx) => extensionDecision(session, now, ctx.limits).allowed,
    }),
    extensionAvailableAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: ({ session, now }, _args, ctx) => extensionDecision(session, now, ctx.limits).availableAt,
    }),
  }),
});

const StaffAccess = builder.prismaObject('ImpersonationSession', {
  variant: 'StaffAccess',
  ...portalType,
  description: 'A staff member viewed this account: who, when, why.',
  fields: (t) => ({
    id: t.exposeID('id'),
    staffName: t.string({ select: { staff: { select: { name: true } } }, resolve: (session) => session.staff.name }),
    reason: t.exposeString('reason'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    endState: t.expose('endState', { type: ImpersonationEndStateEnum, nullable: true }),
    endReason: t.exposeString('endReason', {
      nullable: true,
      description: 'Why it ended, in the words recorded (a manager’s reason when ended early).',
    }),
    viewed: t.field({
      type: [PageView],
      description: 'The pages of the portal shown, in the order first seen.',
      resolve: async (session, _args, ctx) => (await sessionActivityOf(ctx)(session.id)).views,
    }),
    summary: t.string({
      description: 'In plain words: "Mara Quinn viewed Billing (2 invoices) and My Pets (Biscuit)".',
      select: { staff: { select: { name: true } } },
      resolve: async (session, _args, ctx) => {
        const activity = await sessionActivityOf(ctx)(session.id);
        return accessSummary({
          staffName: session.staff.name,
          views: activity.views,
          petNames: await petNamesOf(ctx.prisma, session.customerId, activity.views),
          refused: activity.denied,
          active: sessionState(session, ctx.clock.now()) === 'ACTIVE',
        });
      },
    }),
  }),
});

builder.prismaObjectField(Customer, 'staffAccessLog', (t) =>
  t.relation('impersonationSessions', {
    type: StaffAccess,
    description: 'Every time staff viewed this account, newest first.',
    query: { orderBy: { startedAt: 'desc' } },
  }),
);

/** What a start did; REQUESTED waits for answers (access/requests.ts); a later gate may add its status. */
const StartImpersonationStatus = builder.enumType('StartImpersonationStatus', {
  values: {
    STARTED: { description: 'The session began: `token` and `session` are set.' },
    REQUESTED: {
      description: 'The customer must consent or a second manager approve first: `accessRequest` is set.',
    },
  } as const,
});

const StartImpersonationPayload = builder.objectRef<StartOutcome>('StartImpersonationPayload').implement({
  fields: (t) => ({
    status: t.field({ type: StartImpersonationStatus, resolve: (outcome) => outcome.status }),
    token: t.string({
      nullable: true,
      description: 'Bearer token for the portal, valid while the session is active (STARTED only).',
      resolve: (outcome) => (outcome.status === 'STARTED' ? outcome.token : null),
    }),
    session: t.field({
      type: ImpersonationSession,
      nullable: true,
      resolve: (outcome) => (outcome.status === 'STARTED' ? outcome.session : null),
    }),
    accessRequest: t.field({
      type: AccessRequestRef,
      nullable: true,
      description: 'The request the start became (REQUESTED only); follow it with the `accessRequest` subscription.',
      resolve: (outcome) => (outcome.status === 'REQUESTED' ? outcome.accessRequest : null),
    }),
  }),
});

/** The session a staff member may act on: their own (from the admin app or the impersonation token). */
function ownSessionId(ctx: Context, sessionId: string | number): { sessionId: string; staffId: string } {
  const id = String(sessionId);
  if (ctx.impersonation && ctx.impersonation.id !== id) throw notFound('Impersonation session');
  return { sessionId: id, staffId: ctx.actor!.id };
}

const ImpersonationPolicy = builder.objectRef<Context>('ImpersonationPolicy').implement({
  description: 'The rules a staff view follows, for clients to mirror (the server enforces them).',
  fields: (t) => ({
    reasonMinLength: t.int({ resolve: () => REASON_MIN }),
    reasonMaxLength: t.int({ resolve: () => REASON_MAX }),
    terminateReasonMinLength: t.int({ resolve: () => TERMINATE_REASON_MIN }),
    durationMinutes: t.int({ resolve: (ctx) => ctx.config.IMPERSONATION_DURATION_MINUTES }),
    extensionMinutes: t.int({ resolve: (ctx) => ctx.config.IMPERSONATION_EXTENSION_MINUTES }),
    extensionWindowMinutes: t.int({ resolve: (ctx) => ctx.config.IMPERSONATION_EXTENSION_WINDOW_MINUTES }),
    maxTotalMinutes: t.int({ resolve: (ctx) => ctx.config.IMPERSONATION_MAX_TOTAL_MINUTES }),
  }),
});

builder.queryFields((t) => ({
  impersonationPolicy: t.field({
    type: ImpersonationPolicy,
    authScopes: { staff: true, impersonating: true },
    resolve: (_root, _args, ctx) => ctx,
  }),
  impersonationSession: t.prismaField({
    type: ImpersonationSession,
    nullable: true,
    authScopes: { manager: true, impersonating: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) => {
      if (ctx.impersonation && ctx.impersonation.id !== String(id)) return null;
      return ctx.prisma.impersonationSession.findUnique({ ...query, where: { id: String(id) } });
    },
  }),
  currentImpersonation: t.withAuth({ impersonating: true }).prismaField({
    type: ImpersonationSession,
    description: 'The session of the impersonation token in use.',
    resolve: (query, _root, _args, ctx) =>
      sessionFromIdentity(query, ctx) ??
      ctx.prisma.impersonationSession.findUniqueOrThrow({ ...query, where: { id: ctx.impersonation.id } }),
  }),
  activeImpersonationSessions: t.withAuth({ manager: true }).prismaField({
    type: [ImpersonationSession],
    resolve: (query, _root, _args, ctx) => findLiveSessions(ctx, query),
  }),
}));

builder.mutationFields((t) => ({
  startImpersonation: t.withAuth({ manager: true }).field({
    type: StartImpersonationPayload,
    description: `Starts viewing the portal as a customer (read-only). Reason: ${REASON_MIN}-${REASON_MAX} characters.`,
    args: {
      customerId: t.arg.id({ required: true }),
      reason: t.arg.string({ required: true, validate: startReason }),
      password: t.arg.string({
        required: false,
        description: 'The manager’s password, when a step-up is due (STEP_UP_REQUIRED) or asked up front.',
        validate: z.string().max(200),
        ...sensitive,
      }),
    },
    resolve: async (_root, { customerId, reason, password }, ctx) => {
      await assertStaffViewsEnabled(ctx.prisma);
      await assertSteppedUp(ctx, password);
      await ctx.rateLimits.startImpersonation(ctx.actor.id);
      return startImpersonation(ctx, ctx.actor, { customerId: String(customerId), reason }, ctx);
    },
  }),
  extendImpersonation: t.prismaField({
    ...exemptFromReadOnly('extendImpersonation'),
    type: ImpersonationSession,
    authScopes: { impersonating: true, manager: true },
    args: { sessionId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const { sessionId, staffId } = ownSessionId(ctx, args.sessionId);
      await extendImpersonation(ctx, sessionId, staffId, ctx);
      return ctx.prisma.impersonationSession.findUniqueOrThrow({ ...query, where: { id: sessionId } });
    },
  }),
  endImpersonation: t.prismaField({
    ...exemptFromReadOnly('endImpersonation'),
    type: ImpersonationSession,
    authScopes: { impersonating: true, manager: true },
    args: { sessionId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const { sessionId, staffId } = ownSessionId(ctx, args.sessionId);
      const session = await ctx.prisma.impersonationSession.findFirst({ where: { id: sessionId, staffId } });
      if (!session) throw notFound('Impersonation session');
      await endImpersonation(ctx, sessionId, {
        state: 'ENDED',
        reason: 'Ended by staff member',
        byStaffId: staffId,
        request: ctx,
      });
      return ctx.prisma.impersonationSession.findUniqueOrThrow({ ...query, where: { id: sessionId } });
    },
  }),
  terminateImpersonation: t.withAuth({ manager: true }).prismaField({
    type: ImpersonationSession,
    description: 'Ends another staff member’s session at once; their portal is closed with this reason.',
    args: {
      sessionId: t.arg.id({ required: true }),
      reason: t.arg.string({ required: true, validate: terminationReason }),
    },
    resolve: async (query, _root, args, ctx) => {
      const sessionId = String(args.sessionId);
      const session = await ctx.prisma.impersonationSession.findUnique({ where: { id: sessionId } });
      if (!session) throw notFound('Impersonation session');
      await endImpersonation(ctx, sessionId, {
        state: 'TERMINATED',
        reason: args.reason,
        byStaffId: ctx.actor.id,
        request: ctx,
      });
      return ctx.prisma.impersonationSession.findUniqueOrThrow({ ...query, where: { id: sessionId } });
    },
  }),
}));

/** The marks of a staff view the browser must keep on screen. */
const StaffViewMark = builder.enumType('StaffViewMark', { values: ['BANNER', 'BORDER', 'WATERMARK'] as const });

builder.mutationField('reportStaffViewTampering', (t) =>
  t.withAuth({ impersonating: true }).boolean({
    ...exemptFromReadOnly('reportStaffViewTampering'),
    description: 'The staff view’s client found a mark hidden or removed (and restored it): recorded in the audit.',
    args: {
      mark: t.arg({ type: StaffViewMark, required: true }),
      how: t.arg.string({ required: false, validate: z.string().max(200) }),
    },
    resolve: async (_root, { mark, how }, ctx) => {
      await ctx.rateLimits.staffViewReport(ctx.impersonation.id);
      ctx.auditTrace?.note({
        action: AuditAction.STAFF_VIEW_TAMPERED,
        outcome: AuditOutcome.DENIED,
        customerId: ctx.impersonation.customerId,
        reason: how ? `${mark}: ${how}` : mark,
      });
      return true;
    },
  }),
);

builder.subscriptionFields((t) => ({
  impersonationSession: t.withAuth({ impersonating: true }).field({
    type: ImpersonationStatus,
    description: 'The banner feed: remaining time every tick, and the end (with its reason) at once.',
    // The feed ends after pushing the end: the socket registry closes the socket once it was sent.
    extensions: { [DELIVERS_SESSION_END]: true },
    subscribe: (_root, _args, ctx) => sessionStatusStream(ctx, ctx.impersonation.id),
    resolve: (status) => status,
  }),
  activeImpersonationSessions: t.withAuth({ manager: true }).prismaField({
    type: [ImpersonationSession],
    description: 'The live list of active sessions, pushed again on every start, extension and end.',
    subscribe: (_root, _args, ctx) => activeSessionsStream(ctx, () => isStillManager(ctx)),
    resolve: (query, _payload, _args, ctx) => findLiveSessions(ctx, query),
  }),
}));
