// The rules of governance changes (SPEC 9), once: a change that weakens a safeguard (unprotect a
// customer, staff views back on, promote to manager, reactivate a manager) waits for a second,
// different manager; how long it waits; what it changes from; who may decide it; and how a salon
// with one manager confirms it alone after a cooling-off period. Pure functions of (now, request,
// people, settings); governance.ts asks here.
import type { GovernanceChangeKind, GovernanceRequest, Prisma, Staff } from '@prisma/client';
import type { Config } from '../config.ts';
import { ErrorReason, badInput, conflict, forbidden } from '../errors.ts';
import { mayImpersonate, reasonSchema } from '../impersonation/policy.ts';

const HOUR = 60 * 60_000;

/** A declined request's note to its requester: at least this many letters or digits. */
export const DECLINE_NOTE_MIN = 3;
/** The decline note: 3 to 500 visible characters, read by managers and the audit only. */
export const declineNote = reasonSchema(DECLINE_NOTE_MIN);

/** A request's state at `now`. */
export type GovernanceState = 'PENDING' | 'APPROVED' | 'DECLINED' | 'CANCELLED' | 'EXPIRED';

type Decisions = Pick<GovernanceRequest, 'approvedAt' | 'declinedAt' | 'cancelledAt' | 'expiredAt' | 'expiresAt'>;

/** Approved, declined or cancelled as recorded; else expired once past `expiresAt`; else pending. */
export function governanceState(request: Decisions, now: Date): GovernanceState {
  if (request.approvedAt) return 'APPROVED';
  if (request.declinedAt) return 'DECLINED';
  if (request.cancelledAt) return 'CANCELLED';
  if (request.expiredAt || request.expiresAt <= now) return 'EXPIRED';
  return 'PENDING';
}

const undecided = { approvedAt: null, declinedAt: null, cancelledAt: null, expiredAt: null } as const;

/** Requests still waiting at `now`. */
export const pendingGovernanceWhere = (now: Date): Prisma.GovernanceRequestWhereInput => ({
  ...undecided,
  expiresAt: { gt: now },
});

/** Requests past their expiry whose expiry is not yet recorded (the sweeper). */
export const dueGovernanceWhere = (now: Date): Prisma.GovernanceRequestWhereInput => ({
  ...undecided,
  expiresAt: { lte: now },
});

/**
 * A new request's times. With another active manager it waits GOVERNANCE_REQUEST_HOURS for them;
 * with none, its requester may confirm it alone once GOVERNANCE_COOLING_OFF_HOURS have passed, and
 * has GOVERNANCE_REQUEST_HOURS after that to do so.
 */
export function governanceTimes(
  now: Date,
  config: Pick<Config, 'GOVERNANCE_REQUEST_HOURS' | 'GOVERNANCE_COOLING_OFF_HOURS'>,
  otherActiveManagers: number,
): { expiresAt: Date; coolingOffUntil: Date | null } {
  const wait = config.GOVERNANCE_REQUEST_HOURS * HOUR;
  if (otherActiveManagers > 0) return { expiresAt: new Date(now.getTime() + wait), coolingOffUntil: null };
  const coolingOffUntil = new Date(now.getTime() + config.GOVERNANCE_COOLING_OFF_HOURS * HOUR);
  return { expiresAt: new Date(coolingOffUntil.getTime() + wait), coolingOffUntil };
}

/**
 * Since when a declined request or a stopped view of a customer keeps a manager from her
 * protection: the block period (STAFF_VIEW_BLOCK_HOURS), whether or not she lifted the block.
 */
export const conflictSince = (now: Date, config: Pick<Config, 'STAFF_VIEW_BLOCK_HOURS'>) =>
  new Date(now.getTime() - config.STAFF_VIEW_BLOCK_HOURS * HOUR);

/** What a change is about: a customer, a staff member, or the salon (the kill switch). */
export type GovernanceTarget =
  | { kind: 'UNPROTECT_CUSTOMER'; customerId: string }
  | { kind: 'ENABLE_STAFF_VIEWS' }
  | { kind: 'PROMOTE_TO_MANAGER' | 'REACTIVATE_MANAGER'; staffId: string };

/** The target of a requested change: BAD_USER_INPUT when the kind's id is missing or another is given. */
export function governanceTarget(input: {
  kind: GovernanceChangeKind;
  customerId?: string | null;
  staffId?: string | null;
}): GovernanceTarget {
  const { kind, customerId, staffId } = input;
  if (kind === 'UNPROTECT_CUSTOMER') {
    if (!customerId || staffId) throw badInput('UNPROTECT_CUSTOMER names a customerId (and no staffId)');
    return { kind, customerId };
  }
  if (kind === 'ENABLE_STAFF_VIEWS') {
    if (customerId || staffId) throw badInput('ENABLE_STAFF_VIEWS names neither a customer nor a staff member');
    return { kind };
  }
  if (!staffId || customerId) throw badInput(`${kind} names a staffId (and no customerId)`);
  return { kind, staffId };
}

/** What each change needs its target to be before it applies, in words for the refusal. */
const EXPECTED: Record<GovernanceChangeKind, string> = {
  UNPROTECT_CUSTOMER: 'The customer is not protected',
  ENABLE_STAFF_VIEWS: 'Staff views are already on',
  PROMOTE_TO_MANAGER: 'This staff member is already a manager',
  REACTIVATE_MANAGER: 'This staff member is not an inactive manager',
};

