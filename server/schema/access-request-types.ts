// The types of consent and four-eyes (SPEC 7): an access request as staff see it (the requester's
// dialog, the managers' approvals list) and as the customer sees it, a grant, and their enums.
// Fields and operations are in access-requests.ts; the rules in access/policy.ts.
import { StaffAccessPreference } from '@prisma/client';
import { GRANT_DURATIONS, accessRequestState, awaitsCustomer, awaitsManager, isGrantLive } from '../access/policy.ts';
import { isManager } from '../auth/identity.ts';
import { builder } from './builder.ts';
import { CustomerDirectoryEntry } from './customers.ts';
import { PortalSectionEnum } from './enums.ts';
import { portalType } from './portal-read.ts';

/** Whether staff may view the account freely or must ask first. */
export const StaffAccessPreferenceEnum = builder.enumType(StaffAccessPreference, { name: 'StaffAccessPreference' });

/** The periods a customer may grant access for. */
export const AccessGrantDurationEnum = builder.enumType('AccessGrantDuration', {
  values: Object.keys(GRANT_DURATIONS) as (keyof typeof GRANT_DURATIONS)[],
});

/** A request's state at the server's now. */
export const AccessRequestStateEnum = builder.enumType('AccessRequestState', {
  values: {
    PENDING: { description: 'Waiting for the customer and/or a second manager.' },
    APPROVED: { description: 'Every answer given: the requester may start (once) before it expires.' },
    DECLINED: { description: 'The customer or a manager said no.' },
    EXPIRED: { description: 'Not answered, or not used, in time.' },
    USED: { description: 'The session it allowed has started.' },
  } as const,
});

/** An access request as staff see it. */
export const AccessRequestRef = builder.prismaObject('AccessRequest', {
  description: 'A start waiting for the customer’s consent and/or a second manager’s approval.',
  fields: (t) => ({
    id: t.exposeID('id'),
    reason: t.exposeString('reason'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    needsCustomer: t.exposeBoolean('needsCustomer', { description: 'The customer asked to be asked first.' }),
    needsManager: t.exposeBoolean('needsManager', { description: 'The customer is protected (four-eyes).' }),
    scope: t.expose('scope', {
      type: [PortalSectionEnum],
      description:
        'The sections the start named, or what the customer allowed of them: a start within it may go ahead.',
    }),
    scopeNeed: t.exposeString('scopeNeed', {
      nullable: true,
      description: 'Why the whole portal (WHOLE_PORTAL only).',
    }),
    customerApprovedAt: t.expose('customerApprovedAt', { type: 'DateTime', nullable: true }),
    managerApprovedAt: t.expose('managerApprovedAt', { type: 'DateTime', nullable: true }),
    declinedAt: t.expose('declinedAt', { type: 'DateTime', nullable: true }),
    declinedByCustomer: t.boolean({
      resolve: (request) => request.declinedAt !== null && request.declinedByStaffId === null,
    }),
    staff: t.relation('staff'),
    customer: t.relation('customer', { type: CustomerDirectoryEntry }),
    approvedBy: t.relation('approvedBy', { nullable: true }),
    declinedBy: t.relation('declinedBy', { nullable: true }),
    sessionId: t.exposeID('sessionId', { nullable: true }),
    state: t.field({
      type: AccessRequestStateEnum,
      resolve: (request, _args, ctx) => accessRequestState(request, ctx.clock.now()),
    }),
    awaitingCustomer: t.boolean({ resolve: (request, _args, ctx) => awaitsCustomer(request, ctx.clock.now()) }),
    awaitingManager: t.boolean({ resolve: (request, _args, ctx) => awaitsManager(request, ctx.clock.now()) }),
    canAnswer: t.boolean({
      description: 'Whether the viewer may give the second approval: a manager other than the requester.',
      resolve: (request, _args, ctx) =>
        isManager(ctx) && ctx.actor!.id !== request.staffId && awaitsManager(request, ctx.clock.now()),
    }),
    serverTime: t.field({
      type: 'DateTime',
      description: 'For clients to count down to `expiresAt` with the server’s clock.',
      resolve: (_request, _args, ctx) => ctx.clock.now(),
    }),
  }),
});

/** An access request as the customer sees it. */
export const CustomerAccessRequest = builder.prismaObject('AccessRequest', {
  variant: 'CustomerAccessRequest',
  ...portalType,
  description: 'A staff member asks to view this account: who, why, until when.',
  fields: (t) => ({
    id: t.exposeID('id'),
    staffName: t.string({ select: { staff: { select: { name: true } } }, resolve: (request) => request.staff.name }),
    reason: t.exposeString('reason'),
    scope: t.expose('scope', {
      type: [PortalSectionEnum],
      description:
        'The parts of her account the staff member asks to see (or WHOLE_PORTAL); what she allowed once she did.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    state: t.field({
      type: AccessRequestStateEnum,
      resolve: (request, _args, ctx) => accessRequestState(request, ctx.clock.now()),
    }),
    awaitingCustomer: t.boolean({
      description: 'Waiting for this customer’s answer.',
      resolve: (request, _args, ctx) => awaitsCustomer(request, ctx.clock.now()),
    }),
    needsCustomer: t.exposeBoolean('needsCustomer'),
  }),
});

/** A customer's grant of staff access for a period. */
export const AccessGrantRef = builder.prismaObject('AccessGrant', {
  ...portalType,
  description: 'Staff may view this account, read-only, until `expiresAt` (or until revoked).',
  fields: (t) => ({
    id: t.exposeID('id'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    scope: t.expose('scope', {
      type: [PortalSectionEnum],
      description: 'The sections staff may view without asking (or WHOLE_PORTAL); a view of others is a new request.',
    }),
    active: t.boolean({ resolve: (grant, _args, ctx) => isGrantLive(grant, ctx.clock.now()) }),
  }),
});
