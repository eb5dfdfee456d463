// What governance decisions read from the database: how many other managers are active (one
// manager alone waits out a cooling-off period), whether a manager has a stake in a customer's
// protection (a pending, declined or stopped view of her). The refusal of a weakening staff change
// made directly is governance-policy.ts's refuseWeakeningStaffChange, on the row staff-changes.ts locks.
import type { GovernanceRequest, Prisma, Staff } from '@prisma/client';
import type { Config } from '../config.ts';
import type { Services } from '../context.ts';
import { ErrorReason, forbidden } from '../errors.ts';
import { conflictSince } from './governance-policy.ts';
import { openRequestWhere } from './policy.ts';

type Reader = Prisma.TransactionClient | Services['prisma'];

/** Active managers other than `staffId`. */
export function otherActiveManagers(db: Reader, staffId: string): Promise<number> {
  return db.staff.count({ where: { role: 'MANAGER', active: true, id: { not: staffId } } });
}

/**
 * Whether manager `staffId` has a stake in customer `customerId`'s protection: an access request
 * of theirs for her that is open, or that she (or a manager) declined within the block period
 * (STAFF_VIEW_BLOCK_HOURS); a view of theirs she stopped within that time; or a live block of hers.
 */
export async function hasCustomerConflict(
  db: Reader,
  input: { staffId: string; customerId: string; now: Date; config: Pick<Config, 'STAFF_VIEW_BLOCK_HOURS'> },
): Promise<boolean> {
  const { staffId, customerId, now } = input;
  const since = conflictSince(now, input.config);
  const request = await db.accessRequest.findFirst({
    where: { staffId, customerId, OR: [openRequestWhere(now), { declinedAt: { gte: since } }] },
    select: { id: true },
  });
  if (request) return true;
  const stopped = await db.impersonationSession.findFirst({
    where: { staffId, customerId, endState: 'STOPPED_BY_CUSTOMER', endedAt: { gte: since } },
    select: { id: true },
  });
  if (stopped) return true;
  const block = await db.staffViewBlock.findFirst({
    where: { staffId, customerId, liftedAt: null, until: { gt: now } },
    select: { id: true },
  });
  return block !== null;
}

/**
 * Refuses with FORBIDDEN CUSTOMER_CONFLICT when manager `input.staffId` has a stake in the
 * customer's protection. `asker` is who is told (the requester's stake blocks an approval too).
 */
export async function assertNoCustomerConflict(
  db: Reader,
  input: Parameters<typeof hasCustomerConflict>[1],
  asker: Pick<Staff, 'id'> = { id: input.staffId },
): Promise<void> {
  if (!(await hasCustomerConflict(db, input))) return;
  const whose = asker.id === input.staffId ? 'You have' : 'The requesting manager has';
  throw forbidden(
    `${whose} a pending, declined or stopped staff view of this customer: a manager without one must decide on her protection`,
    { reason: ErrorReason.CustomerConflict },
  );
}

/**
 * The lone confirmation is for a salon that has one manager, not one its requester made so: refused
 * (GOVERNANCE_ALONE_BY_REMOVAL) when they deactivated or demoted a manager within
 * GOVERNANCE_LONE_LOOKBACK_DAYS before the request, or since. Another manager must then decide.
 */
export async function assertNotAloneByRemoval(
  tx: Prisma.TransactionClient,
  request: Pick<GovernanceRequest, 'requestedByStaffId' | 'createdAt'>,
  config: Pick<Config, 'GOVERNANCE_LONE_LOOKBACK_DAYS'>,
): Promise<void> {
  const since = new Date(request.createdAt.getTime() - config.GOVERNANCE_LONE_LOOKBACK_DAYS * 86_400_000);
  const removed = await tx.staff.count({
    where: { managerRemovedById: request.requestedByStaffId, managerRemovedAt: { gte: since } },
  });
  if (removed > 0) {
    throw forbidden('You removed a manager recently, so another manager must decide this change', {
      reason: ErrorReason.GovernanceAloneByRemoval,
    });
  }
}
