// Staff members: groomers shown on appointments, the staff directory, and the manager actions
// that change who may act (deactivate, change role), which also end their impersonation sessions.
import { builder } from './builder.ts';
import { StaffRoleEnum } from './enums.ts';

export const Staff = builder.prismaObject('Staff', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    role: t.expose('role', { type: StaffRoleEnum }),
    email: t.exposeString('email', { authScopes: { staff: true } }),
    active: t.exposeBoolean('active', { authScopes: { staff: true } }),
    canImpersonate: t.boolean({
      authScopes: { staff: true },
      resolve: (staff) => staff.active && staff.role === 'MANAGER',
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
