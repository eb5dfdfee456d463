// The customer's side of consent (SPEC 7): "staff may view my account freely / ask me first",
// grants of access for a period (revocable), and answers to access requests. Called only from
// customer mutations, which the `mutatesCustomer` scope refuses under impersonation. Each change
// commits with its audit record, then the customer's portal and the requester's dialog are told.
// Each transaction locks the row it decides on first (db/row-locks.ts): of two answers at once,
// the second reads the first's and is refused, and neither waits for the other's audit shard. The
// customer's row comes first of all, as in her Stop (presence.ts): her changes queue one by one.
// Her "no" is final (SPEC 9): it withdraws her grants and blocks the requester (blocks.ts).
import {
  AuditAction,
  type PortalSection,
  type AccessGrant,
  type AccessRequest,
  type Prisma,
  type StaffAccessPreference,
} from '@prisma/client';
import type { CustomerContext, RequestInfo } from '../context.ts';
import { ErrorReason, conflict, notFound } from '../errors.ts';
import {
  GRANT_DURATION_WORDS,
  approvedRequestScope,
  grantScope,
  scopeWords,
  accessRequestState,
  assertAwaitsCustomer,
  grantExpiry,
  approvedStartExpiry,
  isGrantLive,
  type GrantDuration,
} from './policy.ts';
import { auditRequestContext } from '../audit/chain.ts';
import { isWholePortal } from '../impersonation/scope.ts';
import { lockRow } from '../db/row-locks.ts';
import { publishCustomerAccessChange, publishRequestChange, recordAccessChange } from './requests.ts';
import {
  closeOpenRequestsInTransaction,
  publishWithdrawal,
  revokeGrantInTransaction,
  withdrawConsentInTransaction,
} from './blocks.ts';

/** Sets whether staff may view the customer's account freely or must ask first; records the change if any. */
export async function setStaffAccessPreference(ctx: CustomerContext, preference: StaffAccessPreference): Promise<void> {
  const customerId = ctx.customer.id;
  const now = ctx.clock.now();
  const changed = await ctx.prisma.$transaction(async (tx) => {
    await lockRow(tx, 'Customer', customerId);
    const before = await tx.customer.findUniqueOrThrow({ where: { id: customerId }, select: { staffAccess: true } });
    if (before.staffAccess === preference) return false;
    await tx.customer.update({ where: { id: customerId }, data: { staffAccess: preference } });
    await recordAccessChange(tx, {
      action: AuditAction.STAFF_ACCESS_PREFERENCE_CHANGED,
      createdAt: now,
      customerId,
      change: {
        target: `Customer:${customerId}`,
        before: { staffAccess: before.staffAccess },
        after: { staffAccess: preference },
      },
      ...auditRequestContext(ctx),
    });
    return true;
  });
  if (changed) publishCustomerAccessChange(ctx, customerId);
}

/** A grant for a period and a scope (the sections she allows, access/policy.ts: grantScope). */
interface GrantTerms {
  duration: GrantDuration;
  scope: PortalSection[];
}

async function grantInTransaction(
  tx: Prisma.TransactionClient,
  customerId: string,
  terms: GrantTerms,
  now: Date,
  request: RequestInfo,
): Promise<AccessGrant> {
  const grant = await tx.accessGrant.create({
    data: { customerId, createdAt: now, expiresAt: grantExpiry(now, terms.duration), scope: terms.scope },
  });
  await recordAccessChange(tx, {
    action: AuditAction.ACCESS_GRANTED,
    createdAt: now,
    customerId,
    reason: `Staff may view ${scopeWords(terms.scope)} for ${GRANT_DURATION_WORDS[terms.duration]}`,
    change: {
      target: `AccessGrant:${grant.id}`,
      after: { expiresAt: grant.expiresAt.toISOString(), scope: grant.scope },
    },
    ...auditRequestContext(request),
  });
  return grant;
}

/**
 * Grants staff access to the customer's account for a period, without a request: to the sections
 * she names, or to the whole account when she names none.
 */
export async function grantStaffAccess(
  ctx: CustomerContext,
  duration: GrantDuration,
  sections?: readonly PortalSection[] | null,
): Promise<AccessGrant> {
  const customerId = ctx.customer.id;
  const now = ctx.clock.now();
  const terms = { duration, scope: grantScope(sections) };
  const grant = await ctx.prisma.$transaction((tx) => grantInTransaction(tx, customerId, terms, now, ctx));
  publishCustomerAccessChange(ctx, customerId);
  return grant;
}

/** Ends one of the customer's own grants now; a grant already over is left as it is. */
export async function revokeStaffAccess(ctx: CustomerContext, grantId: string): Promise<AccessGrant> {
  const customerId = ctx.customer.id;
  const now = ctx.clock.now();
  const grant = await ctx.prisma.$transaction(async (tx) => {
    await lockRow(tx, 'Customer', customerId);
    await lockRow(tx, 'AccessGrant', grantId);
    const found = await tx.accessGrant.findFirst({ where: { id: grantId, customerId } });
    if (!found) throw notFound('Access grant');
    if (!isGrantLive(found, now)) return found;
    await revokeGrantInTransaction(tx, found, now, ctx);
    return tx.accessGrant.findUniqueOrThrow({ where: { id: grantId } });
  });
  publishCustomerAccessChange(ctx, customerId);
  return grant;
}

