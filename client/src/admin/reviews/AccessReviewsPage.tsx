// Access reviews (managers): the latest periodic review of who may view customers, one row per
// manager with their staff views, protected-customer views and break-glass uses since the last
// review; Confirm, or Remove with a note, for every manager but oneself (the server decides who
// may, and checks again); the deadline in the salon's time zone; past reviews; each as CSV.
import { useState, type FormEvent } from 'react';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { hasEnoughLetters } from '../../../../shared/reason-rule.ts';
import { graphql } from '../../gql/gql.ts';
import type { AccessReviewsQuery } from '../../gql/graphql.ts';
import { Dialog, DialogActions } from '../../ui/Dialog.tsx';
import { CharCount, Field } from '../../ui/Field.tsx';
import { EmptyState, FormError, QueryState } from '../../ui/feedback.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import type { StaffMember } from '../staff.ts';

const AccessReviewsQueryDocument = graphql(`
  query AccessReviews {
    accessReviews {
      id
      sequence
      open
      periodStart
      openedAt
      deadlineAt
      salonTimeZone
      items {
        id
        views
        protectedViews
        breakGlassUses
        decision
        decidedAt
        note
        viewRightSuspended
        canDecide
        staff {
          id
          name
        }
        decidedBy {
          name
        }
      }
    }
  }
`);

const ConfirmAccessReviewItemMutation = graphql(`
  mutation ConfirmAccessReviewItem($itemId: ID!) {
    confirmAccessReviewItem(itemId: $itemId) {
      id
      decision
      viewRightSuspended
    }
  }
`);

const RemoveAccessReviewItemMutation = graphql(`
  mutation RemoveAccessReviewItem($itemId: ID!, $note: String!) {
    removeAccessReviewItem(itemId: $itemId, note: $note) {
      id
      decision
      viewRightSuspended
    }
  }
`);

const AccessReviewCsvQuery = graphql(`
  query AccessReviewCsv($reviewId: ID!) {
    accessReviewCsv(reviewId: $reviewId) {
      fileName
      content
    }
  }
`);

type Review = AccessReviewsQuery['accessReviews'][number];
type Item = Review['items'][number];

/** The server's bounds of a removal note (reviewNote: 3 letters or digits, 500 characters). */
const NOTE_MIN = 3;
const NOTE_MAX = 500;

/** "Mar 24, 2027, 10:30 AM PDT": an instant as the salon's clock shows it, the zone named. */
export function salonTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}

const DECISIONS: Record<NonNullable<Item['decision']>, { label: string; tone: string }> = {
  CONFIRMED: { label: 'Confirmed', tone: 'success' },
  REMOVED: { label: 'Removed', tone: 'danger' },
  SUSPENDED: { label: 'Suspended: unanswered', tone: 'danger' },
  NO_REVIEWER: { label: 'Kept: no other manager', tone: 'warning' },
};

function Decision({ item, zone }: { item: Item; zone: string }) {
  if (!item.decision) return <span className="pill pill--warning">Waiting for a reviewer</span>;
  const { label, tone } = DECISIONS[item.decision];
  return (
    <div>
      <span className={`pill pill--${tone}`}>{label}</span>
      <span className="muted small block">
        {item.decidedBy ? `by ${item.decidedBy.name}` : 'at the deadline'}
        {item.decidedAt && `, ${salonTime(item.decidedAt, zone)}`}
      </span>
      {item.note && <span className="small block">“{item.note}”</span>}
      {item.viewRightSuspended && (
        <span className="small block">Cannot view customers until another manager confirms.</span>
      )}
    </div>
  );
}

