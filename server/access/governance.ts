// Governance changes (SPEC 9): a change that weakens a safeguard (unprotect a customer, staff views
// back on, promote to manager, reactivate a manager) is requested with a reason and applied only
// when a second, different, active manager approves it, in the approving transaction, with the
// request's row locked first (db/row-locks.ts) and its target read again under its own lock. With
// one manager, the requester confirms alone after a cooling-off period (governance-policy.ts), and
// a customer whose protection it concerns sees it at once in her staff-access log. Every step
// commits with its audit record naming both managers, then is published to the approvals list.
import { AuditAction, type GovernanceChangeKind, type GovernanceRequest, type Staff } from '@prisma/client';
import { auditRequestContext } from '../audit/chain.ts';
import type { Services, StaffContext } from '../context.ts';
import { ErrorReason, conflict, forbidden, notFound } from '../errors.ts';
import { mayImpersonate } from '../impersonation/policy.ts';
import { applyChange, lockTarget } from './governance-apply.ts';
import { assertNoCustomerConflict, assertNotAloneByRemoval, otherActiveManagers } from './governance-checks.ts';
import {
  assertMayApprove,
  assertMayCancel,
  assertMayDecline,
  dueGovernanceWhere,
  governanceTarget,
  governanceTimes,
  pendingGovernanceWhere,
} from './governance-policy.ts';
import { lockRow } from '../db/row-locks.ts';
import { publishStaffViewsSwitch } from './kill-switch.ts';
import { publishCustomerAccessChange, recordAccessChange } from './requests.ts';

/** The manager asking or deciding: the context's actor. */
type ManagerContext = StaffContext<Pick<Staff, 'id' | 'active' | 'role' | 'name'>>;

/** A change as requested: its kind, its target's id (customer or staff member) and why. */
export interface GovernanceChangeInput {
  kind: GovernanceChangeKind;
  customerId?: string | null;
  staffId?: string | null;
  reason: string;
}

/** Tells the managers' approvals lists (and, for a customer's protection, her open portal). */
function publishGovernanceChange(services: Pick<Services, 'pubsub'>, request: GovernanceRequest): void {
  services.pubsub.publish('governance:request', { requestId: request.id });
  if (request.customerId) publishCustomerAccessChange(services, request.customerId);
}

/**
 * The manager of `ctx` asks for a change. Refused when the target is not what the change starts
 * from (CONFLICT GOVERNANCE_TARGET_CHANGED), when the same change already waits (CONFLICT
 * GOVERNANCE_REQUEST_OPEN) and, to unprotect a customer, when the manager has a pending, declined
 * or stopped view of her (FORBIDDEN CUSTOMER_CONFLICT).
 */
export async function requestGovernanceChange(
  ctx: ManagerContext,
  input: GovernanceChangeInput,
): Promise<GovernanceRequest> {
  const manager = ctx.actor;
  if (!mayImpersonate(manager)) throw forbidden('Only active managers may request a change');
  const target = governanceTarget(input);
  const customerId = 'customerId' in target ? target.customerId : null;
  const targetStaffId = 'staffId' in target ? target.staffId : null;
  const now = ctx.clock.now();
  const created = await ctx.prisma.$transaction(async (tx) => {
    await lockTarget(tx, { kind: target.kind, customerId, targetStaffId });
    if (customerId) await assertNoCustomerConflict(tx, { staffId: manager.id, customerId, now, config: ctx.config });
    const open = await tx.governanceRequest.findFirst({
      where: { kind: target.kind, customerId, targetStaffId, ...pendingGovernanceWhere(now) },
      select: { id: true },
    });
    if (open) {
      throw conflict('The same change already waits for a second manager', {
        reason: ErrorReason.GovernanceRequestOpen,
        requestId: open.id,
      });
    }
    const times = governanceTimes(now, ctx.config, await otherActiveManagers(tx, manager.id));
    const row = await tx.governanceRequest.create({
      data: {
        kind: target.kind,
        customerId,
        targetStaffId,
        reason: input.reason,
        requestedByStaffId: manager.id,
        createdAt: now,
        ...times,
      },
    });
    await recordAccessChange(tx, {
      action: AuditAction.GOVERNANCE_CHANGE_REQUESTED,
      createdAt: now,
      staffId: manager.id,
      customerId,
      reason: input.reason,
      change: {
        target: `GovernanceRequest:${row.id}`,
        after: {
          kind: row.kind,
          targetStaffId,
          requestedByStaffId: manager.id,
          requestedBy: manager.name,
          expiresAt: row.expiresAt.toISOString(),
          coolingOffUntil: row.coolingOffUntil?.toISOString() ?? null,
        },
      },
      ...auditRequestContext(ctx),
    });
    return row;
  });
  publishGovernanceChange(ctx, created);
  return created;
}

/**
 * A second manager (the one of `ctx`) approves, and the change applies in the same transaction;
 * or, with no other active manager, the requester confirms alone after the cooling-off period.
 */
