// Governance changes over GraphQL (SPEC 9): a manager requests a change that weakens a safeguard,
// another approves (applied at once), declines with a note, or the requester cancels; managers
// follow the list live. The customer's side (a one-manager salon's request about her protection)
// is safeguard-changes.ts. Rules: access/governance-policy.ts; the steps: access/governance.ts.
import { GovernanceChangeKind } from '@prisma/client';
import {
  approveGovernanceChange,
  cancelGovernanceChange,
  declineGovernanceChange,
  requestGovernanceChange,
} from '../access/governance.ts';
import { governanceRequestsFeed } from '../access/live.ts';
import { declineNote, governanceState, pendingGovernanceWhere } from '../access/governance-policy.ts';
import { isManager } from '../auth/identity.ts';
import { isStillManager } from '../auth/use-identity.ts';
import type { Context } from '../context.ts';
import { startReason } from '../impersonation/policy.ts';
import { builder } from './builder.ts';
import { CustomerDirectoryEntry } from './customers.ts';

const DAY = 24 * 60 * 60_000;

/** How far back the managers' list shows decided requests. */
const RECENT_DAYS = 7;

/** Which safeguard a change weakens. */
export const GovernanceChangeKindEnum = builder.enumType(GovernanceChangeKind, { name: 'GovernanceChangeKind' });

/** A governance request's state at the server's now. */
export const GovernanceRequestStateEnum = builder.enumType('GovernanceRequestState', {
  values: {
    PENDING: { description: 'Waiting for a second manager (or, alone, for the cooling-off period to pass).' },
    APPROVED: { description: 'Approved and applied.' },
    DECLINED: { description: 'Another manager said no.' },
    CANCELLED: { description: 'Withdrawn by the manager who asked.' },
    EXPIRED: { description: 'Not decided in time.' },
  } as const,
});

type Viewer = Pick<Context, 'actor' | 'impersonation' | 'clock'>;
const viewerId = (ctx: Viewer) => (isManager(ctx) ? ctx.actor!.id : null);

const GovernanceRequestRef = builder.prismaObject('GovernanceRequest', {
  description: 'A change that weakens a safeguard, waiting for (or decided by) a second manager.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.expose('kind', { type: GovernanceChangeKindEnum }),
    state: t.field({
      type: GovernanceRequestStateEnum,
      resolve: (request, _args, ctx) => governanceState(request, ctx.clock.now()),
    }),
    reason: t.exposeString('reason', { description: 'Why the change is asked for: read by managers and the audit.' }),
    customer: t.relation('customer', { type: CustomerDirectoryEntry, nullable: true }),
    targetStaff: t.relation('targetStaff', { nullable: true }),
    requestedBy: t.relation('requestedBy'),
    approvedBy: t.relation('approvedBy', { nullable: true }),
    declinedBy: t.relation('declinedBy', { nullable: true }),
    declineNote: t.exposeString('declineNote', {
      nullable: true,
      description: 'The decliner’s note: read by managers and the audit.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    coolingOffUntil: t.expose('coolingOffUntil', {
      type: 'DateTime',
      nullable: true,
      description: 'One manager alone: the requester may confirm the change only from then on.',
    }),
    approvedAt: t.expose('approvedAt', { type: 'DateTime', nullable: true }),
    declinedAt: t.expose('declinedAt', { type: 'DateTime', nullable: true }),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true }),
    canApprove: t.boolean({
      description:
        'Whether the viewer may approve now: another manager than the requester and the target, or the requester alone once the cooling-off period has passed. The server checks again.',
      resolve: (request, _args, ctx) => {
        const now = ctx.clock.now();
        const viewer = viewerId(ctx);
        if (!viewer || viewer === request.targetStaffId || governanceState(request, now) !== 'PENDING') return false;
        if (viewer !== request.requestedByStaffId) return true;
        return request.coolingOffUntil !== null && request.coolingOffUntil <= now;
      },
    }),
    canDecline: t.boolean({
      resolve: (request, _args, ctx) => {
        const viewer = viewerId(ctx);
        return (
          !!viewer && viewer !== request.requestedByStaffId && governanceState(request, ctx.clock.now()) === 'PENDING'
        );
      },
    }),
    canCancel: t.boolean({
      resolve: (request, _args, ctx) =>
        viewerId(ctx) === request.requestedByStaffId && governanceState(request, ctx.clock.now()) === 'PENDING',
    }),
    serverTime: t.field({ type: 'DateTime', resolve: (_request, _args, ctx) => ctx.clock.now() }),
  }),
});

