// Staff members: groomers shown on appointments, the staff directory, and the manager actions
// that change who may act (deactivate, change role), which also end their impersonation sessions.
import { AuditAction } from '@prisma/client';
import { staffChanged } from '../impersonation/revocation.ts';
import { mayImpersonate } from '../impersonation/policy.ts';
import { builder } from './builder.ts';
import { StaffRoleEnum } from './enums.ts';
import { updateOrNotFound } from './not-found.ts';

/** A staff member; contact details only for staff. */
export const Staff = builder.prismaObject('Staff', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    role: t.expose('role', { type: StaffRoleEnum }),
    email: t.exposeString('email', { authScopes: { staff: true } }),
    active: t.exposeBoolean('active', { authScopes: { staff: true } }),
    canImpersonate: t.boolean({
      authScopes: { staff: true },
      resolve: (staff) => mayImpersonate(staff),
    }),
  }),
});

builder.queryFields((t) => ({
  staffMembers: t.withAuth({ staff: true }).prismaField({
    type: [Staff],
    resolve: (query, _root, _args, ctx) => ctx.prisma.staff.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
  groomers: t.withAuth({ authenticated: true }).prismaField({
    type: [Staff],
    description: 'Active groomers a booking can ask for.',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.staff.findMany({ ...query, where: { role: 'GROOMER', active: true }, orderBy: { name: 'asc' } }),
  }),
}));

builder.mutationFields((t) => ({
  setStaffActive: t.withAuth({ manager: true }).prismaField({
    type: Staff,
    description: 'Deactivating signs the staff member out and ends their impersonation sessions.',
    args: { staffId: t.arg.id({ required: true }), active: t.arg.boolean({ required: true }) },
    resolve: async (query, _root, { staffId, active }, ctx) => {
      const before = await ctx.prisma.staff.findUnique({ where: { id: String(staffId) }, select: { active: true } });
      const staff = await updateOrNotFound(
        ctx.prisma.staff.update({ where: { id: String(staffId) }, data: { active } }),
        'Staff member',
      );
      ctx.auditTrace?.note({
        action: AuditAction.STAFF_UPDATED,
        change: { target: `Staff:${staff.id}`, before: { active: before?.active ?? null }, after: { active } },
      });
      await staffChanged(ctx, staff);
      return ctx.prisma.staff.findUniqueOrThrow({ ...query, where: { id: staff.id } });
    },
  }),
  setStaffRole: t.withAuth({ manager: true }).prismaField({
    type: Staff,
    description: 'Moving a manager to another role ends their impersonation sessions.',
    args: { staffId: t.arg.id({ required: true }), role: t.arg({ type: StaffRoleEnum, required: true }) },
    resolve: async (query, _root, { staffId, role }, ctx) => {
      const before = await ctx.prisma.staff.findUnique({ where: { id: String(staffId) }, select: { role: true } });
      const staff = await updateOrNotFound(
        ctx.prisma.staff.update({ where: { id: String(staffId) }, data: { role } }),
        'Staff member',
      );
      ctx.auditTrace?.note({
        action: AuditAction.STAFF_UPDATED,
        change: { target: `Staff:${staff.id}`, before: { role: before?.role ?? null }, after: { role } },
      });
      await staffChanged(ctx, staff);
      return ctx.prisma.staff.findUniqueOrThrow({ ...query, where: { id: staff.id } });
    },
  }),
}));
