// Changes of who may act, made by a manager: a staff member's `active` and `role`, a customer's
// status. Each locks the row, updates it and, in the same transaction, ends every session and
// revokes every token the change takes away (impersonation/revocation.ts), so a start racing it on
// any instance cannot leave a live session behind (impersonation/people-locks.ts) and a later
// reactivation or promotion revives nothing. The resolvers (schema/staff.ts, schema/customers.ts)
// only hand over their arguments; a second manager's approval of a governance request may call these.
import {
  AuditAction,
  type Customer,
  type CustomerStatus,
  type Prisma,
  type Staff,
  type StaffRole,
} from '@prisma/client';
import type { Context, StaffContext } from '../context.ts';
import { lockRow } from '../db/row-locks.ts';
import { notFound } from '../errors.ts';
import { refuseWeakeningStaffChange } from './governance-policy.ts';
import {
  announceRevocation,
  revokeCustomerInTransaction,
  revokeStaffInTransaction,
  type Revocation,
} from '../impersonation/revocation.ts';

/**
 * The manager making the change (`actor`, named by the end records), their request, and the audit
 * trace of the mutation (if any) the change is noted in (the mutation's own record then shows it).
 */
export type StaffChangeContext = StaffContext & Pick<Context, 'auditTrace'>;

type StaffChange = { active: boolean } | { role: StaffRole };

/**
 * Locks and reads the staff member, refuses a weakening change (a second manager's approval applies
 * those: governance-apply.ts), updates and revokes what the change takes away, in one transaction.
 */
async function changeStaff(ctx: StaffChangeContext, staffId: string, data: StaffChange): Promise<Staff> {
  const now = ctx.clock.now();
  const change = { byStaffId: ctx.actor.id, request: ctx, now };
  const { staff, before, revocation } = await ctx.prisma.$transaction(async (tx) => {
    await lockRow(tx, 'Staff', staffId);
    const row = await tx.staff.findUnique({ where: { id: staffId }, select: { active: true, role: true } });
    if (!row) throw notFound('Staff member');
    // Decided on the row as held, so a promotion, demotion or reactivation committed meanwhile counts.
    refuseWeakeningStaffChange(row, data);
    // An active manager deactivated or demoted: remembered with who did it (governance-policy.ts).
    const removesManager =
      row.active && row.role === 'MANAGER' && ('active' in data ? !data.active : data.role !== 'MANAGER');
    const removal = removesManager ? { managerRemovedAt: now, managerRemovedById: ctx.actor.id } : {};
    const updated = await tx.staff.update({ where: { id: staffId }, data: { ...data, ...removal } });
    return { staff: updated, before: row, revocation: await revokeStaffInTransaction(tx, updated, change) };
  });
  const field = 'active' in data ? 'active' : 'role';
  ctx.auditTrace?.note({
    action: AuditAction.STAFF_UPDATED,
    change: { target: `Staff:${staff.id}`, before: { [field]: before[field] }, after: data },
  });
  announceRevocation(ctx, revocation);
  return staff;
}

/**
 * Sets staff member `staffId` active or inactive. Deactivating ends their impersonation sessions
 * and revokes every sign-in and impersonation token they hold (reactivating gives none back).
 * NOT_FOUND when there is no such staff member.
 * @returns the staff row after the change.
 */
export function setStaffActive(ctx: StaffChangeContext, staffId: string, active: boolean): Promise<Staff> {
  return changeStaff(ctx, staffId, { active });
}

/**
 * Gives staff member `staffId` role `role`. One who may no longer impersonate has their sessions
 * ended, their impersonation tokens revoked and their manager sockets closed (their sign-in
 * stays). NOT_FOUND when there is no such staff member.
 * @returns the staff row after the change.
 */
export function setStaffRole(ctx: StaffChangeContext, staffId: string, role: StaffRole): Promise<Staff> {
  return changeStaff(ctx, staffId, { role });
}

/**
 * Sets customer `customerId`'s status. Disabling ends every session viewing her and revokes her
 * sign-ins and those sessions' tokens (enabling her again gives none back). NOT_FOUND when there
 * is no such customer.
 * @returns the customer row after the change.
 */
export async function setCustomerStatus(
  ctx: StaffChangeContext,
  customerId: string,
  status: CustomerStatus,
): Promise<Customer> {
  const now = ctx.clock.now();
  const change = { byStaffId: ctx.actor.id, request: ctx, now };
  const { customer, before, revocation } = await ctx.prisma.$transaction(async (tx: Prisma.TransactionClient) => {
    await lockRow(tx, 'Customer', customerId);
    const row = await tx.customer.findUnique({ where: { id: customerId }, select: { status: true } });
    if (!row) throw notFound('Customer');
    const updated = await tx.customer.update({ where: { id: customerId }, data: { status } });
    const revoked: Revocation | null =
      status === 'DISABLED' ? await revokeCustomerInTransaction(tx, customerId, change) : null;
    return { customer: updated, before: row, revocation: revoked };
  });
  ctx.auditTrace?.note({
    action: AuditAction.CUSTOMER_STATUS_CHANGED,
    customerId: customer.id,
    change: { target: `Customer:${customer.id}`, before: { status: before.status }, after: { status } },
  });
  announceRevocation(ctx, revocation);
  return customer;
}
