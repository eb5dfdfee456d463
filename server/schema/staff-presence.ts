// The customer in control (SPEC 7): who from the salon is viewing their account right now
// (StaffPresence, live), "Stop this view", and the words they wrote shown back to the staff member
// (ImpersonationSession.customerWords). Rules live in access/presence.ts.
import type { Context } from '../context.ts';
import {
  CUSTOMER_STOP_REASON,
  customerStopWords,
  presenceStream,
  sessionsViewing,
  stopStaffView,
} from '../access/presence.ts';
import { builder } from './builder.ts';
import { ImpersonationSession } from './impersonation.ts';
import { portalType } from './portal-read.ts';

/** The customer's own sign-in: not staff, not a staff view of them (they would see themselves). */
const customerSelf = (ctx: Context) => ctx.customer !== null && ctx.impersonation === null;

const StaffPresence = builder.prismaObject('ImpersonationSession', {
  variant: 'StaffPresence',
  ...portalType,
  description: 'Someone from the salon is viewing this account now: who, from where, why, since when.',
  fields: (t) => ({
    id: t.exposeID('id'),
    staffName: t.string({ select: { staff: { select: { name: true } } }, resolve: (session) => session.staff.name }),
    salonName: t.string({ resolve: (_session, _args, ctx) => ctx.config.SALON_NAME }),
    reason: t.exposeString('reason'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields(ImpersonationSession, (t) => ({
  customerWords: t.string({
    nullable: true,
    description: 'What the customer wrote when they stopped this view, if they stopped it and wrote anything.',
    select: { endState: true, endReason: true },
    resolve: (session) =>
      session.endState === 'STOPPED_BY_CUSTOMER' && session.endReason !== CUSTOMER_STOP_REASON
        ? session.endReason
        : null,
  }),
}));

builder.queryField('staffPresence', (t) =>
  t.prismaField({
    type: [StaffPresence],
    description: 'Who from the salon is viewing your account right now.',
    authScopes: (_root, _args, ctx) => customerSelf(ctx),
    resolve: (query, _root, _args, ctx) => sessionsViewing(ctx, ctx.customer!.id, query),
  }),
);

builder.mutationField('stopStaffView', (t) =>
  t.withAuth({ customer: true }).boolean({
    description: 'Ends, at once, a staff view of your account. The staff member reads your words, if any.',
    args: {
      sessionId: t.arg.id({ required: true }),
      message: t.arg.string({ required: false, validate: customerStopWords }),
    },
    resolve: async (_root, { sessionId, message }, ctx) => {
      await stopStaffView(ctx, { sessionId: String(sessionId), words: message });
      return true;
    },
  }),
);

builder.subscriptionField('staffPresence', (t) =>
  t.prismaField({
    type: [StaffPresence],
    description: 'Who from the salon is viewing your account, pushed again whenever a view starts or ends.',
    authScopes: (_root, _args, ctx) => customerSelf(ctx),
    subscribe: (_root, _args, ctx) => presenceStream(ctx, ctx.customer!.id),
    resolve: (query, _payload, _args, ctx) => sessionsViewing(ctx, ctx.customer!.id, query),
  }),
);
