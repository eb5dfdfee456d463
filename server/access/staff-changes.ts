// Changes of who may act, made by a manager: a staff member's `active` and `role`, a customer's
// status. Each updates the row, notes the change for the mutation's audit record and revokes what
// the change takes away (sign-ins, impersonation tokens, live sessions: impersonation/revocation.ts).
// The resolvers (schema/staff.ts, schema/customers.ts) only hand over their arguments; a second
// manager's approval of a governance request calls these too.
import { AuditAction, type Customer, type CustomerStatus, type Staff, type StaffRole } from '@prisma/client';
import type { StaffContext, Context } from '../context.ts';
import { notFound } from '../errors.ts';
import { customerDisabled, staffChanged } from '../impersonation/revocation.ts';

/** The manager making the change, their request, and the audit trace of the mutation (if any) to note it in. */
export type StaffChangeContext = StaffContext & Pick<Context, 'auditTrace'>;

/**
 * Sets staff member `staffId` active or inactive. Deactivating signs them out and ends their
 * impersonation sessions. NOT_FOUND when there is no such staff member.
 * @returns the staff row after the change.
 */
export async function setStaffActive(ctx: StaffChangeContext, staffId: string, active: boolean): Promise<Staff> {
  const before = await ctx.prisma.staff.findUnique({ where: { id: staffId }, select: { active: true } });
  if (!before) throw notFound('Staff member');
  const staff = await ctx.prisma.staff.update({ where: { id: staffId }, data: { active } });
  ctx.auditTrace?.note({
    action: AuditAction.STAFF_UPDATED,
    change: { target: `Staff:${staff.id}`, before: { active: before.active }, after: { active } },
  });
  await staffChanged(ctx, staff);
  return staff;
}

/**
 * Gives staff member `staffId` role `role`. One who may no longer impersonate has their sessions
 * ended and their manager sockets closed. NOT_FOUND when there is no such staff member.
 * @returns the staff row after the change.
 */
export async function setStaffRole(ctx: StaffChangeContext, staffId: string, role: StaffRole): Promise<Staff> {
  const before = await ctx.prisma.staff.findUnique({ where: { id: staffId }, select: { role: true } });
  if (!before) throw notFound('Staff member');
  const staff = await ctx.prisma.staff.update({ where: { id: staffId }, data: { role } });
  ctx.auditTrace?.note({
    action: AuditAction.STAFF_UPDATED,
    change: { target: `Staff:${staff.id}`, before: { role: before.role }, after: { role } },
  });
  await staffChanged(ctx, staff);
  return staff;
}

/**
 * Sets customer `customerId`'s status. Disabling signs her out and ends every session viewing
 * her. NOT_FOUND when there is no such customer.
 * @returns the customer row after the change.
 */
export async function setCustomerStatus(
  ctx: StaffChangeContext,
  customerId: string,
  status: CustomerStatus,
): Promise<Customer> {
  const before = await ctx.prisma.customer.findUnique({ where: { id: customerId }, select: { status: true } });
  if (!before) throw notFound('Customer');
  const customer = await ctx.prisma.customer.update({ where: { id: customerId }, data: { status } });
  ctx.auditTrace?.note({
    action: AuditAction.CUSTOMER_STATUS_CHANGED,
    customerId: customer.id,
    change: { target: `Customer:${customer.id}`, before: { status: before.status }, after: { status } },
  });
  if (status === 'DISABLED') await customerDisabled(ctx, customer.id);
  return customer;
}
