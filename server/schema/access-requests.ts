// Consent and four-eyes over GraphQL (SPEC 7): the customer's staff-access section (preference,
// grants, requests) with its mutations and live feed; the protected flag, the second approval and
// the managers' live list; the requester's live request. Customer mutations keep the default
// `mutatesCustomer` scope: nobody answers for a customer while viewing as them.
import type { Prisma } from '@prisma/client';
import type { Context } from '../context.ts';
import { notFound } from '../errors.ts';
import { accessRequestFeed, accessRequestsFeed, customerAccessFeed } from '../access/live.ts';
import { accessRequestState, awaitingManagerWhere, liveGrantWhere } from '../access/policy.ts';
import {
  approveAccessRequestAsManager,
  declineAccessRequestAsManager,
  setCustomerProtected,
} from '../access/four-eyes.ts';
import {
  approveAccessRequest,
  declineAccessRequestAsCustomer,
  grantStaffAccess,
  revokeStaffAccess,
  setStaffAccessPreference,
} from '../access/consent.ts';
import {
  AccessGrantDurationEnum,
  AccessGrantRef,
  AccessRequestRef,
  CustomerAccessRequest,
  StaffAccessPreferenceEnum,
} from './access-request-types.ts';
import { builder } from './builder.ts';
import { PortalSectionEnum } from './enums.ts';
import { Customer, CustomerDirectoryEntry } from './customers.ts';
import { isStillManager } from '../auth/use-identity.ts';

const DAY = 24 * 60 * 60_000;

/** How far back the customer's list of requests reaches. */
const RECENT_REQUESTS_DAYS = 7;

builder.prismaObjectFields(Customer, (t) => ({
  staffAccess: t.expose('staffAccess', {
    type: StaffAccessPreferenceEnum,
    description: 'Whether staff may view this account freely or must ask first.',
  }),
  accessGrants: t.relation('accessGrants', {
    type: AccessGrantRef,
    description: 'Grants of staff access that are live now, newest first.',
    query: (_args, ctx) => ({ where: liveGrantWhere(ctx.clock.now()), orderBy: { createdAt: 'desc' } }),
  }),
  accessRequests: t.relation('accessRequests', {
    type: CustomerAccessRequest,
    description: `Requests to view this account from the last ${RECENT_REQUESTS_DAYS} days, newest first.`,
    query: (_args, ctx) => ({
      where: { createdAt: { gte: new Date(ctx.clock.now().getTime() - RECENT_REQUESTS_DAYS * DAY) } },
      orderBy: { createdAt: 'desc' },
      take: 20,
    }),
  }),
}));

builder.prismaObjectFields(CustomerDirectoryEntry, (t) => ({
  protected: t.exposeBoolean('protected', { description: 'A staff view needs a second manager’s approval.' }),
  staffAccess: t.expose('staffAccess', { type: StaffAccessPreferenceEnum }),
}));

const awaitingApprovals = (
  ctx: Context,
  query: { include?: Prisma.AccessRequestInclude; select?: Prisma.AccessRequestSelect },
) =>
  ctx.prisma.accessRequest.findMany({
    ...query,
    where: awaitingManagerWhere(ctx.clock.now()),
    orderBy: { createdAt: 'asc' },
  });

builder.queryFields((t) => ({
  accessRequest: t.withAuth({ manager: true }).prismaField({
    type: AccessRequestRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) =>
      ctx.prisma.accessRequest.findUnique({ ...query, where: { id: String(id) } }),
  }),
  staffViewApprovals: t.withAuth({ manager: true }).prismaField({
    type: [AccessRequestRef],
    description: 'Starts on protected customers waiting for a second manager, oldest first.',
    resolve: (query, _root, _args, ctx) => awaitingApprovals(ctx, query),
  }),
}));

