// The impersonation rules of SPEC 3 as pure functions of (now, session, actor, limits): who may
// start, when a session may be extended and by how much, what state it is in.
import type { Customer, ImpersonationSession, Staff } from '@prisma/client';
import type { ImpersonationLimits } from '../config.ts';
import { badInput, conflict, forbidden } from '../errors.ts';

export const REASON_MIN = 10;
export const REASON_MAX = 500;
/** A terminating manager's reason, shown to the staff member thrown out. */
export const TERMINATE_REASON_MIN = 3;

export type SessionState = 'ACTIVE' | 'ENDED' | 'EXPIRED' | 'TERMINATED' | 'REVOKED';

export function canImpersonate(staff: Pick<Staff, 'active' | 'role'>): boolean {
  return staff.active && staff.role === 'MANAGER';
}

export function assertValidReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < REASON_MIN || trimmed.length > REASON_MAX) {
    throw badInput(`reason: ${REASON_MIN} to ${REASON_MAX} characters`);
  }
  return trimmed;
}

/** Everything that must hold before a session starts; the one-per-staff rule is also a unique index. */
export function assertCanStart(input: {
  actor: Pick<Staff, 'active' | 'role'>;
  customer: Pick<Customer, 'status'> | null;
  activeSession: Pick<ImpersonationSession, 'id'> | null;
}): void {
  if (!canImpersonate(input.actor)) throw forbidden('Only active managers may view as a customer');
  if (!input.customer) throw badInput('customerId: no such customer', { reason: 'NOT_A_CUSTOMER' });
  if (input.customer.status !== 'ACTIVE')
    throw forbidden('A disabled customer cannot be viewed', { reason: 'CUSTOMER_DISABLED' });
  if (input.activeSession) {
    throw conflict('You already have an active impersonation session', { activeSessionId: input.activeSession.id });
  }
}

type Timing = Pick<ImpersonationSession, 'startedAt' | 'expiresAt' | 'extendedAt' | 'endedAt' | 'endState'>;

export function sessionState(session: Timing, now: Date): SessionState {
  if (session.endState) return session.endState;
  return session.expiresAt <= now ? 'EXPIRED' : 'ACTIVE';
}

export function remainingSeconds(session: Timing, now: Date): number {
  if (sessionState(session, now) !== 'ACTIVE') return 0;
  return Math.max(0, Math.ceil((session.expiresAt.getTime() - now.getTime()) / 1000));
}

export interface ExtensionDecision {
  allowed: boolean;
  /** Why not, in words a staff member reads. */
  refusal: string | null;
  /** When the extension window opens (null once extended or ended). */
  availableAt: Date | null;
  newExpiresAt: Date | null;
}

/** One extension, only in the last minutes, never past the total cap. */
export function extensionDecision(session: Timing, now: Date, limits: ImpersonationLimits): ExtensionDecision {
  const availableAt = new Date(session.expiresAt.getTime() - limits.extensionWindowMs);
  const cap = session.startedAt.getTime() + limits.maxTotalMs;
  const newExpiresAt = new Date(Math.min(session.expiresAt.getTime() + limits.extensionMs, cap));
  const refuse = (refusal: string, at: Date | null = null): ExtensionDecision => ({
    allowed: false,
    refusal,
    availableAt: at,
    newExpiresAt: null,
  });
  if (sessionState(session, now) !== 'ACTIVE') return refuse('The session has ended');
  if (session.extendedAt) return refuse('The session was already extended once');
  if (newExpiresAt <= session.expiresAt) return refuse('The session is at its maximum length');
  if (now < availableAt) return refuse('Extension is possible only in the last minutes', availableAt);
  return { allowed: true, refusal: null, availableAt, newExpiresAt };
}