/** Saves text as a file the way a link with `download` does. */
function saveFile(content: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

function CsvButton({ review }: { review: Review }) {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>();
  const download = async () => {
    setBusy(true);
    setError(undefined);
    const result = await client
      .query(AccessReviewCsvQuery, { reviewId: review.id }, { requestPolicy: 'network-only' })
      .toPromise();
    setBusy(false);
    const file = result.data?.accessReviewCsv;
    if (!file) return setError(result.error);
    saveFile(file.content, file.fileName);
  };
  return (
    <>
      <button
        type="button"
        className="button button--secondary button--small"
        data-testid={`review-csv-${review.sequence}`}
        disabled={busy}
        aria-label={`${busy ? 'Preparing' : 'Download CSV'} of review ${review.sequence}`}
        onClick={() => void download()}
      >
        {busy ? 'Preparing…' : 'Download CSV'}
      </button>
      <FormError error={error} />
    </>
  );
}

function RemoveDialog({ item, onClose }: { item: Item; onClose(): void }) {
  const [note, setNote] = useState('');
  const [result, remove] = useMutation(RemoveAccessReviewItemMutation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await remove({ itemId: item.id, note: note.trim() });
    if (outcome.data) onClose();
  };
  return (
    <Dialog title={`Remove ${item.staff.name}’s access`} onClose={onClose} testId="remove-access-dialog">
      <form onSubmit={(event) => void submit(event)}>
        <p>
          {item.staff.name} can no longer view any customer: a staff view of theirs in progress ends at once, and every
          start is refused until another manager confirms this item.
        </p>
        <Field
          label="Why (managers and audit only)"
          hint={
            <>
              Required. {item.staff.name}, the other managers and the audit read it; no customer does.{' '}
              <CharCount value={note} max={NOTE_MAX} />
            </>
          }
        >
          <textarea
            className="input"
            rows={3}
            required
            maxLength={NOTE_MAX}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </Field>
        <FormError error={result.error} />
        <DialogActions onCancel={onClose} cancelLabel="Keep access">
          <button
            type="submit"
            className="button button--danger"
            data-testid="confirm-remove-access"
            disabled={result.fetching || !hasEnoughLetters(note.trim(), NOTE_MIN)}
          >
            {result.fetching ? 'Removing…' : 'Remove access'}
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function ReviewTable({ review, staff }: { review: Review; staff: StaffMember }) {
  const [confirmation, confirm] = useMutation(ConfirmAccessReviewItemMutation);
  const [removing, setRemoving] = useState<Item | null>(null);
  const zone = review.salonTimeZone;
  return (
    <>
      <div className="table-wrap">
        <table className="table table--stack" aria-label={`Review ${review.sequence}: managers who may view customers`}>
          <thead>
            <tr>
              <th scope="col">Manager</th>
              <th scope="col">Staff views</th>
              <th scope="col">Protected customers</th>
              <th scope="col">Break-glass</th>
              <th scope="col">Decision</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {review.items.map((item) => (
              <tr key={item.id} data-review-item={item.staff.name}>
                <td data-label="Manager">
                  {item.staff.name}
                  {item.staff.id === staff.id && (
                    <span className="muted small"> (you: another manager reviews you)</span>
                  )}
                </td>
                <td data-label="Staff views">{item.views}</td>
                <td data-label="Protected customers">{item.protectedViews}</td>
                <td data-label="Break-glass">{item.breakGlassUses ?? 'Not recorded'}</td>
                <td data-label="Decision">
                  <Decision item={item} zone={zone} />
                </td>
                <td className="actions">
                  {item.canDecide && (
                    <>
                      <button
                        type="button"
                        className="button button--primary button--small"
                        disabled={confirmation.fetching || (item.decision === 'CONFIRMED' && !item.viewRightSuspended)}
                        aria-label={`${item.viewRightSuspended ? 'Confirm and restore' : 'Confirm'} ${item.staff.name}`}
                        onClick={() => void confirm({ itemId: item.id })}
                      >
                        {item.viewRightSuspended ? 'Confirm and restore' : 'Confirm'}
                      </button>
                      <button
                        type="button"
                        className="button button--danger button--small"
                        disabled={item.viewRightSuspended}
                        aria-label={`Remove ${item.staff.name}`}
                        onClick={() => setRemoving(item)}
                      >
                        Remove
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FormError error={confirmation.error} />
      {removing && <RemoveDialog item={removing} onClose={() => setRemoving(null)} />}
    </>
  );
}

export function AccessReviewsPage({ staff }: { staff: StaffMember }) {
  const [reviews, refetch] = useQuery({ query: AccessReviewsQueryDocument, requestPolicy: 'cache-and-network' });
  return (
    <>
      <PageHeader
        title="Access reviews"
        subtitle="Every quarter, another manager confirms or removes each manager’s right to view customers."
      />
      <QueryState result={reviews} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {({ accessReviews }) => {
          const [latest, ...past] = accessReviews;
          if (!latest) {
            return (
              <EmptyState title="No access review yet">
                The first review opens one review period after reviews began; it will be listed here.
              </EmptyState>
            );
          }
          const zone = latest.salonTimeZone;
          return (
            <>
              <section className="card" aria-labelledby="latest-review-title" data-testid="latest-review">
                <div className="card__header">
                  <h2 className="card__title" id="latest-review-title">
                    Review {latest.sequence}
                    {latest.open ? '' : ' (deadline passed)'}
                  </h2>
                  <CsvButton review={latest} />
                </div>
                <p className="muted small">
                  Views since {latest.periodStart ? salonTime(latest.periodStart, zone) : 'records began'}. Opened{' '}
                  {salonTime(latest.openedAt, zone)}.{' '}
                  <strong>
                    {latest.open ? 'Answer by' : 'Deadline was'} {salonTime(latest.deadlineAt, zone)}
                  </strong>
                  : a manager not confirmed by then cannot view customers until another manager confirms them. Alone, a
                  manager is not suspended; the overdue review is recorded and raised as an alert.
                </p>
                <ReviewTable review={latest} staff={staff} />
              </section>
              {past.length > 0 && (
                <section className="card access-reviews-past" aria-labelledby="past-reviews-title">
                  <h2 className="card__title" id="past-reviews-title">
                    Past reviews
                  </h2>
                  <ul className="plain-list">
                    {past.map((review) => {
                      const removed = review.items.filter((item) => item.decision && item.decision !== 'CONFIRMED');
                      return (
                        <li key={review.id} className="past-review">
                          <span>
                            <strong>Review {review.sequence}</strong>, opened {salonTime(review.openedAt, zone)}:{' '}
                            {review.items.length} managers, {removed.length} not confirmed
                          </span>{' '}
                          <CsvButton review={review} />
                        </li>
                      );
                    })}
                  </ul>
                </section>
              )}
            </>
          );
        }}
      </QueryState>
    </>
  );
}
