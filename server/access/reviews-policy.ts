// The rules of periodic access reviews (issue 24, SPEC 12), once: when the next review is due, its
// deadline, who may decide an item (an active manager, never the one reviewed), what a removal
// needs (a note), what an unanswered item becomes at the deadline, and the start's refusal while a
// right is suspended. Pure functions of (now, review, people, settings); reviews.ts asks here.
import type { AccessReview, AccessReviewDecision, Staff } from '@prisma/client';
import type { Config } from '../config.ts';
import { ErrorReason, badInput, conflict, forbidden } from '../errors.ts';
import { mayImpersonate, reasonSchema } from '../impersonation/policy.ts';

const DAY = 24 * 60 * 60_000;

/** A removal's note: at least this many letters or digits (read by managers and the audit only). */
export const REMOVAL_NOTE_MIN = 3;
/** The note of a decision: 3 to 500 visible characters; required to remove. */
export const reviewNote = reasonSchema(REMOVAL_NOTE_MIN);

/** What a reviewer answers for one item. */
export type ReviewAnswer = 'CONFIRM' | 'REMOVE';

type Settings = Pick<Config, 'ACCESS_REVIEW_INTERVAL_DAYS' | 'ACCESS_REVIEW_DEADLINE_DAYS'>;

/**
 * When the next review opens: ACCESS_REVIEW_INTERVAL_DAYS after the last one opened, or, before
 * the first, after reviews began (SalonSettings.accessReviewsSince: the upgrade, or a new salon's
 * first start), so nobody is reviewed, or suspended, for a period they were never told of.
 */
export function nextReviewDue(last: Pick<AccessReview, 'openedAt'> | null, since: Date, settings: Settings): Date {
  const from = last?.openedAt ?? since;
  return new Date(from.getTime() + settings.ACCESS_REVIEW_INTERVAL_DAYS * DAY);
}

/** A review opened at `openedAt` is answered by then. */
export const reviewDeadline = (openedAt: Date, settings: Settings) =>
  new Date(openedAt.getTime() + settings.ACCESS_REVIEW_DEADLINE_DAYS * DAY);

/** Whether the review's deadline has passed at `now`. */
export const deadlinePassed = (review: Pick<AccessReview, 'deadlineAt'>, now: Date) => review.deadlineAt <= now;

/** Decisions that take the right to view away until a reviewer confirms it. */
export const SUSPENDING: ReadonlySet<AccessReviewDecision> = new Set(['REMOVED', 'SUSPENDED']);

/**
 * Who may decide an item: an active manager other than the one it reviews, on an item of the
 * latest review (older reviews are the record; a later review lists every manager again). An
 * item may be decided again (a removal confirmed by another reviewer restores the right), each
 * decision recorded. A removal needs a note.
 */
export function assertMayDecide(input: {
  reviewer: Pick<Staff, 'id' | 'active' | 'role'>;
  item: { staffId: string };
  latest: boolean;
  answer: ReviewAnswer;
  note: string | null;
}): void {
  if (!mayImpersonate(input.reviewer)) throw forbidden('Only active managers review access');
  if (input.reviewer.id === input.item.staffId) {
    throw forbidden('Nobody reviews their own access: another manager decides', {
      reason: ErrorReason.AccessReviewOfSelf,
    });
  }
  if (!input.latest) {
    throw conflict('This review has been followed by a newer one: decide its item instead', {
      reason: ErrorReason.AccessReviewClosed,
    });
  }
  if (input.answer === 'REMOVE' && !input.note) throw badInput('note: say why the right is removed');
}

/**
 * What an item nobody answered becomes at the deadline: SUSPENDED, unless no other manager could
 * have answered it (a one-manager salon): then NO_REVIEWER, the right kept and the fact recorded,
 * as governance lets a lone manager act after waiting. A manager who is alone because they removed
 * another manager within GOVERNANCE_LONE_LOOKBACK_DAYS is suspended all the same.
 */
export function unansweredOutcome(otherActiveManagers: number, aloneByRemoval: boolean): AccessReviewDecision {
  return otherActiveManagers === 0 && !aloneByRemoval ? 'NO_REVIEWER' : 'SUSPENDED';
}

/** FORBIDDEN ACCESS_REVIEW_SUSPENDED while an access review has suspended the manager's right to view. */
export function assertViewRightNotSuspended(staff: Pick<Staff, 'viewRightSuspendedAt'> | null): void {
  if (!staff?.viewRightSuspendedAt) return;
  throw forbidden(
    'An access review suspended your right to view customers: another manager must confirm it in Access reviews',
    { reason: ErrorReason.AccessReviewSuspended, since: staff.viewRightSuspendedAt.toISOString() },
  );
}
