// The rules of consent and four-eyes (SPEC 7), once: how long a request waits (the setting
// ACCESS_REQUEST_MINUTES), what a grant may last (the customer's choice), the state of a request
// at `now`, what a start needs before it may go ahead, and who may answer. Pure functions of (now,
// request, grant, people, settings); requests.ts, consent.ts and four-eyes.ts ask here. So do the
// customer's blocks (STAFF_VIEW_BLOCK_HOURS): after her Stop or her "no", that staff member neither
// starts nor asks again until the block ends or she lifts it (blocks.ts writes them).
import type {
  AccessGrant,
  AccessRequest,
  Customer,
  ImpersonationSession,
  Prisma,
  Staff,
  StaffViewBlock,
} from '@prisma/client';
import { PortalSection } from '@prisma/client';
import { PAGE_OF_SECTION } from '../audit/pages.ts';
import type { Config } from '../config.ts';
import { ErrorReason, badInput, conflict, forbidden } from '../errors.ts';
import { mayImpersonate } from '../impersonation/policy.ts';
import { SECTIONS, ScopeRefusal, isWholePortal, isWithin, type Scope } from '../impersonation/scope.ts';

const MINUTE = 60_000;

/** The periods a customer may grant staff access for. */
export const GRANT_DURATIONS = {
  ONE_HOUR: 60 * MINUTE,
  ONE_DAY: 24 * 60 * MINUTE,
  SEVEN_DAYS: 7 * 24 * 60 * MINUTE,
} as const;

/** One of the grant periods. */
export type GrantDuration = keyof typeof GRANT_DURATIONS;

/** The period in words, for the customer and the audit record. */
export const GRANT_DURATION_WORDS: Record<GrantDuration, string> = {
  ONE_HOUR: '1 hour',
  ONE_DAY: '1 day',
  SEVEN_DAYS: '7 days',
};

/** A request's state: waiting, approved (the requester may start), or closed (declined, expired, used). */
export type AccessRequestState = 'PENDING' | 'APPROVED' | 'DECLINED' | 'EXPIRED' | 'USED';

type RequestAnswers = Pick<
  AccessRequest,
  | 'needsCustomer'
  | 'needsManager'
  | 'customerApprovedAt'
  | 'managerApprovedAt'
  | 'declinedAt'
  | 'expiresAt'
  | 'sessionId'
>;

/** The state at `now`: used, else declined, else expired once past `expiresAt`, else approved or pending. */
export function accessRequestState(request: RequestAnswers, now: Date): AccessRequestState {
  if (request.sessionId) return 'USED';
  if (request.declinedAt) return 'DECLINED';
  if (request.expiresAt <= now) return 'EXPIRED';
  const customerDone = !request.needsCustomer || request.customerApprovedAt !== null;
  const managerDone = !request.needsManager || request.managerApprovedAt !== null;
  return customerDone && managerDone ? 'APPROVED' : 'PENDING';
}

/** Whether the request waits for the customer's answer now. */
export function awaitsCustomer(request: RequestAnswers, now: Date): boolean {
  return accessRequestState(request, now) === 'PENDING' && request.needsCustomer && !request.customerApprovedAt;
}

/** Whether the request waits for a second manager's answer now. */
export function awaitsManager(request: RequestAnswers, now: Date): boolean {
  return accessRequestState(request, now) === 'PENDING' && request.needsManager && !request.managerApprovedAt;
}

/** A new request's expiry: long enough for the customer to answer by email (a day by default). */
export function requestExpiry(now: Date, config: Pick<Config, 'ACCESS_REQUEST_MINUTES'>): Date {
  return new Date(now.getTime() + config.ACCESS_REQUEST_MINUTES * MINUTE);
}

/** Once the last approval is given, the requester has this long to start (never more than the wait). */
export const APPROVED_START_MINUTES = 15;

/** An approved request's new expiry: an approval is for a start now, not a day later. */
export function approvedStartExpiry(now: Date, config: Pick<Config, 'ACCESS_REQUEST_MINUTES'>): Date {
  return new Date(now.getTime() + Math.min(config.ACCESS_REQUEST_MINUTES, APPROVED_START_MINUTES) * MINUTE);
}