export async function approveGovernanceChange(ctx: ManagerContext, requestId: string): Promise<GovernanceRequest> {
  const manager = ctx.actor;
  const now = ctx.clock.now();
  const approved = await ctx.prisma.$transaction(async (tx) => {
    await lockRow(tx, 'GovernanceRequest', requestId);
    const found = await tx.governanceRequest.findUnique({
      where: { id: requestId },
      include: { requestedBy: { select: { name: true, active: true, role: true } } },
    });
    if (!found) throw notFound('Governance request');
    const { alone } = assertMayApprove(found, manager, now, await otherActiveManagers(tx, manager.id));
    // A request outlives no requester: one no longer an active manager asks for nothing.
    if (!mayImpersonate(found.requestedBy)) {
      throw conflict('Its requester is no longer an active manager', { reason: ErrorReason.GovernanceRequestClosed });
    }
    if (alone) await assertNotAloneByRemoval(tx, found, ctx.config);
    if (found.customerId) {
      for (const staffId of new Set([manager.id, found.requestedByStaffId])) {
        await assertNoCustomerConflict(tx, { staffId, customerId: found.customerId, now, config: ctx.config }, manager);
      }
    }
    const target = await lockTarget(tx, found);
    const names = {
      requestedByStaffId: found.requestedByStaffId,
      requestedBy: found.requestedBy.name,
      approvedByStaffId: manager.id,
      approvedBy: manager.name,
      ...(alone ? { confirmedAlone: true, coolingOffUntil: found.coolingOffUntil!.toISOString() } : {}),
    };
    const audit = auditRequestContext(ctx);
    await applyChange(tx, { request: found, target, approverId: manager.id, now, audit, names });
    const row = await tx.governanceRequest.update({
      where: { id: requestId },
      data: { approvedAt: now, approvedByStaffId: manager.id },
    });
    await recordAccessChange(tx, {
      action: AuditAction.GOVERNANCE_CHANGE_APPROVED,
      createdAt: now,
      staffId: manager.id,
      customerId: found.customerId,
      reason: found.reason,
      change: { target: `GovernanceRequest:${requestId}`, after: { kind: found.kind, ...names } },
      ...audit,
    });
    return row;
  });
  if (approved.kind === 'ENABLE_STAFF_VIEWS') publishStaffViewsSwitch(ctx, true);
  publishGovernanceChange(ctx, approved);
  return approved;
}

/** Closes a waiting request (declined by another manager, or cancelled by its requester), with its record. */
async function close(
  ctx: ManagerContext,
  requestId: string,
  decision: { action: 'GOVERNANCE_CHANGE_DECLINED' | 'GOVERNANCE_CHANGE_CANCELLED'; note?: string },
): Promise<GovernanceRequest> {
  const manager = ctx.actor;
  const now = ctx.clock.now();
  const declining = decision.action === AuditAction.GOVERNANCE_CHANGE_DECLINED;
  const closed = await ctx.prisma.$transaction(async (tx) => {
    await lockRow(tx, 'GovernanceRequest', requestId);
    const found = await tx.governanceRequest.findUnique({
      where: { id: requestId },
      include: { requestedBy: { select: { name: true } } },
    });
    if (!found) throw notFound('Governance request');
    if (declining) assertMayDecline(found, manager, now);
    else assertMayCancel(found, manager, now);
    const row = await tx.governanceRequest.update({
      where: { id: requestId },
      data: declining
        ? { declinedAt: now, declinedByStaffId: manager.id, declineNote: decision.note ?? null }
        : { cancelledAt: now },
    });
    await recordAccessChange(tx, {
      action: decision.action,
      createdAt: now,
      staffId: manager.id,
      customerId: found.customerId,
      reason: found.reason,
      change: {
        target: `GovernanceRequest:${requestId}`,
        after: {
          kind: found.kind,
          requestedByStaffId: found.requestedByStaffId,
          requestedBy: found.requestedBy.name,
          ...(declining ? { declinedByStaffId: manager.id, declinedBy: manager.name, note: decision.note } : {}),
        },
      },
      ...auditRequestContext(ctx),
    });
    return row;
  });
  publishGovernanceChange(ctx, closed);
  return closed;
}

/** Another manager (the one of `ctx`) says no, with a note for the requester (staff and audit only). */
export const declineGovernanceChange = (ctx: ManagerContext, requestId: string, note: string) =>
  close(ctx, requestId, { action: AuditAction.GOVERNANCE_CHANGE_DECLINED, note });

/** The requester (the manager of `ctx`) withdraws a waiting request. */
export const cancelGovernanceChange = (ctx: ManagerContext, requestId: string) =>
  close(ctx, requestId, { action: AuditAction.GOVERNANCE_CHANGE_CANCELLED });

/** Records the expiry of every request past its time, once whichever instance sweeps (the sweeper); how many. */
export async function expireDueGovernanceRequests(services: Services): Promise<number> {
  const now = services.clock.now();
  const due = await services.prisma.governanceRequest.findMany({
    where: dueGovernanceWhere(now),
    select: { id: true },
  });
  let expired = 0;
  for (const { id } of due) {
    const row = await services.prisma.$transaction(async (tx) => {
      const { count } = await tx.governanceRequest.updateMany({
        where: { id, ...dueGovernanceWhere(now) },
        data: { expiredAt: now },
      });
      if (count === 0) return null;
      const updated = await tx.governanceRequest.findUniqueOrThrow({ where: { id } });
      await recordAccessChange(tx, {
        action: AuditAction.GOVERNANCE_CHANGE_EXPIRED,
        createdAt: now,
        staffId: updated.requestedByStaffId,
        customerId: updated.customerId,
        reason: updated.reason,
        change: { target: `GovernanceRequest:${id}`, after: { kind: updated.kind, state: 'EXPIRED' } },
      });
      return updated;
    });
    if (row) {
      expired += 1;
      publishGovernanceChange(services, row);
    }
  }
  return expired;
}
