// The customer in control (SPEC 7): who from the salon is viewing their account right now
// (StaffPresence, live), "Stop this view", and the words they wrote shown back to the staff member
// (ImpersonationSession.customerWords), and her confirmation of what her Stop withdrew
// (StaffViewStopped). Rules live in access/presence.ts and access/blocks.ts.
import type { Context } from '../context.ts';
import {
  customerStopWords,
  presenceStream,
  sessionsViewing,
  stopStaffView,
  type StaffViewStopped as Stopped,
} from '../access/presence.ts';
import { customerWordsOf } from '../access/policy.ts';
import { builder } from './builder.ts';
import { PortalSectionEnum } from './enums.ts';
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
    scope: t.expose('scope', {
      type: [PortalSectionEnum],
      description: 'The portal sections the view may read (or WHOLE_PORTAL): what she is told was in view.',
    }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields(ImpersonationSession, (t) => ({
  customerWords: t.string({
    nullable: true,
    description: 'What the customer wrote when they stopped this view, if they stopped it and wrote anything.',
    select: { endState: true, endReason: true },
    resolve: customerWordsOf,
  }),
}));

// Not a portal type: only the customer's own stopStaffView answers it (NOT_PORTAL_TYPES).
const StaffViewStopped = builder.objectRef<Stopped>('StaffViewStopped').implement({
  description: 'What your Stop did: the view ended and, unless you kept your permission, what it withdrew.',
  fields: (t) => ({
    staffName: t.exposeString('staffName'),
    stoppedAt: t.expose('stoppedAt', { type: 'DateTime' }),
    grantWithdrawn: t.exposeBoolean('grantWithdrawn', {
      description: 'Your grants of access were withdrawn: staff need your yes (or a new grant) again.',
    }),
    blockedUntil: t.expose('blockedUntil', {
      type: 'DateTime',
      nullable: true,
      description:
        'This staff member cannot view your account or ask again until then, unless you allow it (Settings).',
    }),
  }),
});

builder.queryField('staffPresence', (t) =>
  t.prismaField({
    type: [StaffPresence],
    description: 'Who from the salon is viewing your account right now.',
    authScopes: (_root, _args, ctx) => customerSelf(ctx),
    resolve: (query, _root, _args, ctx) => sessionsViewing(ctx, ctx.customer!.id, query),
  }),
);

builder.mutationField('stopStaffView', (t) =>
  t.withAuth({ customer: true }).field({
    type: StaffViewStopped,
    description:
      'Ends, at once, a staff view of your account. The staff member reads your words, if any. Unless you keep ' +
      'your permission, your grants are withdrawn and this staff member can neither view nor ask again for a while.',
    args: {
      sessionId: t.arg.id({ required: true }),
      message: t.arg.string({ required: false, validate: customerStopWords }),
      keepPermission: t.arg.boolean({
        required: false,
        defaultValue: false,
        description: 'Keep your grants and let this staff member ask again (nothing withdrawn, nobody blocked).',
      }),
    },
    resolve: (_root, { sessionId, message, keepPermission }, ctx) =>
      stopStaffView(ctx, { sessionId: String(sessionId), words: message, keepPermission }),
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