/**
 * The customer's own request, locked (after her own row) for the rest of the transaction and read
 * after the lock, or NOT_FOUND (another customer's request does not exist for them).
 */
async function ownRequest(tx: Prisma.TransactionClient, customerId: string, requestId: string) {
  await lockRow(tx, 'Customer', customerId);
  await lockRow(tx, 'AccessRequest', requestId);
  const found = await tx.accessRequest.findFirst({ where: { id: requestId, customerId } });
  if (!found) throw notFound('Access request');
  return found;
}

/** The customer's answer, conditional on the row as read (and locked): of two answers at once, one wins. */
async function answerOnce(
  tx: Prisma.TransactionClient,
  requestId: string,
  data: Prisma.AccessRequestUncheckedUpdateManyInput,
) {
  const { count } = await tx.accessRequest.updateMany({
    where: { id: requestId, customerApprovedAt: null, declinedAt: null, sessionId: null },
    data,
  });
  if (count === 0) throw conflict('This request was answered meanwhile', { reason: ErrorReason.AccessRequestClosed });
}

/**
 * Approves a request for a period and the sections she allows (what was asked unless she names
 * others): a grant for them (so the requester's start goes through), the request's customer part
 * done, its scope kept to what she allowed, and the requester's time to start renewed.
 */
export async function approveAccessRequest(
  ctx: CustomerContext,
  requestId: string,
  duration: GrantDuration,
  sections?: readonly PortalSection[] | null,
): Promise<AccessRequest> {
  const customerId = ctx.customer.id;
  const now = ctx.clock.now();
  const approved = await ctx.prisma.$transaction(async (tx) => {
    const found = await ownRequest(tx, customerId, requestId);
    assertAwaitsCustomer(found, now);
    const scope = grantScope(sections, found.scope);
    const kept = approvedRequestScope(found.scope, scope);
    const narrowed = kept.join() !== found.scope.join();
    const grant = await grantInTransaction(tx, customerId, { duration, scope }, now, ctx);
    const answered = { ...found, customerApprovedAt: now };
    const done = accessRequestState(answered, now) === 'APPROVED';
    await answerOnce(tx, requestId, {
      customerApprovedAt: now,
      grantId: grant.id,
      ...(narrowed ? { scope: kept, scopeNeed: null } : {}),
      ...(done ? { expiresAt: approvedStartExpiry(now, ctx.config) } : {}),
    });
    await recordAccessChange(tx, {
      action: AuditAction.ACCESS_REQUEST_APPROVED,
      createdAt: now,
      customerId,
      reason: `The customer allowed staff access${isWholePortal(scope) ? '' : ` to ${scopeWords(scope)}`} for ${GRANT_DURATION_WORDS[duration]}`,
      change: {
        target: `AccessRequest:${requestId}`,
        before: { scope: found.scope },
        after: {
          customerApprovedAt: now.toISOString(),
          grantId: grant.id,
          requestedByStaffId: found.staffId,
          scope: kept,
        },
      },
      ...auditRequestContext(ctx),
    });
    return tx.accessRequest.findUniqueOrThrow({ where: { id: requestId } });
  });
  publishRequestChange(ctx, approved);
  return approved;
}

/**
 * Declines a request that waits for the customer. Like her Stop, her "no" withdraws her grants,
 * closes the requester's other open requests for her and blocks the requester (blocks.ts).
 */
export async function declineAccessRequestAsCustomer(ctx: CustomerContext, requestId: string): Promise<AccessRequest> {
  const customerId = ctx.customer.id;
  const now = ctx.clock.now();
  const { declined, withdrawal } = await ctx.prisma.$transaction(async (tx) => {
    const found = await ownRequest(tx, customerId, requestId);
    assertAwaitsCustomer(found, now);
    await answerOnce(tx, requestId, { declinedAt: now });
    const who = { customerId, staffId: found.staffId };
    const closedRequests = await closeOpenRequestsInTransaction(tx, who, now);
    await recordAccessChange(tx, {
      action: AuditAction.ACCESS_REQUEST_DECLINED,
      createdAt: now,
      customerId,
      reason: 'Declined by the customer',
      change: {
        target: `AccessRequest:${requestId}`,
        after: { declinedAt: now.toISOString(), requestedByStaffId: found.staffId },
      },
      ...auditRequestContext(ctx),
    });
    const cause = { ...who, cause: 'DECLINED', requestId, closedRequests } as const;
    return {
      withdrawal: await withdrawConsentInTransaction(tx, cause, now, ctx),
      declined: await tx.accessRequest.findUniqueOrThrow({ where: { id: requestId } }),
    };
  });
  publishRequestChange(ctx, declined);
  publishWithdrawal(ctx, withdrawal);
  return declined;
}