const GovernanceChangeInput = builder.inputType('GovernanceChangeInput', {
  fields: (t) => ({
    kind: t.field({ type: GovernanceChangeKindEnum, required: true }),
    customerId: t.id({ required: false, description: 'UNPROTECT_CUSTOMER: whose protection.' }),
    staffId: t.id({ required: false, description: 'PROMOTE_TO_MANAGER, REACTIVATE_MANAGER: who.' }),
    reason: t.string({
      required: true,
      validate: startReason,
      description: 'Why: read by the other managers and the audit, never by a customer.',
    }),
  }),
});

/** Waiting requests, and those decided in the last days; newest first. */
const governanceList = (ctx: Context, query: object) => {
  const now = ctx.clock.now();
  return ctx.prisma.governanceRequest.findMany({
    ...query,
    where: { OR: [pendingGovernanceWhere(now), { createdAt: { gte: new Date(now.getTime() - RECENT_DAYS * DAY) } }] },
    orderBy: { createdAt: 'desc' },
    take: 50,
  });
};

builder.queryField('governanceRequests', (t) =>
  t.withAuth({ manager: true }).prismaField({
    type: [GovernanceRequestRef],
    description: `Changes waiting for a second manager, and those of the last ${RECENT_DAYS} days; newest first.`,
    resolve: (query, _root, _args, ctx) => governanceList(ctx, query),
  }),
);

builder.subscriptionField('governanceRequests', (t) =>
  t.withAuth({ manager: true }).prismaField({
    type: [GovernanceRequestRef],
    description: 'The same list, pushed whenever a request is made, decided or expires.',
    subscribe: (_root, _args, ctx) => governanceRequestsFeed(ctx, { mayStillWatch: () => isStillManager(ctx) }),
    resolve: (query, _payload, _args, ctx) => governanceList(ctx, query),
  }),
);

builder.mutationFields((t) => ({
  requestGovernanceChange: t.withAuth({ manager: true }).prismaField({
    type: GovernanceRequestRef,
    description:
      'Asks for a change that weakens a safeguard (unprotect a customer, staff views back on, make a manager, reactivate a manager); another manager approves it.',
    args: { input: t.arg({ type: GovernanceChangeInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const row = await requestGovernanceChange(ctx, {
        kind: input.kind,
        customerId: input.customerId == null ? null : String(input.customerId),
        staffId: input.staffId == null ? null : String(input.staffId),
        reason: input.reason,
      });
      return ctx.prisma.governanceRequest.findUniqueOrThrow({ ...query, where: { id: row.id } });
    },
  }),
  approveGovernanceChange: t.withAuth({ manager: true }).prismaField({
    type: GovernanceRequestRef,
    description: 'Approves and applies the change: by another manager than the requester and the target.',
    args: { requestId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const row = await approveGovernanceChange(ctx, String(args.requestId));
      return ctx.prisma.governanceRequest.findUniqueOrThrow({ ...query, where: { id: row.id } });
    },
  }),
  declineGovernanceChange: t.withAuth({ manager: true }).prismaField({
    type: GovernanceRequestRef,
    args: {
      requestId: t.arg.id({ required: true }),
      note: t.arg.string({ required: true, validate: declineNote, description: 'Read by managers and the audit.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const row = await declineGovernanceChange(ctx, String(args.requestId), args.note);
      return ctx.prisma.governanceRequest.findUniqueOrThrow({ ...query, where: { id: row.id } });
    },
  }),
  cancelGovernanceChange: t.withAuth({ manager: true }).prismaField({
    type: GovernanceRequestRef,
    description: 'Withdraws one’s own waiting request.',
    args: { requestId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const row = await cancelGovernanceChange(ctx, String(args.requestId));
      return ctx.prisma.governanceRequest.findUniqueOrThrow({ ...query, where: { id: row.id } });
    },
  }),
}));
