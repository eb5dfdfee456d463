// Legal holds on the audit log, for managers (issue 22): list, place, release. A hold keeps the
// records it matches when their month is dropped (audit/retention/). Placing and releasing need a
// step-up (privileged.ts) and a reason, and each is an audit record.
import { auditRequestContext } from '../audit/chain.ts';
import { placeLegalHold, releaseLegalHold } from '../audit/retention/legal-holds.ts';
import type { StaffContext } from '../context.ts';
import { namesOf } from '../audit/names.ts';
import { builder } from './builder.ts';

const holdActor = (ctx: StaffContext) => ({
  staffId: ctx.actor.id,
  now: ctx.clock.now(),
  audit: auditRequestContext(ctx),
});

const AuditLegalHoldRef = builder.prismaObject('AuditLegalHold', {
  description:
    'A legal hold: audit records of this customer, staff member and time range (every criterion given) are kept when their month is dropped.',
  fields: (t) => ({
    id: t.exposeID('id'),
    customerId: t.exposeID('customerId', { nullable: true }),
    customerName: t.string({
      nullable: true,
      resolve: (hold, _args, ctx) => (hold.customerId ? namesOf(ctx).customer(hold.customerId) : null),
    }),
    staffId: t.exposeID('staffId', { nullable: true }),
    staffName: t.string({
      nullable: true,
      resolve: (hold, _args, ctx) => (hold.staffId ? namesOf(ctx).staff(hold.staffId) : null),
    }),
    from: t.expose('fromAt', { type: 'DateTime', nullable: true }),
    until: t.expose('untilAt', { type: 'DateTime', nullable: true }),
    reason: t.exposeString('reason'),
    placedByName: t.string({
      nullable: true,
      resolve: (hold, _args, ctx) => namesOf(ctx).staff(hold.placedByStaffId),
    }),
    placedAt: t.expose('placedAt', { type: 'DateTime' }),
    releasedAt: t.expose('releasedAt', { type: 'DateTime', nullable: true }),
    releaseReason: t.exposeString('releaseReason', { nullable: true }),
  }),
});

builder.queryField('auditLegalHolds', (t) =>
  t.withAuth({ manager: true }).prismaField({
    type: [AuditLegalHoldRef],
    description: 'Every legal hold, active ones first, newest first.',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.auditLegalHold.findMany({
        ...query,
        orderBy: [{ releasedAt: { sort: 'desc', nulls: 'first' } }, { placedAt: 'desc' }],
      }),
  }),
);

builder.mutationFields((t) => ({
  placeAuditLegalHold: t.withAuth({ manager: true }).prismaField({
    type: AuditLegalHoldRef,
    description:
      'Keeps the audit records of a customer, a staff member or a time range (or of all given at once) past retention, with a reason.',
    args: {
      customerId: t.arg.id({ required: false }),
      staffId: t.arg.id({ required: false }),
      from: t.arg({ type: 'DateTime', required: false }),
      until: t.arg({ type: 'DateTime', required: false }),
      reason: t.arg.string({ required: true }),
    },
    resolve: (_query, _root, args, ctx) =>
      placeLegalHold(
        ctx.prisma,
        holdActor(ctx),
        {
          customerId: args.customerId ? String(args.customerId) : null,
          staffId: args.staffId ? String(args.staffId) : null,
          fromAt: args.from ?? null,
          untilAt: args.until ?? null,
        },
        args.reason,
      ),
  }),
  releaseAuditLegalHold: t.withAuth({ manager: true }).prismaField({
    type: AuditLegalHoldRef,
    description: 'Releases a legal hold, with a reason: its records go with their month at the next maintenance run.',
    args: { holdId: t.arg.id({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_query, _root, args, ctx) =>
      releaseLegalHold(ctx.prisma, holdActor(ctx), String(args.holdId), args.reason),
  }),
}));
