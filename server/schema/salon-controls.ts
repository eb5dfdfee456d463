// The customer in control and the salon's controls over staff views (SPEC 7), over GraphQL: the
// customer's live presence notice and "Stop this view", the salon-wide kill switch, and whether
// the manager's password must be asked again (step-up) before a start. Rules live in
// access/presence.ts, kill-switch.ts and step-up.ts.
import type { SalonSettings } from '@prisma/client';
import { currentIdentity } from '../auth/use-identity.ts';
import type { Context } from '../context.ts';
import { REASON_MAX } from '../impersonation/policy.ts';
import {
  DISABLE_REASON_MIN,
  disableReason,
  enableReason,
  salonSettings,
  staffViewsStream,
  switchStaffViews,
} from '../access/kill-switch.ts';
import {
  CUSTOMER_STOP_REASON,
  customerStopWords,
  presenceStream,
  sessionsViewing,
  stopStaffView,
} from '../access/presence.ts';
import { stepUpDue } from '../access/step-up.ts';
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

interface Controls {
  settings: SalonSettings;
  ctx: Context;
}

const StaffViewControls = builder.objectRef<Controls>('StaffViewControls').implement({
  description: 'Whether staff views may start (the salon-wide switch) and what a start asks of this manager.',
  fields: (t) => ({
    enabled: t.boolean({ resolve: ({ settings }) => settings.staffViewsEnabled }),
    reason: t.string({
      nullable: true,
      description: 'Why they were last turned off or back on.',
      resolve: ({ settings }) => settings.staffViewsReason,
    }),
    changedAt: t.field({ type: 'DateTime', nullable: true, resolve: ({ settings }) => settings.staffViewsChangedAt }),
    changedByName: t.string({
      nullable: true,
      resolve: async ({ settings, ctx }) =>
        settings.staffViewsChangedById
          ? ((await ctx.prisma.staff.findUnique({ where: { id: settings.staffViewsChangedById } }))?.name ?? null)
          : null,
    }),
    disableReasonMinLength: t.int({ resolve: () => DISABLE_REASON_MIN }),
    reasonMaxLength: t.int({ resolve: () => REASON_MAX }),
    stepUpMinutes: t.int({ resolve: ({ ctx }) => ctx.config.STEP_UP_MINUTES }),
    stepUpRequired: t.boolean({
      description: 'Whether a start now needs this sign-in’s password again (step-up).',
      resolve: ({ ctx }) =>
        !!ctx.authSession && stepUpDue(ctx.authSession, ctx.clock.now(), ctx.config.STEP_UP_MINUTES),
    }),
  }),
});

const controlsOf = async (ctx: Context): Promise<Controls> => ({ settings: await salonSettings(ctx.prisma), ctx });

/** Whether the subscriber's sign-in still stands and is still staff signed in as themselves. */
async function isStillStaff(ctx: Context): Promise<boolean> {
  const identity = await currentIdentity(ctx);
  return identity?.actor != null && identity.impersonation === null;
}

builder.queryFields((t) => ({
  staffPresence: t.prismaField({
    type: [StaffPresence],
    description: 'Who from the salon is viewing your account right now.',
    authScopes: (_root, _args, ctx) => customerSelf(ctx),
    resolve: (query, _root, _args, ctx) => sessionsViewing(ctx, ctx.customer!.id, query),
  }),
  staffViewControls: t.withAuth({ staff: true }).field({
    type: StaffViewControls,
    resolve: (_root, _args, ctx) => controlsOf(ctx),
  }),
}));

builder.mutationFields((t) => ({
  stopStaffView: t.withAuth({ customer: true }).boolean({
    description: 'Ends, at once, a staff view of your account. The staff member reads your words, if any.',
    args: {
      sessionId: t.arg.id({ required: true }),
      message: t.arg.string({ required: false, validate: customerStopWords }),
    },
    resolve: async (_root, { sessionId, message }, ctx) => {
      await stopStaffView(ctx, { customerId: ctx.customer.id, sessionId: String(sessionId), words: message }, ctx);
      return true;
    },
  }),
  disableStaffViews: t.withAuth({ manager: true }).field({
    type: StaffViewControls,
    description: 'Turns staff views off salon-wide: every session ends now and starts are refused until turned on.',
    args: { reason: t.arg.string({ required: true, validate: disableReason }) },
    resolve: async (_root, { reason }, ctx) => {
      const { settings } = await switchStaffViews(ctx, {
        enabled: false,
        reason,
        byStaffId: ctx.actor.id,
        request: ctx,
      });
      return { settings, ctx };
    },
  }),
  enableStaffViews: t.withAuth({ manager: true }).field({
    type: StaffViewControls,
    description: 'Turns staff views back on salon-wide.',
    args: { reason: t.arg.string({ required: false, validate: enableReason }) },
    resolve: async (_root, { reason }, ctx) => {
      const { settings } = await switchStaffViews(ctx, {
        enabled: true,
        reason: reason || null,
        byStaffId: ctx.actor.id,
        request: ctx,
      });
      return { settings, ctx };
    },
  }),
}));

builder.subscriptionFields((t) => ({
  staffPresence: t.prismaField({
    type: [StaffPresence],
    description: 'Who from the salon is viewing your account, pushed again whenever a view starts or ends.',
    authScopes: (_root, _args, ctx) => customerSelf(ctx),
    subscribe: (_root, _args, ctx) => presenceStream(ctx, ctx.customer!.id),
    resolve: (query, _payload, _args, ctx) => sessionsViewing(ctx, ctx.customer!.id, query),
  }),
  staffViewControls: t.withAuth({ staff: true }).field({
    type: StaffViewControls,
    description: 'The salon-wide switch, pushed again whenever a manager changes it.',
    subscribe: (_root, _args, ctx) => staffViewsStream(ctx, () => isStillStaff(ctx)),
    resolve: (_payload, _args, ctx) => controlsOf(ctx),
  }),
}));
