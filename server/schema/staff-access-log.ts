// The customer's own access log (`Customer.staffAccessLog`): every staff view of their account as
// StaffAccess, who, when, why, whether it was extended, the pages shown and a summary in plain
// words. Activity comes from the audit (audit/session-activity.ts), the wording from
// audit/access-summary.ts; how it ended only in customer-facing words (notifications/customer-texts.ts).
import { accessSummary } from '../audit/access-summary.ts';
import { petNamesOf, sessionActivityOf } from '../audit/session-activity.ts';
import { sessionState } from '../impersonation/policy.ts';
import { revealsOf } from '../impersonation/reveals.ts';
import { customerEndNote, emergencyAccessWords } from '../notifications/customer-texts.ts';
import { builder } from './builder.ts';
import { Customer } from './customers.ts';
import { ImpersonationEndStateEnum, PortalSectionEnum } from './enums.ts';
import { PageView } from './page-view.ts';
import { portalType } from './portal-read.ts';

const StaffAccess = builder.prismaObject('ImpersonationSession', {
  variant: 'StaffAccess',
  ...portalType,
  description: 'A staff member viewed this account: who, when, why.',
  fields: (t) => ({
    id: t.exposeID('id'),
    staffName: t.string({ select: { staff: { select: { name: true } } }, resolve: (session) => session.staff.name }),
    reason: t.exposeString('reason'),
    emergency: t.string({
      nullable: true,
      description:
        'Set when it was emergency access (break-glass), started without the usual approval: "Emergency access: an urgent question about your pet’s health". Never the staff’s own justification.',
      select: { emergencyCategory: true },
      resolve: (session) => (session.emergencyCategory ? emergencyAccessWords(session.emergencyCategory) : null),
    }),
    scope: t.expose('scope', {
      type: [PortalSectionEnum],
      description: 'The portal sections the view may read (or WHOLE_PORTAL): what she is told was in view.',
    }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      description: 'When it ends at the latest (after its extension, if it was extended).',
    }),
    extendedAt: t.expose('extendedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was extended (once at most): "extended once, until expiresAt".',
    }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    endState: t.expose('endState', { type: ImpersonationEndStateEnum, nullable: true }),
    endReason: t.string({
      nullable: true,
      description:
        'What the salon told you about the end: the message of a manager who ended it early, if they ' +
        'wrote one. Never a staff-internal note.',
      select: { endState: true, customerMessage: true },
      resolve: (session) => customerEndNote(session),
    }),
    viewed: t.field({
      type: [PageView],
      description: 'The pages of the portal shown, in the order first seen.',
      resolve: async (session, _args, ctx) => (await sessionActivityOf(ctx)(session.id)).views,
    }),
    summary: t.string({
      description:
        'In plain words: "Mara Quinn viewed Billing (2 invoices) and My Pets (Biscuit); revealed the health ' +
        'alerts of Biscuit (her reason)".',
      select: { staff: { select: { name: true } } },
      resolve: async (session, _args, ctx) => {
        const activity = await sessionActivityOf(ctx)(session.id);
        return accessSummary({
          staffName: session.staff.name,
          views: activity.views,
          petNames: await petNamesOf(ctx.prisma, session.customerId, activity.views),
          refused: activity.denied,
          active: sessionState(session, ctx.clock.now()) === 'ACTIVE',
          reveals: await revealsOf(ctx)(session.id),
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