/** Requests neither answered with a no, nor used, nor past their expiry (pending or approved). */
export function openRequestWhere(now: Date): Prisma.AccessRequestWhereInput {
  return { declinedAt: null, sessionId: null, expiresAt: { gt: now } };
}

/** Requests past their expiry, unanswered or approved and unused, whose expiry is not yet recorded. */
export function dueRequestWhere(now: Date): Prisma.AccessRequestWhereInput {
  return { expiredAt: null, declinedAt: null, sessionId: null, expiresAt: { lte: now } };
}

/** Open requests that wait for a second manager (the managers' approvals list). */
export function awaitingManagerWhere(now: Date): Prisma.AccessRequestWhereInput {
  return { ...openRequestWhere(now), needsManager: true, managerApprovedAt: null };
}

/** Open requests that wait for the customer (the customer's notice). */
export function awaitingCustomerWhere(now: Date): Prisma.AccessRequestWhereInput {
  return { ...openRequestWhere(now), needsCustomer: true, customerApprovedAt: null };
}

/** Whether a grant allows staff views at `now`: given, not revoked, not past its end. */
export function isGrantLive(grant: Pick<AccessGrant, 'createdAt' | 'expiresAt' | 'revokedAt'>, now: Date): boolean {
  return grant.revokedAt === null && grant.createdAt <= now && now < grant.expiresAt;
}

/** `isGrantLive` as a database filter. */
export function liveGrantWhere(now: Date): Prisma.AccessGrantWhereInput {
  return { revokedAt: null, createdAt: { lte: now }, expiresAt: { gt: now } };
}

/**
 * Live grants that let a start of `scope` through (SPEC 10, scoped consent): a whole-portal grant, or
 * one that names every section of it. A start outside every grant is a new request.
 */
export function coveringGrantWhere(now: Date, scope: Scope): Prisma.AccessGrantWhereInput {
  const whole: Prisma.AccessGrantWhereInput = { scope: { has: PortalSection.WHOLE_PORTAL } };
  return {
    ...liveGrantWhere(now),
    OR: isWholePortal(scope) ? [whole] : [whole, { scope: { hasEvery: [...scope] } }],
  };
}

/**
 * The sections a customer allows: those she names (in the portal's order), or WHOLE_PORTAL alone;
 * none named is what she was asked (`asked`), or the whole account for a grant asked by nobody.
 */
export function grantScope(sections: readonly PortalSection[] | null | undefined, asked?: Scope): PortalSection[] {
  if (!sections) return asked ? [...asked] : [PortalSection.WHOLE_PORTAL];
  if (sections.includes(PortalSection.WHOLE_PORTAL)) {
    if (sections.some((section) => section !== PortalSection.WHOLE_PORTAL)) {
      throw badInput('sections: WHOLE_PORTAL stands alone', { reason: ScopeRefusal.Invalid });
    }
    return [PortalSection.WHOLE_PORTAL];
  }
  const named = SECTIONS.filter((section) => sections.includes(section));
  if (named.length === 0) throw badInput('sections: name at least one section', { reason: ScopeRefusal.Invalid });
  return named;
}

/**
 * The scope a request keeps once the customer allows `allowed`: all of it when her grant covers it,
 * else the part she allowed (a wider start is a new request). Nothing of it allowed is a "no", not a yes.
 */
export function approvedRequestScope(asked: Scope, allowed: Scope): PortalSection[] {
  if (isWithin(asked, allowed)) return [...asked];
  const kept = isWholePortal(asked) ? [...allowed] : asked.filter((section) => allowed.includes(section));
  if (kept.length === 0) {
    throw badInput('sections: allow at least one of the sections asked for, or decline the request', {
      reason: ScopeRefusal.Invalid,
    });
  }
  return kept;
}

/** A scope in the customer's words, as her portal names its pages: "Billing and My Pets", or "the account". */
export function scopeWords(scope: Scope): string {
  if (isWholePortal(scope)) return 'the account';
  const pages = SECTIONS.filter((section) => scope.includes(section)).map((section) => PAGE_OF_SECTION[section]);
  return pages.length > 1 ? `${pages.slice(0, -1).join(', ')} and ${pages.at(-1)}` : (pages[0] ?? 'nothing');
}

