// Every impersonation rule of SPEC 3, once: who may impersonate, the reason's bounds, how long a
// session lasts and when it may be extended, and whether a session is still live. Pure functions
// of (now, session, people, limits); the lifecycle, identity, schema and live streams all ask here.
import type { Customer, ImpersonationEndState, ImpersonationSession, Prisma, Staff } from '@prisma/client';
import { z } from 'zod';
import { hasEnoughLetters } from '../../shared/reason-rule.ts';
import { badInput, conflict, forbidden } from '../errors.ts';

/** Bounds of the reason a manager gives to start a session (shown to the customer). */
export const REASON_MIN = 10;
/** Upper bound of every impersonation reason (start and termination). */
export const REASON_MAX = 500;
/** A terminating manager's reason, shown to the staff member who is thrown out. */
export const TERMINATE_REASON_MIN = 3;
/** The end reason recorded when a session runs out of time. */
export const EXPIRY_REASON = 'Time limit reached';

/**
 * A trimmed free-text reason with at least `min` letters or digits (shared/reason-rule.ts: what
 * counts, the same rule as the client's forms) and at most REASON_MAX characters in all.
 */
export function reasonSchema(min: number) {
  return z
    .string()
    .trim()
    .max(REASON_MAX, `at most ${REASON_MAX} characters`)
    .refine((value) => hasEnoughLetters(value, min), `at least ${min} letters or digits`);
}

/** The reason to start a session. */
export const startReason = reasonSchema(REASON_MIN);
/** The reason to terminate another staff member's session. */
export const terminationReason = reasonSchema(TERMINATE_REASON_MIN);

/** How long sessions last; built from configuration (`IMPERSONATION_*_MINUTES`), never literals. */
export interface ImpersonationLimits {
  /** Length of a new session. */
  durationMs: number;
  /** What the one extension adds. */
  extensionMs: number;
  /** The extension is allowed only this close to the expiry. */
  extensionWindowMs: number;
  /** No session lasts longer than this, extension included. */
  maxTotalMs: number;
}

/** The limits from their configuration entries, in minutes. */
export function impersonationLimits(minutes: {
  IMPERSONATION_DURATION_MINUTES: number;
  IMPERSONATION_EXTENSION_MINUTES: number;
  IMPERSONATION_EXTENSION_WINDOW_MINUTES: number;
  IMPERSONATION_MAX_TOTAL_MINUTES: number;
}): ImpersonationLimits {
  const ms = 60_000;
  return {
    durationMs: minutes.IMPERSONATION_DURATION_MINUTES * ms,
    extensionMs: minutes.IMPERSONATION_EXTENSION_MINUTES * ms,
    extensionWindowMs: minutes.IMPERSONATION_EXTENSION_WINDOW_MINUTES * ms,
    maxTotalMs: minutes.IMPERSONATION_MAX_TOTAL_MINUTES * ms,
  };
}

/** The states a session is in; all but ACTIVE are ends. */
export type SessionState = 'ACTIVE' | ImpersonationEndState;

/** Who may view the portal as a customer: an active manager. */
export function mayImpersonate(staff: Pick<Staff, 'active' | 'role'>): boolean {
  return staff.active && staff.role === 'MANAGER';
}

/** Who may be viewed: an active customer. */
export function mayBeImpersonated(customer: Pick<Customer, 'status'>): boolean {
  return customer.status === 'ACTIVE';
}

/** Checks a start reason; returns it trimmed. */
export function assertValidReason(reason: string): string {
  const parsed = startReason.safeParse(reason);
  if (!parsed.success) throw badInput(`reason: ${REASON_MIN} to ${REASON_MAX} characters`);
  return parsed.data;
}

