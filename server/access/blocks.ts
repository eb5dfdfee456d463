// The customer's word is final (SPEC 9): her Stop of a staff view, or her "no" to a request,
// withdraws her live grants (a Stop may keep them), closes that staff member's open requests for
// her and blocks that staff member for STAFF_VIEW_BLOCK_HOURS: no start, no request, no approval
// (assertNotBlocked in requests.ts). She sees her blocks in Settings and may lift one ("Allow
// again"). Writes happen in the caller's transaction, which has locked her Customer row first (as a
// request's creation does), then are published. Other managers are not blocked by her Stop of one.
// Row locks come before audit appends (which lock shard heads): the open requests are closed first,
// so a manager's answer holding one of them never waits on a shard this transaction holds.
import {
  AuditAction,
  type AccessRequest,
  type Prisma,
  type StaffViewBlock,
  type StaffViewBlockCause,
} from '@prisma/client';
import { auditRequestContext } from '../audit/chain.ts';
import type { CustomerContext, RequestInfo, Services } from '../context.ts';
import { lockRow } from '../db/row-locks.ts';
import { notFound } from '../errors.ts';
import { blockUntil, isBlockLive, liveGrantWhere, openRequestWhere } from './policy.ts';
import { publishCustomerAccessChange, publishRequestChange, recordAccessChange } from './requests.ts';

/** What a Stop or a "no" withdrew: the block, how many grants ended, the requests it closed. */
export interface Withdrawal {
  block: StaffViewBlock;
  grantsWithdrawn: number;
  closedRequests: AccessRequest[];
}

/** What caused a withdrawal, and where it came from. */
export interface WithdrawalCause {
  customerId: string;
  staffId: string;
  cause: StaffViewBlockCause;
  /** The stopped session (STOPPED) or the declined request (DECLINED). */
  sessionId?: string;
  requestId?: string;
  /** That staff member's requests closed by closeOpenRequestsInTransaction, to be recorded. */
  closedRequests: AccessRequest[];
}

const CAUSE_WORDS: Record<StaffViewBlockCause, string> = {
  STOPPED: 'the customer stopped a staff view',
  DECLINED: 'the customer declined a request',
};

/** Ends one live grant of the customer now, with its record; false if it had ended already. */
export async function revokeGrantInTransaction(
  tx: Prisma.TransactionClient,
  grant: { id: string; customerId: string },
  now: Date,
  request: Partial<RequestInfo>,
  reason?: string,
): Promise<boolean> {
  const { count } = await tx.accessGrant.updateMany({
    where: { id: grant.id, ...liveGrantWhere(now) },
    data: { revokedAt: now },
  });
  if (count === 0) return false;
  await recordAccessChange(tx, {
    action: AuditAction.ACCESS_GRANT_REVOKED,
    createdAt: now,
    customerId: grant.customerId,
    reason: reason ?? null,
    change: { target: `AccessGrant:${grant.id}`, before: { revokedAt: null }, after: { revokedAt: now.toISOString() } },
    ...auditRequestContext(request),
  });
  return true;
}

/**
 * Closes that staff member's open requests for her (declined), before anything is recorded; returns
 * them for withdrawConsentInTransaction to record.
 */
export async function closeOpenRequestsInTransaction(
  tx: Prisma.TransactionClient,
  who: { customerId: string; staffId: string },
  now: Date,
): Promise<AccessRequest[]> {
  const open = await tx.accessRequest.findMany({
    where: { customerId: who.customerId, staffId: who.staffId, ...openRequestWhere(now) },
  });
  const closed: AccessRequest[] = [];
  for (const request of open) {
    const { count } = await tx.accessRequest.updateMany({
      where: { id: request.id, ...openRequestWhere(now) },
      data: { declinedAt: now },
    });
    if (count > 0) closed.push({ ...request, declinedAt: now });
  }
  return closed;
}

