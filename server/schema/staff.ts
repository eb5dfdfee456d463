// Staff members: groomers shown on appointments, the staff directory, and the manager actions
// that change who may act (deactivate, change role), which also end their impersonation sessions.
import { setStaffActive, setStaffRole } from '../access/staff-changes.ts';
import { mayImpersonate } from '../impersonation/policy.ts';
import { builder } from './builder.ts';
import { StaffRoleEnum } from './enums.ts';

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
    description:
      'Deactivating signs the staff member out and ends their impersonation sessions. Reactivating a manager needs a second manager (requestGovernanceChange).',
    args: { staffId: t.arg.id({ required: true }), active: t.arg.boolean({ required: true }) },
    resolve: async (query, _root, { staffId, active }, ctx) => {
      const staff = await setStaffActive(ctx, String(staffId), active);
      return ctx.prisma.staff.findUniqueOrThrow({ ...query, where: { id: staff.id } });
    },
  }),
  setStaffRole: t.withAuth({ manager: true }).prismaField({
    type: Staff,
    description:
      'Moving a manager to another role ends their impersonation sessions. Making someone a manager needs a second manager (requestGovernanceChange).',
    args: { staffId: t.arg.id({ required: true }), role: t.arg({ type: StaffRoleEnum, required: true }) },
    resolve: async (query, _root, { staffId, role }, ctx) => {
      const staff = await setStaffRole(ctx, String(staffId), role);
      return ctx.prisma.staff.findUniqueOrThrow({ ...query, where: { id: staff.id } });
    },
  }),
}));
