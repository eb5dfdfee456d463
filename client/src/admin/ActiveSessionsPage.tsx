// Every staff view in progress, live: the subscription pushes the whole list on every start,
// extension, end and incident of hidden marks (shown as a warning on its row). Countdowns run
// locally from expiresAt, corrected by the server's clock.
import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql, useFragment, type FragmentType } from '../gql/index.ts';
import type { ActiveSessionFieldsFragment } from '../gql/graphql.ts';
import { formatTime } from '../format.ts';
import { Countdown } from '../impersonation/Countdown.tsx';
import { offsetFromRemaining } from '../impersonation/clock.ts';
import { Link } from '../router.tsx';
import { Dialog, DialogActions } from '../ui/Dialog.tsx';
import { EmptyState, FormError, QueryState } from '../ui/feedback.tsx';
import { CharCount, Field } from '../ui/Field.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import type { StaffMember } from './staff.ts';
import { StaffViewsSwitch } from './StaffViewsSwitch.tsx';
import { StaffViewApprovals } from './StaffViewApprovals.tsx';
import { TicketRef } from './TicketField.tsx';
import { useImpersonationPolicy } from './useImpersonationPolicy.ts';
import { hasEnoughLetters } from '../../../shared/reason-rule.ts';

/** Spread into both the query and the live subscription. */
export const ActiveSessionFields = graphql(`
  fragment ActiveSessionFields on ImpersonationSession {
    id
    reason
    startedAt
    expiresAt
    extendedAt
    remainingSeconds
    tamperIncidents
    ticket
    ticketUrl
    staff {
      id
      name
    }
    customer {
      id
      name
      email
    }
  }
`);

const ActiveSessionsQuery = graphql(`
  query ActiveSessions {
    activeImpersonationSessions {
      ...ActiveSessionFields
    }
  }
`);

const ActiveSessionsLiveSubscription = graphql(`
  subscription ActiveSessionsLive {
    activeImpersonationSessions {
      ...ActiveSessionFields
    }
  }
`);

const TerminateStaffViewMutation = graphql(`
  mutation TerminateStaffView($sessionId: ID!, $reason: String!, $customerMessage: String) {
    terminateImpersonation(sessionId: $sessionId, reason: $reason, customerMessage: $customerMessage) {
      id
      state
      endReason
    }
  }
`);

interface Snapshot {
  sessions: FragmentType<typeof ActiveSessionFields>[];
  receivedAt: number;
}

