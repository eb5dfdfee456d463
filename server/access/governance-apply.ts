// A governance change's target, read under a lock, and the change itself, applied inside the
// transaction that approves it (governance.ts): the customer's protected flag, the kill switch,
// a staff member's role or active flag. Each change leaves its own record (CUSTOMER_PROTECTION_CHANGED,
// STAFF_VIEWS_ENABLED, STAFF_UPDATED) naming both managers. Promotion and reactivation take
// nothing away, so they revoke nothing (staff-changes.ts does that for the other direction).
import { AuditAction, type GovernanceRequest, type Prisma, type Staff } from '@prisma/client';
import type { AuditEntry } from '../audit/chain.ts';
import { lockRow } from '../db/row-locks.ts';
import { notFound } from '../errors.ts';
import { saveProtection } from './four-eyes.ts';
import { targetAsExpected, targetChanged } from './governance-policy.ts';
import { saveStaffViewsSwitch } from './kill-switch.ts';
import { recordAccessChange } from './requests.ts';
import { SETTINGS_ID } from './staff-views.ts';

type Target = Pick<GovernanceRequest, 'kind' | 'customerId' | 'targetStaffId'>;

/** The target as read under its lock: the staff member for PROMOTE_TO_MANAGER and REACTIVATE_MANAGER. */
export interface LockedTarget {
  staff?: Pick<Staff, 'id' | 'role' | 'active'>;
}

/**
 * Locks the change's target row (the customer, the settings row, the staff member) and reads it:
 * NOT_FOUND when it is gone, CONFLICT GOVERNANCE_TARGET_CHANGED when it is not (or no longer) what
 * the change starts from. Both the request and its approval pass here.
 */
export async function lockTarget(tx: Prisma.TransactionClient, target: Target): Promise<LockedTarget> {
  switch (target.kind) {
    case 'UNPROTECT_CUSTOMER': {
      await lockRow(tx, 'Customer', target.customerId!);
      const customer = await tx.customer.findUnique({ where: { id: target.customerId! }, select: { protected: true } });
      if (!customer) throw notFound('Customer');
      if (!targetAsExpected(target.kind, customer)) throw targetChanged(target.kind);
      return {};
    }
    case 'ENABLE_STAFF_VIEWS': {
      const rows = await tx.$queryRaw<{ staffViewsEnabled: boolean }[]>`
        SELECT "staffViewsEnabled" FROM "SalonSettings" WHERE id = ${SETTINGS_ID} FOR UPDATE`;
      if (!targetAsExpected(target.kind, { staffViewsEnabled: rows[0]?.staffViewsEnabled ?? true })) {
        throw targetChanged(target.kind);
      }
      return {};
    }
    case 'PROMOTE_TO_MANAGER':
    case 'REACTIVATE_MANAGER': {
      await lockRow(tx, 'Staff', target.targetStaffId!);
      const staff = await tx.staff.findUnique({
        where: { id: target.targetStaffId! },
        select: { id: true, role: true, active: true },
      });
      if (!staff) throw notFound('Staff member');
      if (!targetAsExpected(target.kind, { staff })) throw targetChanged(target.kind);
      return { staff };
    }
  }
}

/** What the approval adds to the change's own record. */
export interface ApprovedChange {
  request: GovernanceRequest;
  target: LockedTarget;
  approverId: string;
  now: Date;
  /** The approver's request. */
  audit: Pick<AuditEntry, 'requestId' | 'ip' | 'userAgent'>;
  /** Who asked and who approved, by id and name (and whether the requester confirmed alone). */
  names: Record<string, unknown>;
}

/** Applies the change in the approving transaction, after lockTarget, with its record. */
export async function applyChange(tx: Prisma.TransactionClient, approved: ApprovedChange): Promise<void> {
  const { request, target, approverId, now, audit, names } = approved;
  const governance = { governanceRequestId: request.id, ...names };
  switch (request.kind) {
    case 'UNPROTECT_CUSTOMER':
      return saveProtection(tx, {
        customerId: request.customerId!,
        protected: false,
        now,
        staffId: approverId,
        audit: { ...audit, reason: request.reason, change: governance },
      });
    case 'ENABLE_STAFF_VIEWS':
      await saveStaffViewsSwitch(tx, {
        enabled: true,
        reason: request.reason,
        byStaffId: approverId,
        now,
        audit: { ...audit, seen: { change: { target: `SalonSettings:${SETTINGS_ID}`, after: governance } } },
      });
      return;
    case 'PROMOTE_TO_MANAGER':
    case 'REACTIVATE_MANAGER': {
      const staff = target.staff!;
      const data = request.kind === 'PROMOTE_TO_MANAGER' ? { role: 'MANAGER' as const } : { active: true };
      const before = request.kind === 'PROMOTE_TO_MANAGER' ? { role: staff.role } : { active: staff.active };
      await tx.staff.update({ where: { id: staff.id }, data });
      await recordAccessChange(tx, {
        action: AuditAction.STAFF_UPDATED,
        createdAt: now,
        staffId: approverId,
        reason: request.reason,
        change: { target: `Staff:${staff.id}`, before, after: { ...data, ...governance } },
        ...audit,
      });
    }
  }
}
