// The start's side of "a session cannot outlive its people" (revocation.ts is the other): inside the
// start's transaction, the staff member's and the customer's rows are read again FOR SHARE and held
// until it commits. A deactivation, demotion or customer disabling updates that row (and then, in
// the same transaction, ends sessions and revokes tokens), so it waits for a start holding it, and
// a start waits for it: either the start commits first and the change ends its session and revokes
// its token, or the start reads the change and is refused. On every instance, as it is the database's lock.
// Lock order of a start: SalonSettings (staff-views.ts), Staff, Customer, then the rows it writes.
import type { AccessRequest, Customer, Prisma, Staff } from '@prisma/client';
import { assertGateStillOpen, assertNotBlocked } from '../access/requests.ts';
import { assertViewRightNotSuspended } from '../access/reviews-policy.ts';
import { assertCanStart } from './policy.ts';
import type { Scope } from './scope.ts';

/** A staff member who is gone may do nothing. */
const NOBODY: Pick<Staff, 'active' | 'role'> = { active: false, role: 'GROOMER' };

/**
 * Locks the staff member's and the customer's rows FOR SHARE (in that order) until the start's
 * transaction ends and refuses, as the start's first check does, when either may no longer take
 * part: FORBIDDEN for a staff member no longer an active manager, one whose right to view an access
 * review suspended (ACCESS_REVIEW_SUSPENDED), or a disabled customer.
 */
export async function lockPeopleForStart(
  tx: Pick<Prisma.TransactionClient, '$queryRaw'>,
  who: { staffId: string; customerId: string },
): Promise<void> {
  const staff = await tx.$queryRaw<Pick<Staff, 'active' | 'role' | 'viewRightSuspendedAt'>[]>`
    SELECT active, role, "viewRightSuspendedAt" FROM "Staff" WHERE id = ${who.staffId} FOR SHARE`;
  const customer = await tx.$queryRaw<Pick<Customer, 'status'>[]>`
    SELECT status FROM "Customer" WHERE id = ${who.customerId} FOR SHARE`;
  assertCanStart({ actor: staff[0] ?? NOBODY, customer: customer[0] ?? null, activeSession: null });
  // An access review's removal committed since the start's first read (access/reviews.ts) holds.
  assertViewRightNotSuspended(staff[0] ?? null);
}

/**
 * What a start and an extension both ask again inside their transaction, once her row is held: no
 * block of this staff member by her, and her gate still open (assertNotBlocked, assertGateStillOpen).
 */
export async function assertStillAllowed(
  tx: Prisma.TransactionClient,
  who: { staffId: string; customerId: string; scope: Scope },
  approval: Pick<AccessRequest, 'managerApprovedAt'> | null,
  now: Date,
): Promise<void> {
  await assertNotBlocked(tx, who, now);
  await assertGateStillOpen(tx, who, approval, now);
}
