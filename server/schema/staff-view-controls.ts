// The salon's controls over starting staff views (SPEC 7), as StaffViewControls: the salon-wide
// kill switch (read live, turned off by a manager; back on only through a governance request a
// second manager approves: governance.ts) and whether a start now asks this
// manager's password again (step-up). Rules live in access/kill-switch.ts and access/step-up.ts.
import type { SalonSettings } from '@prisma/client';
import { currentIdentity } from '../auth/use-identity.ts';
import type { Context } from '../context.ts';
import { REASON_MAX } from '../impersonation/policy.ts';
import { DISABLE_REASON_MIN, disableReason, staffViewsStream, turnOffStaffViews } from '../access/kill-switch.ts';
import { salonSettings } from '../access/staff-views.ts';
import { stepUpDue } from '../access/step-up.ts';
import { builder } from './builder.ts';

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

builder.queryField('staffViewControls', (t) =>
  t.withAuth({ staff: true }).field({
    type: StaffViewControls,
    resolve: (_root, _args, ctx) => controlsOf(ctx),
  }),
);

builder.mutationFields((t) => ({
  disableStaffViews: t.withAuth({ manager: true }).field({
    type: StaffViewControls,
    description:
      'Turns staff views off salon-wide: every session ends now and starts are refused until a second manager approves turning them back on (requestGovernanceChange).',
    args: { reason: t.arg.string({ required: true, validate: disableReason }) },
    resolve: async (_root, { reason }, ctx) => {
      const { settings } = await turnOffStaffViews(ctx, reason);
      return { settings, ctx };
    },
  }),
}));

builder.subscriptionField('staffViewControls', (t) =>
  t.withAuth({ staff: true }).field({
    type: StaffViewControls,
    description: 'The salon-wide switch, pushed again whenever a manager changes it.',
    subscribe: (_root, _args, ctx) => staffViewsStream(ctx, () => isStillStaff(ctx)),
    resolve: (_payload, _args, ctx) => controlsOf(ctx),
  }),
);