/**
 * Withdraws her consent from one staff member, in the caller's transaction (her Customer row
 * locked, that staff member's open requests closed): her live grants, and a block until
 * STAFF_VIEW_BLOCK_HOURS from `now`; each change and each closed request recorded.
 */
export async function withdrawConsentInTransaction(
  tx: Prisma.TransactionClient,
  cause: WithdrawalCause,
  now: Date,
  ctx: Pick<Services, 'config'> & Partial<RequestInfo>,
): Promise<Withdrawal> {
  const { customerId, staffId } = cause;
  const why = `Withdrawn: ${CAUSE_WORDS[cause.cause]}`;
  const { closedRequests } = cause;
  let grantsWithdrawn = 0;
  const grants = await tx.accessGrant.findMany({ where: { customerId, ...liveGrantWhere(now) }, select: { id: true } });
  for (const { id } of grants) {
    if (await revokeGrantInTransaction(tx, { id, customerId }, now, ctx, why)) grantsWithdrawn += 1;
  }
  for (const request of closedRequests) {
    await recordAccessChange(tx, {
      action: AuditAction.ACCESS_REQUEST_DECLINED,
      createdAt: now,
      customerId,
      reason: `Closed: ${CAUSE_WORDS[cause.cause]}`,
      change: {
        target: `AccessRequest:${request.id}`,
        after: { declinedAt: now.toISOString(), requestedByStaffId: staffId },
      },
      ...auditRequestContext(ctx),
    });
  }
  const block = await tx.staffViewBlock.create({
    data: {
      customerId,
      staffId,
      cause: cause.cause,
      sessionId: cause.sessionId ?? null,
      requestId: cause.requestId ?? null,
      createdAt: now,
      until: blockUntil(now, ctx.config),
    },
  });
  await recordAccessChange(tx, {
    action: AuditAction.STAFF_VIEW_BLOCKED,
    createdAt: now,
    staffId,
    customerId,
    sessionId: cause.sessionId ?? null,
    reason: `No staff view or request by this staff member until ${block.until.toISOString()}: ${CAUSE_WORDS[cause.cause]}`,
    change: {
      target: `StaffViewBlock:${block.id}`,
      after: { cause: block.cause, until: block.until.toISOString(), grantsWithdrawn, requestId: block.requestId },
    },
    ...auditRequestContext(ctx),
  });
  return { block, grantsWithdrawn, closedRequests };
}

/** After the commit: the requester's dialogs, the approvals list and her portal are told. */
export function publishWithdrawal(services: Pick<Services, 'pubsub'>, withdrawal: Withdrawal): void {
  for (const request of withdrawal.closedRequests) publishRequestChange(services, request);
  publishCustomerAccessChange(services, withdrawal.block.customerId);
}

/** "Allow again": she lifts one of her own blocks now; a block already over is left as it is. */
export async function liftStaffViewBlock(ctx: CustomerContext, blockId: string): Promise<StaffViewBlock> {
  const customerId = ctx.customer.id;
  const now = ctx.clock.now();
  const block = await ctx.prisma.$transaction(async (tx) => {
    await lockRow(tx, 'Customer', customerId);
    const found = await tx.staffViewBlock.findFirst({ where: { id: blockId, customerId } });
    if (!found) throw notFound('Staff view block');
    if (!isBlockLive(found, now)) return found;
    const lifted = await tx.staffViewBlock.update({ where: { id: blockId }, data: { liftedAt: now } });
    await recordAccessChange(tx, {
      action: AuditAction.STAFF_VIEW_BLOCK_LIFTED,
      createdAt: now,
      staffId: found.staffId,
      customerId,
      reason: 'The customer allowed this staff member again',
      change: {
        target: `StaffViewBlock:${blockId}`,
        before: { liftedAt: null },
        after: { liftedAt: now.toISOString() },
      },
      ...auditRequestContext(ctx),
    });
    return lifted;
  });
  publishCustomerAccessChange(ctx, customerId);
  return block;
}
