// The customer's live presence notice: while someone from the salon views this account, the
// customer's own portal says who, from where and why, pushed by the server as views start and end,
// with "Stop this view", which ends that view at once (the staff member reads the customer's words,
// if any). Shown only to the customer signed in as themselves, never inside a staff view.
import { useState, type FormEvent } from 'react';
import { useMutation, useSubscription } from 'urql';
import { formatTime } from '../format.ts';
import { graphql } from '../gql/gql.ts';
import type { StaffPresenceLiveSubscription } from '../gql/graphql.ts';
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
  mutation StopStaffView($sessionId: ID!, $message: String) {
    stopStaffView(sessionId: $sessionId, message: $message)
  }
`);

type Presence = StaffPresenceLiveSubscription['staffPresence'][number];

export function StaffPresenceNotice() {
  const [live] = useSubscription({ query: StaffPresenceLiveSubscription });
  const views = live.data?.staffPresence ?? [];
  return (
    <div aria-live="polite" className="presence-notices">
      {views.map((view) => (
        <PresenceEntry key={view.id} view={view} />
      ))}
    </div>
  );
}

function PresenceEntry({ view }: { view: Presence }) {
  const [message, setMessage] = useState('');
  const [result, stop] = useMutation(StopStaffViewMutation);
  const firstName = view.staffName.split(' ')[0];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void stop({ sessionId: view.id, message: message.trim() || null });
  };
  return (
    <section className="notice notice--warning presence-notice" data-testid="presence-notice" aria-label="Staff view">
      <p>
        <strong>
          {view.staffName} from {view.salonName} is viewing your account now.
        </strong>{' '}
        Reason: {view.reason} <span className="muted small">(since {formatTime(view.startedAt)})</span>
      </p>
      <form className="presence-notice__form" onSubmit={submit}>
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
        <button type="submit" className="button button--danger button--small" disabled={result.fetching}>
          Stop this view
        </button>
      </form>
      <FormError error={result.error} />
    </section>
  );
}
