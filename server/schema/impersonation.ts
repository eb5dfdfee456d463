// Impersonation sessions over GraphQL: start/extend/end/terminate, the revocations that managers
// trigger (staff deactivated or demoted, customer disabled), the admin views, the customer's own
// access log, and the two live subscriptions (portal banner, admin active-sessions list).
import { Prisma, type ImpersonationSession as SessionRow } from '@prisma/client';
import { Repeater } from 'graphql-yoga';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { notFound } from '../errors.ts';
import {
  endImpersonation,
  expireDueSessions,
  extendImpersonation,
  revokeImpersonations,
  startImpersonation,
} from '../impersonation/sessions.ts';
import {
  extensionDecision,
  remainingSeconds,
  sessionState,
  REASON_MAX,
  REASON_MIN,
  TERMINATE_REASON_MIN,
} from '../impersonation/rules.ts';
import { builder, exemptFromReadOnly } from './builder.ts';
import { Customer } from './customers.ts';
import { CustomerStatusEnum, ImpersonationEndStateEnum, StaffRoleEnum } from './enums.ts';
import { Staff } from './staff.ts';

export const SessionStateEnum = builder.enumType('ImpersonationState', {
  values: ['ACTIVE', 'ENDED', 'EXPIRED', 'TERMINATED', 'REVOKED'] as const,
});

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
    customer: t.relation('customer'),
    endedBy: t.relation('endedBy', { nullable: true }),
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

/** What the portal banner needs, pushed on every tick and change. */
interface SessionStatus {
  session: SessionRow;
  now: Date;
}

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
  description: 'A staff member viewed this account: who, when, why.',
  fields: (t) => ({
    id: t.exposeID('id'),
    staffName: t.string({ select: { staff: { select: { name: true } } }, resolve: (session) => session.staff.name }),
    reason: t.exposeString('reason'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    endState: t.expose('endState', { type: ImpersonationEndStateEnum, nullable: true }),
  }),
});

builder.prismaObjectField(Customer, 'staffAccessLog', (t) =>
  t.relation('impersonationSessions', {
    type: StaffAccess,
    description: 'Every time staff viewed this account, newest first.',
    query: { orderBy: { startedAt: 'desc' } },
  }),
);

const StartImpersonationPayload = builder
  .objectRef<{ token: string; session: SessionRow }>('StartImpersonationPayload')
  .implement({
    fields: (t) => ({
      token: t.exposeString('token', {
        description: 'Bearer token for the portal, valid while the session is active.',
      }),
      session: t.field({ type: ImpersonationSession, resolve: ({ session }) => session }),
    }),
  });

const reasonArg = z
  .string()
  .trim()
  .min(REASON_MIN, `at least ${REASON_MIN} characters`)
  .max(REASON_MAX, `at most ${REASON_MAX} characters`);

/** The session a staff member may act on: their own (from the admin app or the impersonation token). */
function ownSessionId(ctx: Context, sessionId: string | number): { sessionId: string; staffId: string } {
  const id = String(sessionId);
  if (ctx.impersonation && ctx.impersonation.id !== id) throw notFound('Impersonation session');
  return { sessionId: id, staffId: ctx.actor!.id };
}

/** Sessions not ended and not past their expiry, newest first: the admin list, queried or pushed. */
function activeSessions(
  ctx: Context,
  query: { include?: Prisma.ImpersonationSessionInclude; select?: Prisma.ImpersonationSessionSelect },
) {
  return ctx.prisma.impersonationSession.findMany({
    ...query,
    where: { endedAt: null, expiresAt: { gt: ctx.clock.now() } },
    orderBy: { startedAt: 'desc' },
  });
}

/** Runs an update by id; a missing row (Prisma P2025) is NOT_FOUND, any other failure stays unexpected. */
async function updateOrNotFound<T>(update: Promise<T>, what: string): Promise<T> {
  try {
    return await update;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') throw notFound(what);
    throw error;
  }
}

/** Signs out every customer or staff token matching `where`. */
function revokeSignIns(ctx: Context, where: { staffId: string } | { customerId: string }) {
  return ctx.prisma.authSession.updateMany({
    where: { ...where, revokedAt: null },
    data: { revokedAt: ctx.clock.now() },
  });
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
      ctx.prisma.impersonationSession.findUniqueOrThrow({ ...query, where: { id: ctx.impersonation.id } }),
  }),
  activeImpersonationSessions: t.withAuth({ manager: true }).prismaField({
    type: [ImpersonationSession],
    resolve: (query, _root, _args, ctx) => activeSessions(ctx, query),
  }),
}));

