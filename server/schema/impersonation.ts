// The staff view itself over GraphQL: the ImpersonationSession type and its state, the session
// queries, extend / end / terminate, and the admin's live list of active sessions. Rules come from
// impersonation/policy.ts, changes from impersonation/lifecycle.ts, streams from impersonation/live.ts.
import { ImpersonationEndState } from '@prisma/client';
import { isStillManager } from '../auth/use-identity.ts';
import type { Context } from '../context.ts';
import { notFound } from '../errors.ts';
import { extendImpersonation } from '../impersonation/extension.ts';
import { endImpersonation, findLiveSessions } from '../impersonation/lifecycle.ts';
import { activeSessionsStream } from '../impersonation/live.ts';
import { customerMessageSchema } from '../notifications/customer-texts.ts';
import { extensionDecision, remainingSeconds, sessionState, terminationReason } from '../impersonation/policy.ts';
import { builder } from './builder.ts';
import { CustomerDirectoryEntry } from './customers.ts';
import { ImpersonationEndStateEnum } from './enums.ts';
import { exemptFromReadOnly } from './read-only.ts';

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
    endReason: t.exposeString('endReason', {
      nullable: true,
      description: 'Why it ended, as recorded: staff and audit only, never shown to the customer.',
    }),
    customerMessage: t.exposeString('customerMessage', {
      nullable: true,
      description: 'What the terminating manager wrote to the customer (her notices and access log show it).',
    }),
    staff: t.relation('staff'),
    customer: t.relation('customer', { type: CustomerDirectoryEntry }),
    endedBy: t.relation('endedBy', { nullable: true }),
    approvedBy: t.relation('approvedBy', {
      nullable: true,
      description: 'Four-eyes: the second manager who approved the start.',
    }),
    tamperIncidents: t.exposeInt('tamperIncidents', {
      description:
        'Incidents in which the staff view found its banner, border or watermark hidden (access/tampering.ts).',
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

/** The session a staff member may act on: their own (from the admin app or the impersonation token). */
function ownSessionId(ctx: Context, sessionId: string | number): { sessionId: string; staffId: string } {
  const id = String(sessionId);
  if (ctx.impersonation && ctx.impersonation.id !== id) throw notFound('Impersonation session');
  return { sessionId: id, staffId: ctx.actor!.id };
}

builder.queryFields((t) => ({
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
  extendImpersonation: t.prismaField({
    ...exemptFromReadOnly('extendImpersonation'),
    type: ImpersonationSession,
    authScopes: { impersonating: true, manager: true },
    args: { sessionId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const { sessionId, staffId } = ownSessionId(ctx, args.sessionId);
      await extendImpersonation(ctx, sessionId, staffId);
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
      await endImpersonation(ctx, sessionId, { state: 'ENDED', reason: 'Ended by staff member', byStaffId: staffId });
      return ctx.prisma.impersonationSession.findUniqueOrThrow({ ...query, where: { id: sessionId } });
    },
  }),
  terminateImpersonation: t.withAuth({ manager: true }).prismaField({
    type: ImpersonationSession,
    description:
      'Ends another staff member’s session at once. Two audiences: `reason` is the internal note (the ' +
      'staff member thrown out and the audit read it, the customer never does); `customerMessage` is ' +
      'what the customer reads, or a neutral sentence from the salon when it is left out.',
    args: {
      sessionId: t.arg.id({ required: true }),
      reason: t.arg.string({
        required: true,
        validate: terminationReason,
        description: 'Internal note: staff and audit only, never shown to the customer.',
      }),
      customerMessage: t.arg.string({
        required: false,
        validate: customerMessageSchema,
        description: 'Message to the customer (optional): her end notice and access log show it.',
      }),
    },
    resolve: async (query, _root, args, ctx) => {
      const sessionId = String(args.sessionId);
      const session = await ctx.prisma.impersonationSession.findUnique({ where: { id: sessionId } });
      if (!session) throw notFound('Impersonation session');
      await endImpersonation(ctx, sessionId, {
        state: 'TERMINATED',
        reason: args.reason,
        byStaffId: ctx.actor.id,
        customerMessage: args.customerMessage ?? null,
      });
      return ctx.prisma.impersonationSession.findUniqueOrThrow({ ...query, where: { id: sessionId } });
    },
  }),
}));

builder.subscriptionField('activeImpersonationSessions', (t) =>
  t.withAuth({ manager: true }).prismaField({
    type: [ImpersonationSession],
    description: 'The live list of active sessions, pushed again on every start, extension and end.',
    subscribe: (_root, _args, ctx) => activeSessionsStream(ctx, () => isStillManager(ctx)),
    resolve: (query, _payload, _args, ctx) => findLiveSessions(ctx, query),
  }),
);
