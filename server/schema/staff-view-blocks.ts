// The customer's blocks over GraphQL (SPEC 9): after her Stop or her "no", the staff member she
// stopped or declined can neither view her account nor ask again until `until`; Settings lists
// the blocks that hold (Customer.staffViewBlocks) with "Allow again" (liftStaffViewBlock). The
// mutation keeps the default `mutatesCustomer` scope: nobody lifts a block while viewing as her.
import { StaffViewBlockCause } from '@prisma/client';
import { liftStaffViewBlock } from '../access/blocks.ts';
import { isBlockLive, liveBlockWhere } from '../access/policy.ts';
import { builder } from './builder.ts';
import { Customer } from './customers.ts';
import { portalType } from './portal-read.ts';

const StaffViewBlockCauseEnum = builder.enumType(StaffViewBlockCause, {
  name: 'StaffViewBlockCause',
  description: 'STOPPED: you stopped their view. DECLINED: you declined their request.',
});

const StaffViewBlockRef = builder.prismaObject('StaffViewBlock', {
  ...portalType,
  description: 'A staff member you stopped or declined: no staff view or request by them until `until`.',
  fields: (t) => ({
    id: t.exposeID('id'),
    staffName: t.string({ select: { staff: { select: { name: true } } }, resolve: (block) => block.staff.name }),
    cause: t.expose('cause', { type: StaffViewBlockCauseEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    until: t.expose('until', { type: 'DateTime' }),
    liftedAt: t.expose('liftedAt', { type: 'DateTime', nullable: true }),
    active: t.boolean({ resolve: (block, _args, ctx) => isBlockLive(block, ctx.clock.now()) }),
  }),
});

builder.prismaObjectField(Customer, 'staffViewBlocks', (t) =>
  t.relation('staffViewBlocks', {
    type: StaffViewBlockRef,
    description: 'Staff members who cannot view this account or ask again for now, soonest end first.',
    query: (_args, ctx) => ({ where: liveBlockWhere(ctx.clock.now()), orderBy: { until: 'asc' } }),
  }),
);

builder.mutationField('liftStaffViewBlock', (t) =>
  t.withAuth({ customer: true }).prismaField({
    type: StaffViewBlockRef,
    description: '"Allow again": the staff member may view your account or ask again, as your preference says.',
    args: { blockId: t.arg.id({ required: true }) },
    resolve: async (query, _root, { blockId }, ctx) => {
      await liftStaffViewBlock(ctx, String(blockId));
      return ctx.prisma.staffViewBlock.findUniqueOrThrow({ ...query, where: { id: String(blockId) } });
    },
  }),
);
