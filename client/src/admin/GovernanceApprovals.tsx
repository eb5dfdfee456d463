// Governance requests in the approvals area of Active sessions: changes that weaken a safeguard,
// pushed live, with Approve and Decline (a note required) for the other managers and Cancel for
// the requester; alone, the requester confirms once the cooling-off period has passed.
import { useMemo, useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { formatDateTime } from '../format.ts';
import { graphql, useFragment } from '../gql/index.ts';
import type { GovernanceRequestFieldsFragment } from '../gql/graphql.ts';
import { FormError } from '../ui/feedback.tsx';
import { hasEnoughLetters } from '../../../shared/reason-rule.ts';

export const GovernanceRequestFields = graphql(`
  fragment GovernanceRequestFields on GovernanceRequest {
    id
    kind
    state
    reason
    createdAt
    expiresAt
    coolingOffUntil
    canApprove
    canDecline
    canCancel
    requestedBy {
      id
      name
    }
    customer {
      id
      name
    }
    targetStaff {
      id
      name
    }
  }
`);

const GovernanceRequestsQuery = graphql(`
  query GovernanceRequests {
    governanceRequests {
      ...GovernanceRequestFields
    }
  }
`);

const GovernanceRequestsLiveSubscription = graphql(`
  subscription GovernanceRequestsLive {
    governanceRequests {
      ...GovernanceRequestFields
    }
  }
`);

const ApproveGovernanceChangeMutation = graphql(`
  mutation ApproveGovernanceChange($requestId: ID!) {
    approveGovernanceChange(requestId: $requestId) {
      id
      state
    }
  }
`);

const DeclineGovernanceChangeMutation = graphql(`
  mutation DeclineGovernanceChange($requestId: ID!, $note: String!) {
    declineGovernanceChange(requestId: $requestId, note: $note) {
      id
      state
    }
  }
`);

const CancelGovernanceChangeMutation = graphql(`
  mutation CancelGovernanceChange($requestId: ID!) {
    cancelGovernanceChange(requestId: $requestId) {
      id
      state
    }
  }
`);

/** The server's minimum for a decline note (declineNote: 3 letters or digits). */
const NOTE_MIN = 3;

/** What is asked, in words. */
export function changeWords(request: GovernanceRequestFieldsFragment): string {
  switch (request.kind) {
    case 'UNPROTECT_CUSTOMER':
      return `Remove ${request.customer?.name ?? 'a customer'}’s protection (four-eyes)`;
    case 'ENABLE_STAFF_VIEWS':
      return 'Turn staff views back on salon-wide';
    case 'PROMOTE_TO_MANAGER':
      return `Make ${request.targetStaff?.name ?? 'a staff member'} a manager`;
    case 'REACTIVATE_MANAGER':
      return `Reactivate ${request.targetStaff?.name ?? 'a manager'}`;
  }
}

export function GovernanceApprovals() {
  const [initial] = useQuery({ query: GovernanceRequestsQuery, requestPolicy: 'network-only' });
  const [live] = useSubscription({ query: GovernanceRequestsLiveSubscription });
  const latest = useFragment(
    GovernanceRequestFields,
    live.data?.governanceRequests ?? initial.data?.governanceRequests,
  );
  const pending = useMemo<readonly GovernanceRequestFieldsFragment[]>(
    () => (latest ?? []).filter((request) => request.state === 'PENDING'),
    [latest],
  );
  const [approval, approve] = useMutation(ApproveGovernanceChangeMutation);
  const [decline, declineRequest] = useMutation(DeclineGovernanceChangeMutation);
  const [cancel, cancelRequest] = useMutation(CancelGovernanceChangeMutation);
  const [notes, setNotes] = useState<Record<string, string>>({});
  if (pending.length === 0) return null;
  const busy = approval.fetching || decline.fetching || cancel.fetching;
  return (
    <section
      className="card card--flush approvals"
      aria-labelledby="governance-title"
      data-testid="governance-approvals"
    >
      <h2 className="card__title approvals__title" id="governance-title">
        Safeguard changes waiting for a second manager
      </h2>
      <p className="muted small approvals__hint">
        Each weakens a safeguard; it applies only once another manager approves it.
      </p>
      <ul className="approvals__list">
        {pending.map((request) => {
          const note = notes[request.id] ?? '';
          return (
            <li key={request.id} data-request-id={request.id} className="approvals__item">
              <strong>{changeWords(request)}</strong>
              <span className="muted small block">
                Asked by {request.requestedBy.name}: “{request.reason}” · expires {formatDateTime(request.expiresAt)}
              </span>
              {request.coolingOffUntil && (
                <span className="muted small block">
                  Only one manager is active: the requester may confirm it from{' '}
                  {formatDateTime(request.coolingOffUntil)}.
                </span>
              )}
              <div className="actions">
                {request.canApprove && (
                  <button
                    type="button"
                    className="button button--primary button--small"
                    data-testid={`approve-change-${request.id}`}
                    disabled={busy}
                    onClick={() => void approve({ requestId: request.id })}
                  >
                    {request.canCancel ? 'Confirm' : 'Approve'}
                  </button>
                )}
                {request.canDecline && (
                  <>
                    <input
                      className="input input--small"
                      aria-label="Note to the requester (managers and audit only)"
                      placeholder="Why not (required to decline)"
                      maxLength={500}
                      value={note}
                      onChange={(e) => setNotes({ ...notes, [request.id]: e.target.value })}
                    />
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      data-testid={`decline-change-${request.id}`}
                      disabled={busy || !hasEnoughLetters(note.trim(), NOTE_MIN)}
                      onClick={() => void declineRequest({ requestId: request.id, note: note.trim() })}
                    >
                      Decline
                    </button>
                  </>
                )}
                {request.canCancel && (
                  <button
                    type="button"
                    className="button button--ghost button--small"
                    data-testid={`cancel-change-${request.id}`}
                    disabled={busy}
                    onClick={() => void cancelRequest({ requestId: request.id })}
                  >
                    Cancel my request
                  </button>
                )}
                {!request.canApprove && request.canCancel && (
                  <span className="muted small">Your request: another manager must approve it</span>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      <FormError error={approval.error ?? decline.error ?? cancel.error} />
    </section>
  );
}