/** A grant's end: `duration` from `now`. */
export function grantExpiry(now: Date, duration: GrantDuration): Date {
  return new Date(now.getTime() + GRANT_DURATIONS[duration]);
}

/** What a start still needs: the customer's consent, a second manager's approval, both or neither. */
export interface StartGate {
  needsCustomer: boolean;
  needsManager: boolean;
}

/**
 * The gates of a start: an ask-first customer without a live grant needs their consent; a
 * protected customer needs a second manager's approval of this very request (staff, customer, reason).
 */
export function startGate(input: {
  customer: Pick<Customer, 'staffAccess' | 'protected'>;
  hasLiveGrant: boolean;
  hasManagerApproval: boolean;
}): StartGate {
  return {
    needsCustomer: input.customer.staffAccess === 'ASK_FIRST' && !input.hasLiveGrant,
    needsManager: input.customer.protected && !input.hasManagerApproval,
  };
}

/** Whether the gate lets the start through. */
export const gateOpen = (gate: StartGate) => !gate.needsCustomer && !gate.needsManager;

/** The customer may answer only their own request, and only while it waits for them. */
export function assertAwaitsCustomer(request: RequestAnswers, now: Date): void {
  if (!awaitsCustomer(request, now)) {
    throw conflict('This request is no longer waiting for your answer', {
      reason: ErrorReason.AccessRequestClosed,
      state: accessRequestState(request, now),
    });
  }
}

/** The second approval: an active manager other than the requester, while the request waits for one. */
export function assertMayAnswerAsManager(
  request: RequestAnswers & Pick<AccessRequest, 'staffId'>,
  manager: Pick<Staff, 'id' | 'active' | 'role'>,
  now: Date,
): void {
  if (!mayImpersonate(manager)) throw forbidden('Only active managers may answer a request');
  if (request.staffId === manager.id) {
    throw forbidden('A second, different manager must answer your own request', {
      reason: ErrorReason.OwnAccessRequest,
    });
  }
  if (!awaitsManager(request, now)) {
    throw conflict('This request is no longer waiting for a manager', {
      reason: ErrorReason.AccessRequestClosed,
      state: accessRequestState(request, now),
    });
  }
}

/** The recorded reason when the customer stops a view without saying why. */
export const CUSTOMER_STOP_REASON = 'Stopped by the customer';

/** What the customer wrote when she stopped this view, or null (not stopped by her, or no words). */
export function customerWordsOf(session: Pick<ImpersonationSession, 'endState' | 'endReason'>): string | null {
  return session.endState === 'STOPPED_BY_CUSTOMER' && session.endReason !== CUSTOMER_STOP_REASON
    ? session.endReason
    : null;
}

const HOUR = 60 * MINUTE;

/** A new block's end: STAFF_VIEW_BLOCK_HOURS from `now`. */
export function blockUntil(now: Date, config: Pick<Config, 'STAFF_VIEW_BLOCK_HOURS'>): Date {
  return new Date(now.getTime() + config.STAFF_VIEW_BLOCK_HOURS * HOUR);
}

/** Whether a block holds at `now`: not lifted by the customer, not past its end. */
export function isBlockLive(block: Pick<StaffViewBlock, 'until' | 'liftedAt'>, now: Date): boolean {
  return block.liftedAt === null && now < block.until;
}

/** `isBlockLive` as a database filter. */
export function liveBlockWhere(now: Date): Prisma.StaffViewBlockWhereInput {
  return { liftedAt: null, until: { gt: now } };
}

/**
 * The refusal of a start, a request or an approval for a staff member the customer blocked: when
 * and why (her Stop, with her words, or her "no") and until when, for the manager's dialog.
 */
export function staffViewBlocked(
  block: Pick<StaffViewBlock, 'cause' | 'createdAt' | 'until'>,
  customerWords: string | null,
) {
  const what = block.cause === 'STOPPED' ? 'stopped your last staff view' : 'declined your request';
  return forbidden(
    `The customer ${what}: you cannot view their account again until ${block.until.toISOString()}, unless they allow it`,
    {
      reason: ErrorReason.StaffViewBlocked,
      cause: block.cause,
      blockedAt: block.createdAt.toISOString(),
      until: block.until.toISOString(),
      customerWords,
    },
  );
}