/** Whether the target is in the state the change starts from (protected, switched off, ...). */
export function targetAsExpected(
  kind: GovernanceChangeKind,
  target: { protected?: boolean; staffViewsEnabled?: boolean; staff?: Pick<Staff, 'role' | 'active'> },
): boolean {
  switch (kind) {
    case 'UNPROTECT_CUSTOMER':
      return target.protected === true;
    case 'ENABLE_STAFF_VIEWS':
      return target.staffViewsEnabled === false;
    case 'PROMOTE_TO_MANAGER':
      return !!target.staff && target.staff.role !== 'MANAGER';
    case 'REACTIVATE_MANAGER':
      return !!target.staff && target.staff.role === 'MANAGER' && !target.staff.active;
  }
}

/** CONFLICT GOVERNANCE_TARGET_CHANGED: the target is not (or no longer) what the change starts from. */
export const targetChanged = (kind: GovernanceChangeKind) =>
  conflict(EXPECTED[kind], { reason: ErrorReason.GovernanceTargetChanged, kind });

/** What a manager reads when they try a weakening change alone. */
const ALONE: Record<GovernanceChangeKind, string> = {
  UNPROTECT_CUSTOMER: 'Removing a customer’s protection',
  ENABLE_STAFF_VIEWS: 'Turning staff views back on',
  PROMOTE_TO_MANAGER: 'Making someone a manager',
  REACTIVATE_MANAGER: 'Reactivating a manager',
};

/** FORBIDDEN SECOND_MANAGER_REQUIRED: the refusal of a weakening change made directly. */
export const secondManagerRequired = (kind: GovernanceChangeKind) =>
  forbidden(
    `${ALONE[kind]} needs a second manager: request the change, with a reason, for another manager to approve`,
    {
      reason: ErrorReason.SecondManagerRequired,
      kind,
    },
  );

/**
 * The rule of the direct staff mutations, on the row as their transaction holds it (staff-changes.ts):
 * making someone a manager, or reactivating a manager, is a governance change (FORBIDDEN
 * SECOND_MANAGER_REQUIRED); the other direction (demote, deactivate) and changes of other staff go ahead.
 */
export function refuseWeakeningStaffChange(
  staff: Pick<Staff, 'role' | 'active'>,
  change: { role: Staff['role'] } | { active: boolean },
): void {
  if ('role' in change && change.role === 'MANAGER' && staff.role !== 'MANAGER') {
    throw secondManagerRequired('PROMOTE_TO_MANAGER');
  }
  if ('active' in change && change.active && !staff.active && staff.role === 'MANAGER') {
    throw secondManagerRequired('REACTIVATE_MANAGER');
  }
}

type Manager = Pick<Staff, 'id' | 'active' | 'role'>;
type Decided = Decisions & Pick<GovernanceRequest, 'requestedByStaffId' | 'targetStaffId' | 'coolingOffUntil'>;

function assertPending(request: Decided, now: Date): void {
  const state = governanceState(request, now);
  if (state !== 'PENDING') {
    throw conflict('This request is no longer waiting for a decision', {
      reason: ErrorReason.GovernanceRequestClosed,
      state,
    });
  }
}

/**
 * Who may approve: an active manager, neither the requester nor the change's target, while the
 * request waits. The requester alone only when no other manager is active and the cooling-off
 * period has passed. Returns whether it is that lone confirmation.
 */
export function assertMayApprove(
  request: Decided,
  manager: Manager,
  now: Date,
  otherActiveManagers: number,
): { alone: boolean } {
  if (!mayImpersonate(manager)) throw forbidden('Only active managers may approve a change');
  if (request.targetStaffId === manager.id) {
    throw forbidden('Nobody approves a change about themselves', { reason: ErrorReason.GovernanceChangeAboutSelf });
  }
  assertPending(request, now);
  if (request.requestedByStaffId !== manager.id) return { alone: false };
  if (!request.coolingOffUntil || otherActiveManagers > 0) {
    throw forbidden('A second, different manager must approve your own request', {
      reason: ErrorReason.OwnGovernanceRequest,
    });
  }
  if (now < request.coolingOffUntil) {
    throw forbidden('You are the only manager: you may confirm this change once its cooling-off period has passed', {
      reason: ErrorReason.GovernanceCoolingOff,
      coolingOffUntil: request.coolingOffUntil.toISOString(),
    });
  }
  return { alone: true };
}

/** Who may decline: an active manager other than the requester (who cancels instead), while it waits. */
export function assertMayDecline(request: Decided, manager: Manager, now: Date): void {
  if (!mayImpersonate(manager)) throw forbidden('Only active managers may decline a change');
  if (request.requestedByStaffId === manager.id) {
    throw forbidden('Cancel your own request instead of declining it', { reason: ErrorReason.OwnGovernanceRequest });
  }
  assertPending(request, now);
}

/** Only the requester withdraws a request, while it waits. */
export function assertMayCancel(request: Decided, manager: Pick<Staff, 'id'>, now: Date): void {
  if (request.requestedByStaffId !== manager.id) throw forbidden('Only the manager who asked may cancel a request');
  assertPending(request, now);
}
