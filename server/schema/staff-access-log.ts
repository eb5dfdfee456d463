// The customer's own access log (`Customer.staffAccessLog`): every staff view of their account as
// StaffAccess, who, when, why, the pages shown and a summary in plain words. Activity comes from
// the audit (audit/session-activity.ts), the wording from audit/access-summary.ts.
import { accessSummary } from '../audit/access-summary.ts';
import { petNamesOf, sessionActivityOf } from '../audit/session-activity.ts';
import { sessionState } from '../impersonation/policy.ts';
import { builder } from './builder.ts';
import { Customer } from './customers.ts';
import { ImpersonationEndStateEnum } from './enums.ts';
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
