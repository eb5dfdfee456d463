// The error codes a client may see (extensions.code). Anything thrown that is not one of these
// GraphQLErrors is masked by Yoga as an internal error.
import { GraphQLError } from 'graphql';

/** The stable codes of `extensions.code`. */
export enum ErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  BadUserInput = 'BAD_USER_INPUT',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  AuditUnavailable = 'AUDIT_UNAVAILABLE',
  /** The operation asks for too much (depth, cost, aliases, directives, tokens); `extensions.reason` says which. */
  QueryTooComplex = 'QUERY_TOO_COMPLEX',
  /** Too many attempts; `extensions.retryAfter` says in how many seconds to try again. */
  RateLimited = 'RATE_LIMITED',
  /** The database could not be reached: nothing was served; retrying later may succeed (HTTP 503). */
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  /** A manager turned staff views off salon-wide; no session starts until one turns them back on. */
  ImpersonationDisabled = 'IMPERSONATION_DISABLED',
  /**
   * A privileged action (schema/privileged.ts) needs the manager's password again (`stepUp`): the
   * sign-in or its last step-up is older than `extensions.stepUpMinutes`, or the password was wrong.
   */
  StepUpRequired = 'STEP_UP_REQUIRED',
  /** A request body or WebSocket message over MAX_REQUEST_BODY_BYTES (HTTP 413; WebSocket close 1009). */
  RequestEntityTooLarge = 'REQUEST_ENTITY_TOO_LARGE',
  /** Too many WebSockets for one sign-in or one client address (close 4429 with this reason). */
  TooManyConnections = 'TOO_MANY_CONNECTIONS',
  /** Too many operations running on one WebSocket at once. */
  TooManySubscriptions = 'TOO_MANY_SUBSCRIPTIONS',
}

/** Machine-readable refinements carried in extensions.reason. */
export enum ErrorReason {
  ImpersonationReadOnly = 'IMPERSONATION_READ_ONLY',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  AccountDisabled = 'ACCOUNT_DISABLED',
  SessionEnded = 'SESSION_ENDED',
  /** Four-eyes: the second approval must come from another manager than the requester. */
  OwnAccessRequest = 'OWN_ACCESS_REQUEST',
  /** The access request was already answered, used, or has expired. */
  AccessRequestClosed = 'ACCESS_REQUEST_CLOSED',
  /**
   * The customer stopped this staff member's view or declined their request: no start or request
   * by them until `extensions.until` unless she allows it again (`extensions.customerWords`: her words).
   */
  StaffViewBlocked = 'STAFF_VIEW_BLOCKED',
  /** The change weakens a safeguard: request it (requestGovernanceChange) for a second manager to approve. */
  SecondManagerRequired = 'SECOND_MANAGER_REQUIRED',
  /** A governance request is approved (or declined) by another manager than its requester. */
  OwnGovernanceRequest = 'OWN_GOVERNANCE_REQUEST',
  /** Nobody approves a governance change about themselves. */
  GovernanceChangeAboutSelf = 'GOVERNANCE_CHANGE_ABOUT_SELF',
  /** The governance request was already approved, declined, cancelled, or has expired. */
  GovernanceRequestClosed = 'GOVERNANCE_REQUEST_CLOSED',
  /** A request for the same change is already waiting (`extensions.requestId`). */
  GovernanceRequestOpen = 'GOVERNANCE_REQUEST_OPEN',
  /** The change's target is no longer in the state the change starts from (already unprotected, say). */
  GovernanceTargetChanged = 'GOVERNANCE_TARGET_CHANGED',
  /** One manager alone: the requester may confirm only after `extensions.coolingOffUntil`. */
  GovernanceCoolingOff = 'GOVERNANCE_COOLING_OFF',
  /**
   * The requester removed a manager (deactivated or demoted one) within GOVERNANCE_LONE_LOOKBACK_DAYS
   * before the request, or since: they are alone because of it, so they may not confirm alone.
   */
  GovernanceAloneByRemoval = 'GOVERNANCE_ALONE_BY_REMOVAL',
  /** The manager has a pending, declined or stopped staff view of this customer: not their call. */
  CustomerConflict = 'CUSTOMER_CONFLICT',
  /** The customer's permission or protection changed while the start was being decided: start again. */
  AccessChanged = 'ACCESS_CHANGED',
  /** Only the customer herself, signed in as herself, may do this: never a staff view of her account. */
  CustomerOnly = 'CUSTOMER_ONLY',
  /**
   * (FORBIDDEN) The field belongs to a portal section outside this staff view's scope
   * (`extensions.section`): a view that needs it is a new start that names it.
   */
  OutsideScope = 'OUTSIDE_SCOPE',
  /**
   * (FORBIDDEN) An access review took away this manager's right to view customers (removed by a
   * reviewer, or unanswered by its deadline): no start until another manager confirms it.
   */
  AccessReviewSuspended = 'ACCESS_REVIEW_SUSPENDED',
  /** (FORBIDDEN) Nobody reviews their own right to view customers: another manager decides. */
  AccessReviewOfSelf = 'ACCESS_REVIEW_OF_SELF',
  /** (CONFLICT) The item belongs to an older access review: decide the current review's item. */
  AccessReviewClosed = 'ACCESS_REVIEW_CLOSED',
  /**
   * (FORBIDDEN) Emergency access is refused: the customer stopped a staff view or declined a request
   * (of anyone) within STAFF_VIEW_BLOCK_HOURS (`extensions.cause`, `extensions.at`).
   */
  BreakGlassBlocked = 'BREAK_GLASS_BLOCKED',
  /** (CONFLICT) The customer's settings allow an ordinary start: emergency access is not needed. */
  BreakGlassNotNeeded = 'BREAK_GLASS_NOT_NEEDED',
  /** (FORBIDDEN) A different manager reviews an emergency access than the one who used it. */
  OwnBreakGlass = 'OWN_BREAK_GLASS',
  /** (CONFLICT) The emergency access was reviewed already. */
  BreakGlassReviewed = 'BREAK_GLASS_REVIEWED',
}

/** An error the client may see, with its code and extra extensions. */
export function appError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** NOT_FOUND for a thing named `what`. */
export const notFound = (what: string) => appError(ErrorCode.NotFound, `${what} not found`);
/** BAD_USER_INPUT. */
export const badInput = (message: string, extensions: Record<string, unknown> = {}) =>
  appError(ErrorCode.BadUserInput, message, extensions);
/** CONFLICT: the request clashes with the current state. */
export const conflict = (message: string, extensions: Record<string, unknown> = {}) =>
  appError(ErrorCode.Conflict, message, extensions);
/** FORBIDDEN: signed in, but not allowed. */
export const forbidden = (message: string, extensions: Record<string, unknown> = {}) =>
  appError(ErrorCode.Forbidden, message, extensions);
/**
 * SERVICE_UNAVAILABLE (HTTP 503): a dependency failed before anything was decided. The cause is
 * logged, never sent: driver messages quote source lines, hosts and ports.
 */
export const serviceUnavailable = () =>
  appError(ErrorCode.ServiceUnavailable, 'The service is unavailable; try again shortly', { http: { status: 503 } });
/** UNAUTHENTICATED: no valid sign-in. */
export const unauthenticated = (message = 'Sign in first', extensions: Record<string, unknown> = {}) =>
  appError(ErrorCode.Unauthenticated, message, extensions);