/** Everything that must hold before a session starts; the one-per-staff rule is also a unique index. */
export function assertCanStart(input: {
  actor: Pick<Staff, 'active' | 'role'>;
  customer: Pick<Customer, 'status'> | null;
  activeSession: Pick<ImpersonationSession, 'id'> | null;
}): void {
  if (!mayImpersonate(input.actor)) throw forbidden('Only active managers may view as a customer');
  if (!input.customer) throw badInput('customerId: no such customer', { reason: 'NOT_A_CUSTOMER' });
  if (!mayBeImpersonated(input.customer)) {
    throw forbidden('A disabled customer cannot be viewed', { reason: 'CUSTOMER_DISABLED' });
  }
  if (input.activeSession) {
    throw conflict('You already have an active impersonation session', { activeSessionId: input.activeSession.id });
  }
}

type Timing = Pick<ImpersonationSession, 'startedAt' | 'expiresAt' | 'extendedAt' | 'endedAt' | 'endState'>;
/** A session as extension decides on it: break-glass views (an emergency category) are never extended. */
type ExtensionTiming = Timing & Partial<Pick<ImpersonationSession, 'emergencyCategory'>>;

/** The state at `now`: its recorded end, else EXPIRED once past its expiry, else ACTIVE. */
export function sessionState(session: Timing, now: Date): SessionState {
  if (session.endState) return session.endState;
  return session.expiresAt <= now ? 'EXPIRED' : 'ACTIVE';
}

/**
 * Whether a session still grants access: not ended, not past its expiry, its staff member still
 * allowed to impersonate and its customer still allowed to be viewed. The one live check; the
 * audit append repeats it in SQL for staff views' queries (`append_audit_event`, migration 0010):
 * a change here needs a migration there.
 */
export function isLive(
  session: Timing,
  now: Date,
  people?: { actor: Pick<Staff, 'active' | 'role'>; subject: Pick<Customer, 'status'> },
): boolean {
  if (sessionState(session, now) !== 'ACTIVE') return false;
  return !people || (mayImpersonate(people.actor) && mayBeImpersonated(people.subject));
}

/** `isLive` as a database filter on the session's own columns (for lists and sweeps). */
export function liveSessionWhere(now: Date): Prisma.ImpersonationSessionWhereInput {
  return { ...unendedSessionWhere, expiresAt: { gt: now } };
}

/** Sessions whose end is not yet recorded (live, or expired and not yet swept): the ones an end may close. */
export const unendedSessionWhere = { endedAt: null } as const satisfies Prisma.ImpersonationSessionWhereInput;

/** Sessions whose time ran out but whose end is not yet recorded. */
export function dueSessionWhere(now: Date): Prisma.ImpersonationSessionWhereInput {
  return { ...unendedSessionWhere, expiresAt: { lte: now } };
}

/** Whole seconds left, rounded up; 0 once the session is not ACTIVE. */
export function remainingSeconds(session: Timing, now: Date): number {
  if (sessionState(session, now) !== 'ACTIVE') return 0;
  return Math.max(0, Math.ceil((session.expiresAt.getTime() - now.getTime()) / 1000));
}

/** Whether a session may be extended now, and to when. */
export interface ExtensionDecision {
  allowed: boolean;
  /** Why not, in words a staff member reads. */
  refusal: string | null;
  /** When the extension window opens (null once extended or ended). */
  availableAt: Date | null;
  newExpiresAt: Date | null;
}

/** One extension, only in the last minutes, never past the total cap. */
export function extensionDecision(session: ExtensionTiming, now: Date, limits: ImpersonationLimits): ExtensionDecision {
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
  if (session.emergencyCategory) return refuse('Emergency access cannot be extended');
  if (session.extendedAt) return refuse('The session was already extended once');
  if (newExpiresAt <= session.expiresAt) return refuse('The session is at its maximum length');
  if (now < availableAt) return refuse('Extension is possible only in the last minutes', availableAt);
  return { allowed: true, refusal: null, availableAt, newExpiresAt };
}

/** A new session's expiry, and its token's: the token lives as long as the session could (the cap). */
export function sessionTimes(now: Date, limits: ImpersonationLimits): { expiresAt: Date; tokenExpiresAt: Date } {
  return {
    expiresAt: new Date(now.getTime() + limits.durationMs),
    tokenExpiresAt: new Date(now.getTime() + limits.maxTotalMs),
  };
}
