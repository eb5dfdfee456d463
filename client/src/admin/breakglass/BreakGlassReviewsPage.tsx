// "Emergency access reviews": every break-glass use (a staff view started without the customer's
// yes or a second manager's), the oldest deadline first, overdue ones marked; a different manager
// approves or flags each with a note (the server refuses the manager who used it, and asks for the
// password again when a step-up is due: StepUpPrompt). Staff-only words: the justification and notes.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { hasEnoughLetters } from '../../../../shared/reason-rule.ts';
import { formatDateTime } from '../../format.ts';
import { graphql } from '../../gql/gql.ts';
import type { BreakGlassDecision, BreakGlassReviewsQuery } from '../../gql/graphql.ts';
import { FormError, QueryState } from '../../ui/feedback.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { CATEGORY_LABELS } from './EmergencyFields.tsx';
import './breakglass.css';

const BreakGlassReviewsQueryDoc = graphql(`
  query BreakGlassReviews {
    breakGlassReviews {
      id
      category
      customerWords
      justification
      reason
      bypassedConsent
      bypassedFourEyes
      usedBy
      customer {
        id
        name
      }
      startedAt
      endedAt
      dueAt
      overdue
      escalatedAt
      reviewedAt
      decision
      note
      reviewer {
        id
        name
      }
      canReview
    }
  }
`);

const ReviewBreakGlassMutation = graphql(`
  mutation ReviewBreakGlass($id: ID!, $decision: BreakGlassDecision!, $note: String!) {
    reviewBreakGlass(id: $id, decision: $decision, note: $note) {
      id
      decision
      note
      reviewedAt
      canReview
      reviewer {
        id
        name
      }
    }
  }
`);

type Review = BreakGlassReviewsQuery['breakGlassReviews'][number];

/** The server's minimum for a review note (the reason rule). */
const NOTE_MIN = 10;

export function BreakGlassReviewsPage() {
  const [reviews, refetch] = useQuery({ query: BreakGlassReviewsQueryDoc, requestPolicy: 'cache-and-network' });
  return (
    <>
      <PageHeader
        title="Emergency access reviews"
        subtitle="Each emergency access (started without the customer’s yes or a second manager’s) is reviewed by a different manager within a day."
      />
      <QueryState result={reviews} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {({ breakGlassReviews }) =>
          breakGlassReviews.length === 0 ? (
            <p className="muted">No emergency access has been used.</p>
          ) : (
            <ul className="breakglass-list" data-testid="break-glass-reviews">
              {breakGlassReviews.map((review) => (
                <ReviewItem key={review.id} review={review} />
              ))}
            </ul>
          )
        }
      </QueryState>
    </>
  );
}

function ReviewItem({ review }: { review: Review }) {
  const [note, setNote] = useState('');
  const [result, send] = useMutation(ReviewBreakGlassMutation);
  const titleId = `break-glass-${review.id}`;
  const noteOk = hasEnoughLetters(note.trim(), NOTE_MIN);
  const decide = (decision: BreakGlassDecision) => void send({ id: review.id, decision, note: note.trim() });
  const bypassed = [review.bypassedConsent && 'her ask-first', review.bypassedFourEyes && 'four-eyes']
    .filter(Boolean)
    .join(' and ');
  return (
    <li className="card breakglass-item" aria-labelledby={titleId} data-review-id={review.id}>
      <h2 className="card__title" id={titleId}>
        {review.usedBy} viewed {review.customer.name} · {CATEGORY_LABELS[review.category]}
        {review.overdue && (
          <span className="pill pill--danger breakglass-item__overdue" data-testid="overdue">
            Overdue
          </span>
        )}
      </h2>
      <dl className="breakglass-item__facts">
        <dt>When</dt>
        <dd>
          {formatDateTime(review.startedAt)}
          {review.endedAt ? ` to ${formatDateTime(review.endedAt)}` : ' (still open)'}
        </dd>
        <dt>Bypassed</dt>
        <dd>{bypassed}</dd>
        <dt>Why it could not wait</dt>
        <dd>“{review.justification}”</dd>
        <dt>Reason she was given</dt>
        <dd>
          “{review.reason}”, as {review.customerWords}
        </dd>
        <dt>Review due</dt>
        <dd>
          {formatDateTime(review.dueAt)}
          {review.escalatedAt && ` · escalated ${formatDateTime(review.escalatedAt)}`}
        </dd>
        {review.reviewedAt && (
          <>
            <dt>Review</dt>
            <dd data-testid="review-outcome">
              {review.decision === 'APPROVE' ? 'Approved' : 'Flagged'} by {review.reviewer?.name} on{' '}
              {formatDateTime(review.reviewedAt)}: “{review.note}”
            </dd>
          </>
        )}
      </dl>
      {!review.reviewedAt && !review.canReview && (
        <p className="muted small">You used this emergency access: another manager reviews it.</p>
      )}
      {review.canReview && (
        <div className="breakglass-item__review">
          <label className="field__label" htmlFor={`${titleId}-note`}>
            Review note (managers and the audit only)
          </label>
          <textarea
            id={`${titleId}-note`}
            className="input"
            rows={2}
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            aria-describedby={`${titleId}-note-hint`}
            data-testid="review-note"
          />
          <p className="muted small" id={`${titleId}-note-hint`}>
            At least {NOTE_MIN} letters or digits.
          </p>
          <div className="actions">
            <button
              type="button"
              className="button button--primary button--small"
              disabled={!noteOk || result.fetching}
              onClick={() => decide('APPROVE')}
              data-testid="approve-break-glass"
            >
              Approve
            </button>
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={!noteOk || result.fetching}
              onClick={() => decide('FLAG')}
              data-testid="flag-break-glass"
            >
              Flag
            </button>
          </div>
          <FormError error={result.error} />
        </div>
      )}
    </li>
  );
}