builder.mutationFields((t) => ({
  setStaffAccessPreference: t.withAuth({ customer: true }).prismaField({
    type: Customer,
    description: 'FREELY: staff may view the account (read-only, recorded). ASK_FIRST: each view needs your approval.',
    args: { preference: t.arg({ type: StaffAccessPreferenceEnum, required: true }) },
    resolve: async (query, _root, { preference }, ctx) => {
      await setStaffAccessPreference(ctx, preference);
      return ctx.prisma.customer.findUniqueOrThrow({ ...query, where: { id: ctx.customer.id } });
    },
  }),
  grantStaffAccess: t.withAuth({ customer: true }).prismaField({
    type: AccessGrantRef,
    description:
      'Lets staff view the account for a period without asking; revocable. `sections`: only these parts of it ' +
      '(a view of others is still a request); left out, the whole account.',
    args: {
      duration: t.arg({ type: AccessGrantDurationEnum, required: true }),
      sections: t.arg({ type: [PortalSectionEnum], required: false }),
    },
    resolve: (query, _root, { duration, sections }, ctx) =>
      grantStaffAccess(ctx, duration, sections).then((grant) =>
        ctx.prisma.accessGrant.findUniqueOrThrow({ ...query, where: { id: grant.id } }),
      ),
  }),
  revokeStaffAccess: t.withAuth({ customer: true }).prismaField({
    type: AccessGrantRef,
    description: 'Ends a grant now. Sessions already running are not ended by this.',
    args: { grantId: t.arg.id({ required: true }) },
    resolve: async (query, _root, { grantId }, ctx) => {
      await revokeStaffAccess(ctx, String(grantId));
      return ctx.prisma.accessGrant.findUniqueOrThrow({ ...query, where: { id: String(grantId) } });
    },
  }),
  approveAccessRequest: t.withAuth({ customer: true }).prismaField({
    type: CustomerAccessRequest,
    description:
      'Allows the staff member who asked, and staff in general, to view the account for the period: the ' +
      'sections asked for, or those in `sections` (at least one of those asked; a view of others is a new request).',
    args: {
      requestId: t.arg.id({ required: true }),
      duration: t.arg({ type: AccessGrantDurationEnum, required: true }),
      sections: t.arg({ type: [PortalSectionEnum], required: false }),
    },
    resolve: async (query, _root, { requestId, duration, sections }, ctx) => {
      await approveAccessRequest(ctx, String(requestId), duration, sections);
      return ctx.prisma.accessRequest.findUniqueOrThrow({ ...query, where: { id: String(requestId) } });
    },
  }),
  declineAccessRequest: t.withAuth({ customer: true }).prismaField({
    type: CustomerAccessRequest,
    args: { requestId: t.arg.id({ required: true }) },
    resolve: async (query, _root, { requestId }, ctx) => {
      await declineAccessRequestAsCustomer(ctx, String(requestId));
      return ctx.prisma.accessRequest.findUniqueOrThrow({ ...query, where: { id: String(requestId) } });
    },
  }),
  setCustomerProtected: t.withAuth({ manager: true }).prismaField({
    type: CustomerDirectoryEntry,
    description: 'Protected customers need a second manager’s approval for every staff view (four-eyes).',
    args: { customerId: t.arg.id({ required: true }), protected: t.arg.boolean({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      await setCustomerProtected(ctx, String(args.customerId), args.protected);
      return ctx.prisma.customer.findUniqueOrThrow({ ...query, where: { id: String(args.customerId) } });
    },
  }),
  approveStaffViewRequest: t.withAuth({ manager: true }).prismaField({
    type: AccessRequestRef,
    description: 'The second approval of a start on a protected customer; not by the requester.',
    args: { requestId: t.arg.id({ required: true }) },
    resolve: async (query, _root, { requestId }, ctx) => {
      await approveAccessRequestAsManager(ctx, String(requestId));
      return ctx.prisma.accessRequest.findUniqueOrThrow({ ...query, where: { id: String(requestId) } });
    },
  }),
  declineStaffViewRequest: t.withAuth({ manager: true }).prismaField({
    type: AccessRequestRef,
    args: { requestId: t.arg.id({ required: true }) },
    resolve: async (query, _root, { requestId }, ctx) => {
      await declineAccessRequestAsManager(ctx, String(requestId));
      return ctx.prisma.accessRequest.findUniqueOrThrow({ ...query, where: { id: String(requestId) } });
    },
  }),
}));

builder.subscriptionFields((t) => ({
  accessRequest: t.withAuth({ manager: true }).prismaField({
    type: AccessRequestRef,
    description: 'One request, pushed on every answer, its expiry and its use; ends once it is closed.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, { id }, ctx) => {
      const requestId = String(id);
      const stateNow = async () => {
        const row = await ctx.prisma.accessRequest.findUnique({ where: { id: requestId } });
        if (!row) throw notFound('Access request');
        return accessRequestState(row, ctx.clock.now());
      };
      await stateNow();
      return accessRequestFeed(ctx, requestId, {
        mayStillWatch: () => isStillManager(ctx),
        finished: async () => ['DECLINED', 'EXPIRED', 'USED'].includes(await stateNow()),
      });
    },
    resolve: (query, _payload, { id }, ctx) =>
      ctx.prisma.accessRequest.findUniqueOrThrow({ ...query, where: { id: String(id) } }),
  }),
  staffViewApprovals: t.withAuth({ manager: true }).prismaField({
    type: [AccessRequestRef],
    description: 'The live list of starts waiting for a second manager.',
    subscribe: (_root, _args, ctx) => accessRequestsFeed(ctx, { mayStillWatch: () => isStillManager(ctx) }),
    resolve: (query, _payload, _args, ctx) => awaitingApprovals(ctx, query),
  }),
  myStaffAccess: t.withAuth({ $all: { customer: true, mutatesCustomer: true } }).prismaField({
    type: Customer,
    description: 'The signed-in customer’s staff-access section (requests, grants, preference), pushed on change.',
    subscribe: (_root, _args, ctx) => customerAccessFeed(ctx, ctx.customer.id, {}),
    resolve: (query, _payload, _args, ctx) =>
      ctx.prisma.customer.findUniqueOrThrow({ ...query, where: { id: ctx.customer.id } }),
  }),
}));
