// The customer's live presence notice: while someone from the salon views this account, the
// customer's own portal says who, from where and why, pushed by the server as views start and end,
// with "Stop this view", which ends that view at once (the staff member reads the customer's words,
// if any) and, unless she keeps her permission, withdraws it and blocks that staff member for a
// while; she is told what her Stop did. Shown only to the customer signed in as themselves, never
// inside a staff view.
import { useState, type FormEvent } from 'react';
import { useMutation, useSubscription } from 'urql';
import { formatDateTime, formatTime } from '../format.ts';
import { graphql } from '../gql/gql.ts';
import type { StaffPresenceLiveSubscription, StopStaffViewMutation as Stopped } from '../gql/graphql.ts';
import { FormError } from '../ui/feedback.tsx';

const StaffPresenceLiveSubscription = graphql(`
  subscription StaffPresenceLive {
    staffPresence {
      id
      staffName
      salonName
      reason
      startedAt
    }
  }
`);

const StopStaffViewMutation = graphql(`
  mutation StopStaffView($sessionId: ID!, $message: String, $keepPermission: Boolean) {
    stopStaffView(sessionId: $sessionId, message: $message, keepPermission: $keepPermission) {
      staffName
      stoppedAt
      grantWithdrawn
      blockedUntil
    }
  }
`);

type Presence = StaffPresenceLiveSubscription['staffPresence'][number];
type Confirmation = Stopped['stopStaffView'];

export function StaffPresenceNotice() {
  const [live] = useSubscription({ query: StaffPresenceLiveSubscription });
  const views = live.data?.staffPresence ?? [];
  // The view is gone from the list once stopped; what the Stop did stays until she dismisses it.
  const [stopped, setStopped] = useState<Confirmation | null>(null);
  return (
    <div className="presence-notices">
      {/* Read politely as views start and end (the region is always there; the forms are not read out). */}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="presence-announcer">
        {views
          .map(
            (view) => `${view.staffName} from ${view.salonName} is viewing your account now. Reason: ${view.reason}.`,
          )
          .join(' ')}
      </p>
      {stopped && <StopConfirmation stopped={stopped} onDismiss={() => setStopped(null)} />}
      {views.map((view) => (
        <PresenceEntry key={view.id} view={view} onStopped={setStopped} />
      ))}
    </div>
  );
}

/** What her Stop did, in her local time: ended, and withdrawn and blocked unless she kept her permission. */
export function StopConfirmation({ stopped, onDismiss }: { stopped: Confirmation; onDismiss(): void }) {
  return (
    <section className="notice notice--success" role="status" data-testid="stop-confirmation">
      <p>
        <strong>
          You stopped {stopped.staffName}'s view at {formatTime(stopped.stoppedAt)}.
        </strong>{' '}
        {stopped.grantWithdrawn && 'The access you had allowed is withdrawn: staff need your yes again. '}
        {stopped.blockedUntil
          ? `${stopped.staffName} can't view your account or ask again until ${formatDateTime(stopped.blockedUntil)}, unless you allow it in Settings.`
          : `You kept your permission: ${stopped.staffName} may view or ask again as your settings allow.`}
      </p>
      <button type="button" className="button button--ghost button--small" onClick={onDismiss}>
        OK
      </button>
    </section>
  );
}

function PresenceEntry({ view, onStopped }: { view: Presence; onStopped(stopped: Confirmation): void }) {
  const [message, setMessage] = useState('');
  const [keepPermission, setKeepPermission] = useState(false);
  const [result, stop] = useMutation(StopStaffViewMutation);
  const firstName = view.staffName.split(' ')[0];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await stop({ sessionId: view.id, message: message.trim() || null, keepPermission });
    if (outcome.data) onStopped(outcome.data.stopStaffView);
  };
  return (
    <section className="notice notice--warning presence-notice" data-testid="presence-notice" aria-label="Staff view">
      <p>
        <strong>
          {view.staffName} from {view.salonName} is viewing your account now.
        </strong>{' '}
        Reason: {view.reason} <span className="muted small">(since {formatTime(view.startedAt)})</span>
      </p>
      <form className="presence-notice__form" onSubmit={(event) => void submit(event)}>
        <label className="presence-notice__message">
          <span>Message to {firstName} (optional)</span>
          <input
            className="input"
            maxLength={500}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            placeholder="e.g. Please call me first"
          />
        </label>
        <label className="presence-notice__keep">
          <input type="checkbox" checked={keepPermission} onChange={(e) => setKeepPermission(e.target.checked)} />
          <span>Keep my permission ({firstName} may ask again)</span>
        </label>
        <button type="submit" className="button button--danger button--small" disabled={result.fetching}>
          Stop this view
        </button>
      </form>
      <FormError error={result.error} />
    </section>
  );
}