builder.mutationFields((t) => ({
  startImpersonation: t.withAuth({ manager: true }).field({
    type: StartImpersonationPayload,
    description: `Starts viewing the portal as a customer (read-only). Reason: ${REASON_MIN}-${REASON_MAX} characters.`,
    args: { customerId: t.arg.id({ required: true }), reason: t.arg.string({ required: true, validate: reasonArg }) },
    resolve: (_root, { customerId, reason }, ctx) =>
      startImpersonation(ctx, ctx.actor, { customerId: String(customerId), reason }, ctx),
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
      reason: t.arg.string({ required: true, validate: z.string().trim().min(TERMINATE_REASON_MIN).max(REASON_MAX) }),
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
  setStaffActive: t.withAuth({ manager: true }).prismaField({
    type: Staff,
    description: 'Deactivating signs the staff member out and ends their impersonation sessions.',
    args: { staffId: t.arg.id({ required: true }), active: t.arg.boolean({ required: true }) },
    resolve: async (query, _root, { staffId, active }, ctx) => {
      const staff = await updateOrNotFound(
        ctx.prisma.staff.update({ where: { id: String(staffId) }, data: { active } }),
        'Staff member',
      );
      if (!active) {
        await revokeSignIns(ctx, { staffId: staff.id });
        await revokeImpersonations(ctx, { staffId: staff.id }, 'Staff member deactivated', ctx.actor.id, ctx);
      }
      return ctx.prisma.staff.findUniqueOrThrow({ ...query, where: { id: staff.id } });
    },
  }),
  setStaffRole: t.withAuth({ manager: true }).prismaField({
    type: Staff,
    description: 'Moving a manager to another role ends their impersonation sessions.',
    args: { staffId: t.arg.id({ required: true }), role: t.arg({ type: StaffRoleEnum, required: true }) },
    resolve: async (query, _root, { staffId, role }, ctx) => {
      const staff = await updateOrNotFound(
        ctx.prisma.staff.update({ where: { id: String(staffId) }, data: { role } }),
        'Staff member',
      );
      if (role !== 'MANAGER') {
        await revokeImpersonations(ctx, { staffId: staff.id }, 'Staff member lost the manager role', ctx.actor.id, ctx);
      }
      return ctx.prisma.staff.findUniqueOrThrow({ ...query, where: { id: staff.id } });
    },
  }),
  setCustomerStatus: t.withAuth({ manager: true }).prismaField({
    type: Customer,
    description: 'Disabling a customer signs them out and ends every session viewing them.',
    args: { customerId: t.arg.id({ required: true }), status: t.arg({ type: CustomerStatusEnum, required: true }) },
    resolve: async (query, _root, { customerId, status }, ctx) => {
      const customer = await updateOrNotFound(
        ctx.prisma.customer.update({ where: { id: String(customerId) }, data: { status } }),
        'Customer',
      );
      if (status === 'DISABLED') {
        await revokeSignIns(ctx, { customerId: customer.id });
        await revokeImpersonations(ctx, { customerId: customer.id }, 'Customer account disabled', ctx.actor.id, ctx);
      }
      return ctx.prisma.customer.findUniqueOrThrow({ ...query, where: { id: customer.id } });
    },
  }),
}));

/**
 * Pushes the session's status now, on every tick and on every change event, and stops after
 * pushing the end. A session found past its expiry is expired here too, so the end is pushed on
 * time even between two sweeps.
 */
function sessionStatusStream(ctx: Context & { impersonation: SessionRow }): AsyncIterable<SessionStatus> {
  const sessionId = ctx.impersonation.id;
  return new Repeater<SessionStatus>(async (push, stop) => {
    const load = () => ctx.prisma.impersonationSession.findUniqueOrThrow({ where: { id: sessionId } });
    const emit = async (session: SessionRow) => {
      const now = ctx.clock.now();
      await push({ session, now });
      if (sessionState(session, now) !== 'ACTIVE') stop();
    };
    const refresh = async () => {
      let session = await load();
      if (!session.endedAt && session.expiresAt <= ctx.clock.now()) {
        await expireDueSessions(ctx, { staffId: session.staffId });
        session = await load();
      }
      await emit(session);
    };
    const events = ctx.pubsub.subscribe('impersonation:session', sessionId);
    const timer = setInterval(() => void refresh().catch(stop), ctx.config.IMPERSONATION_TICK_MS);
    void (async () => {
      for await (const _event of events) await refresh();
    })().catch(stop);
    await refresh().catch(stop);
    await stop;
    clearInterval(timer);
    await events.return?.();
  });
}

function activeSessionsStream(ctx: Context): AsyncIterable<true> {
  return new Repeater<true>(async (push, stop) => {
    const events = ctx.pubsub.subscribe('impersonation:active');
    await push(true);
    void (async () => {
      for await (const _event of events) await push(true);
    })().catch(stop);
    await stop;
    await events.return?.();
  });
}

builder.subscriptionFields((t) => ({
  impersonationSession: t.withAuth({ impersonating: true }).field({
    type: ImpersonationStatus,
    description: 'The banner feed: remaining time every tick, and the end (with its reason) at once.',
    subscribe: (_root, _args, ctx) => sessionStatusStream(ctx),
    resolve: (status) => status,
  }),
  activeImpersonationSessions: t.withAuth({ manager: true }).prismaField({
    type: [ImpersonationSession],
    description: 'The live list of active sessions, pushed again on every start, extension and end.',
    subscribe: (_root, _args, ctx) => activeSessionsStream(ctx),
    resolve: (query, _payload, _args, ctx) => activeSessions(ctx, query),
  }),
}));
