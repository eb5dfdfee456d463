// Four-eyes (SPEC 7): managers mark a customer protected (removing it takes a second manager:
// governance.ts), and a start on a protected customer waits as an access request until a second,
// different manager approves it (or declines). The approver is stored on the request, then on the
// session it allows (requests.ts uses it once). Each change commits with its audit record, then is
// published. Each transaction locks the row it decides on first (db/row-locks.ts), as the
// customer's answers do (consent.ts): answers at once queue on the request, never deadlock on
// audit shards, and the later one reads the earlier's.
import { AuditAction, type AccessRequest, type Prisma, type Staff } from '@prisma/client';
import type { StaffContext } from '../context.ts';
import { ErrorReason, conflict, forbidden, notFound } from '../errors.ts';
import { accessRequestState, approvedStartExpiry, assertMayAnswerAsManager } from './policy.ts';
import { auditRequestContext, type AuditEntry } from '../audit/chain.ts';
import { lockRow } from '../db/row-locks.ts';
import { assertNotBlocked, publishRequestChange, recordAccessChange } from './requests.ts';
import { mayImpersonate } from '../impersonation/policy.ts';
import { secondManagerRequired } from './governance-policy.ts';

/** The manager's request: the one answering or protecting is the context's actor. */
type ManagerContext = StaffContext<Pick<Staff, 'id' | 'active' | 'role'>>;

/**
 * The manager of `ctx` marks a customer protected; records the change if any. Removing the
 * protection weakens four-eyes: it is a governance change (governance.ts), refused here with
 * SECOND_MANAGER_REQUIRED.
 */
export async function setCustomerProtected(
  ctx: ManagerContext,
  customerId: string,
  isProtected: boolean,
): Promise<void> {
  const manager = ctx.actor;
  if (!mayImpersonate(manager)) throw forbidden('Only active managers may protect a customer');
  if (!isProtected) throw secondManagerRequired('UNPROTECT_CUSTOMER');
  const now = ctx.clock.now();
  await ctx.prisma.$transaction(async (tx) => {
    await lockRow(tx, 'Customer', customerId);
    const before = await tx.customer.findUnique({ where: { id: customerId }, select: { protected: true } });
    if (!before) throw notFound('Customer');
    if (before.protected) return;
    await saveProtection(tx, {
      customerId,
      protected: true,
      now,
      staffId: manager.id,
      audit: auditRequestContext(ctx),
    });
  });
}

/**
 * Saves a customer's protected flag and its record (before and after, and what `audit.change`
 * adds) in the caller's transaction, which has locked the customer's row and read it.
 */
export async function saveProtection(
  tx: Prisma.TransactionClient,
  change: {
    customerId: string;
    protected: boolean;
    now: Date;
    staffId: string;
    audit: Pick<AuditEntry, 'requestId' | 'ip' | 'userAgent' | 'reason'> & { change?: Record<string, unknown> };
  },
): Promise<void> {
  const { customerId, now, staffId, audit } = change;
  const { change: extra, ...context } = audit;
  await tx.customer.update({ where: { id: customerId }, data: { protected: change.protected } });
  await recordAccessChange(tx, {
    action: AuditAction.CUSTOMER_PROTECTION_CHANGED,
    createdAt: now,
    staffId,
    customerId,
    change: {
      target: `Customer:${customerId}`,
      before: { protected: !change.protected },
      after: { protected: change.protected, ...extra },
    },
    ...context,
  });
}

async function answer(ctx: ManagerContext, requestId: string, approve: boolean): Promise<AccessRequest> {
  const manager = ctx.actor;
  const now = ctx.clock.now();
  const answered = await ctx.prisma.$transaction(async (tx) => {
    await lockRow(tx, 'AccessRequest', requestId);
    const found = await tx.accessRequest.findUnique({ where: { id: requestId } });
    if (!found) throw notFound('Access request');
    assertMayAnswerAsManager(found, manager, now);
    if (approve) await assertNotBlocked(tx, found, now);
    const done = approve && accessRequestState({ ...found, managerApprovedAt: now }, now) === 'APPROVED';
    // Conditional on the row as read (and locked): of two managers answering at once, one wins.
    const { count } = await tx.accessRequest.updateMany({
      where: { id: requestId, managerApprovedAt: null, declinedAt: null, sessionId: null },
      data: approve
        ? {
            managerApprovedAt: now,
            approvedByStaffId: manager.id,
            ...(done ? { expiresAt: approvedStartExpiry(now, ctx.config) } : {}),
          }
        : { declinedAt: now, declinedByStaffId: manager.id },
    });
    if (count === 0) throw conflict('This request was answered meanwhile', { reason: ErrorReason.AccessRequestClosed });
    await recordAccessChange(tx, {
      action: approve ? AuditAction.ACCESS_REQUEST_APPROVED : AuditAction.ACCESS_REQUEST_DECLINED,
      createdAt: now,
      staffId: manager.id,
      customerId: found.customerId,
      reason: found.reason,
      change: {
        target: `AccessRequest:${requestId}`,
        after: { [approve ? 'approvedByStaffId' : 'declinedByStaffId']: manager.id, requestedByStaffId: found.staffId },
      },
      ...auditRequestContext(ctx),
    });
    return tx.accessRequest.findUniqueOrThrow({ where: { id: requestId } });
  });
  publishRequestChange(ctx, answered);
  return answered;
}

/** The second approval, by the manager of `ctx`, who is not the requester. */
export const approveAccessRequestAsManager = (ctx: ManagerContext, requestId: string) => answer(ctx, requestId, true);

/** A second manager, the one of `ctx`, declines the start. */
export const declineAccessRequestAsManager = (ctx: ManagerContext, requestId: string) => answer(ctx, requestId, false);
