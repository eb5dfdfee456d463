// The customer's side of governance (SPEC 9): in a salon with one active manager, a request to
// remove her four-eyes protection waits out a cooling-off period, and she reads it at once in her
// staff-access section (`Customer.safeguardChanges`), in her time zone, from the salon: never the
// manager's name or reason (staff-internal). With a second manager the change needs their approval
// instead, and nothing is shown here.
import { governanceState } from '../access/governance-policy.ts';
import { customerTimeZone, formatCustomerTime } from '../notifications/customer-texts.ts';
import { builder } from './builder.ts';
import { Customer } from './customers.ts';
import { GovernanceRequestStateEnum } from './governance.ts';
import { portalType } from './portal-read.ts';

const CHECK = 'the second-manager check on staff views of your account';

/** The customer's words for a request about her protection, by its state (times in her words). */
function safeguardText(state: string, at: { notBefore: string; approved: string }): string {
  if (state === 'PENDING') return `The salon asked to remove ${CHECK}. It cannot take effect before ${at.notBefore}.`;
  if (state === 'APPROVED') return `The salon removed ${CHECK} on ${at.approved}.`;
  return `The salon’s request to remove ${CHECK} was withdrawn; the check stays.`;
}

const SafeguardChange = builder.prismaObject('GovernanceRequest', {
  variant: 'SafeguardChange',
  ...portalType,
  description: 'The salon (with one manager) asked to remove the second-manager check on staff views of this account.',
  fields: (t) => ({
    id: t.exposeID('id'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    notBefore: t.expose('coolingOffUntil', {
      type: 'DateTime',
      nullable: true,
      description: 'The change cannot take effect before then.',
    }),
    state: t.field({
      type: GovernanceRequestStateEnum,
      resolve: (request, _args, ctx) => governanceState(request, ctx.clock.now()),
    }),
    text: t.string({
      description: 'What happened, in plain words, in her time zone.',
      select: { customer: { select: { timeZone: true } } },
      resolve: (request, _args, ctx) => {
        const zone = customerTimeZone(request.customer?.timeZone, ctx.config.SALON_TIME_ZONE);
        const at = (time: Date | null) => (time ? formatCustomerTime(time, zone) : '');
        return safeguardText(governanceState(request, ctx.clock.now()), {
          notBefore: at(request.coolingOffUntil),
          approved: at(request.approvedAt),
        });
      },
    }),
  }),
});

builder.prismaObjectField(Customer, 'safeguardChanges', (t) =>
  t.relation('governanceRequests', {
    type: SafeguardChange,
    description: 'Requests to remove the second-manager check on staff views of this account, newest first.',
    query: {
      where: { kind: 'UNPROTECT_CUSTOMER', coolingOffUntil: { not: null } },
      orderBy: { createdAt: 'desc' },
      take: 20,
    },
  }),
);