export function ActiveSessionsPage({ staff }: { staff: StaffMember }) {
  const [initial, refetch] = useQuery({ query: ActiveSessionsQuery, requestPolicy: 'network-only' });
  const [live] = useSubscription(
    { query: ActiveSessionsLiveSubscription },
    (_previous: Snapshot | undefined, data): Snapshot => ({
      sessions: data.activeImpersonationSessions,
      receivedAt: Date.now(),
    }),
  );
  const [terminating, setTerminating] = useState<ActiveSessionFieldsFragment | null>(null);
  // Loaded with the page so the dialog opens with the rules already cached: its form, and the focus
  // on the reason field, are there from the first frame.
  useImpersonationPolicy();

  const initialSnapshot = useMemo<Snapshot | null>(
    () => (initial.data ? { sessions: initial.data.activeImpersonationSessions, receivedAt: Date.now() } : null),
    [initial.data],
  );
  const snapshot = live.data ?? initialSnapshot;
  const sessions = useFragment(ActiveSessionFields, snapshot?.sessions);

  return (
    <>
      <PageHeader
        title="Active sessions"
        subtitle={
          <>
            Staff views in progress, updated live.{' '}
            <span className={live.data ? 'live-dot' : 'live-dot live-dot--off'} aria-hidden="true" />
            <span className="muted small">
              {live.data ? 'Live' : live.error ? 'Live updates unavailable' : 'Connecting…'}
            </span>
          </>
        }
      />
      <StaffViewsSwitch staff={staff} />
      <StaffViewApprovals />
      <QueryState
        result={{
          data: snapshot && sessions ? { sessions, receivedAt: snapshot.receivedAt } : undefined,
          fetching: initial.fetching,
          error: initial.error,
        }}
        retry={() => refetch()}
      >
        {({ sessions, receivedAt }) =>
          sessions.length === 0 ? (
            <EmptyState title="No active sessions">Nobody is viewing a customer's portal right now.</EmptyState>
          ) : (
            <div className="card card--flush">
              <div className="table-wrap">
                <table className="table table--stack" data-testid="active-sessions" aria-label="Active sessions">
                  <thead>
                    <tr>
                      <th scope="col">Staff</th>
                      <th scope="col">Customer</th>
                      <th scope="col">Reason</th>
                      <th scope="col">Started</th>
                      <th scope="col">Time left</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {sessions.map((s) => (
                      <tr key={s.id} data-session-id={s.id}>
                        <td data-label="Staff">
                          {s.staff.name}
                          {s.staff.id === staff.id && <span className="muted small"> (you)</span>}
                          {s.tamperIncidents > 0 && (
                            <span className="block" data-testid={`tampering-${s.id}`}>
                              <span
                                className="pill pill--danger"
                                title="Times the banner, border or watermark of this view were hidden; at the limit the view ends."
                              >
                                Tampering: {s.tamperIncidents}
                              </span>
                            </span>
                          )}
                        </td>
                        <td data-label="Customer">
                          <div>
                            {s.customer.name}
                            <span className="muted small block">{s.customer.email}</span>
                          </div>
                        </td>
                        <td data-label="Reason" className="reason-cell">
                          {s.reason}
                          {s.ticket && <TicketLink ticket={s.ticket} url={s.ticketUrl} />}
                        </td>
                        <td data-label="Started">{formatTime(s.startedAt)}</td>
                        <td data-label="Time left">
                          <div>
                            <Countdown
                              expiresAt={s.expiresAt}
                              clockOffsetMs={offsetFromRemaining(s.expiresAt, s.remainingSeconds, receivedAt)}
                              testId={`countdown-${s.id}`}
                            />
                            {s.extendedAt && <span className="muted small block">extended</span>}
                          </div>
                        </td>
                        <td className="actions">
                          <Link
                            className="button button--ghost button--small"
                            href={`/admin/audit?sessionId=${encodeURIComponent(s.id)}`}
                          >
                            Timeline
                          </Link>
                          <button
                            type="button"
                            className="button button--danger button--small"
                            data-testid={`terminate-${s.id}`}
                            onClick={() => setTerminating(s)}
                          >
                            Terminate
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          )
        }
      </QueryState>
      {terminating && <TerminateDialog session={terminating} onClose={() => setTerminating(null)} />}
    </>
  );
}

/** The view's ticket in its row, linked to the help desk as TicketRef links it (opens beside the admin app). */
export function TicketLink({ ticket, url }: { ticket: string; url: string | null }) {
  return (
    <span className="muted small block" data-testid="session-ticket">
      Ticket <TicketRef ticket={ticket} url={url} />
    </span>
  );
}

/**
 * Two audiences, two texts: the internal note goes to the staff member thrown out and the audit,
 * the message (optional) to the customer, who otherwise reads a neutral sentence from the salon.
 */
function TerminateDialog({ session, onClose }: { session: ActiveSessionFieldsFragment; onClose(): void }) {
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState('');
  const [policy, refetchPolicy] = useImpersonationPolicy();
  const [result, terminate] = useMutation(TerminateStaffViewMutation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const customerMessage = message.trim() || null;
    const outcome = await terminate({ sessionId: session.id, reason: reason.trim(), customerMessage });
    if (outcome.data) onClose();
  };
  return (
    <Dialog title="Terminate staff view" onClose={onClose} testId="terminate-dialog">
      <QueryState result={policy} retry={() => refetchPolicy({ requestPolicy: 'network-only' })}>
        {({ impersonationPolicy: { terminateReasonMinLength, reasonMaxLength } }) => (
          <form onSubmit={(event) => void submit(event)}>
            <p>
              {session.staff.name}'s view of {session.customer.name} closes at once.
            </p>
            <Field
              label="Internal note (staff and audit only)"
              hint={
                <>
                  {session.staff.name} and the audit read it; {session.customer.name} never does.{' '}
                  <CharCount value={reason} max={reasonMaxLength} />
                </>
              }
            >
              <textarea
                className="input"
                rows={3}
                required
                minLength={terminateReasonMinLength}
                maxLength={reasonMaxLength}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            </Field>
            <Field
              label="Message to the customer (optional)"
              hint={
                <>
                  {session.customer.name} reads it in the end notice and their access log; left empty, they read only
                  that a manager stopped the view. <CharCount value={message} max={reasonMaxLength} />
                </>
              }
            >
              <textarea
                className="input"
                rows={2}
                maxLength={reasonMaxLength}
                value={message}
                onChange={(e) => setMessage(e.target.value)}
              />
            </Field>
            <FormError error={result.error} />
            <DialogActions onCancel={onClose} cancelLabel="Keep running">
              <button
                type="submit"
                className="button button--danger"
                data-testid="confirm-terminate"
                disabled={
                  result.fetching ||
                  !hasEnoughLetters(reason, terminateReasonMinLength) ||
                  (message.trim() !== '' && !hasEnoughLetters(message, terminateReasonMinLength))
                }
              >
                {result.fetching ? 'Terminating…' : 'Terminate session'}
              </button>
            </DialogActions>
          </form>
        )}
      </QueryState>
    </Dialog>
  );
}
