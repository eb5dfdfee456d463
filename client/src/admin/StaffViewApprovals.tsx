// Four-eyes in the Active sessions view: starts on protected customers waiting for a second
// manager, pushed live, with Approve and Decline, and below them the safeguard changes waiting for
// one (GovernanceApprovals). The requester sees their own request, not the buttons (the server
// refuses it too).
import { useMemo } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { formatDateTime } from '../format.ts';
import { graphql, useFragment } from '../gql/index.ts';
import type { StaffViewApprovalFieldsFragment } from '../gql/graphql.ts';
import { FormError } from '../ui/feedback.tsx';
import { GovernanceApprovals } from './GovernanceApprovals.tsx';

export const StaffViewApprovalFields = graphql(`
  fragment StaffViewApprovalFields on AccessRequest {
    id
    reason
    createdAt
    expiresAt
    canAnswer
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

const StaffViewApprovalsQuery = graphql(`
  query StaffViewApprovals {
    staffViewApprovals {
      ...StaffViewApprovalFields
    }
  }
`);

const StaffViewApprovalsLiveSubscription = graphql(`
  subscription StaffViewApprovalsLive {
    staffViewApprovals {
      ...StaffViewApprovalFields
    }
  }
`);

const ApproveStaffViewMutation = graphql(`
  mutation ApproveStaffView($requestId: ID!) {
    approveStaffViewRequest(requestId: $requestId) {
      id
      state
    }
  }
`);

const DeclineStaffViewMutation = graphql(`
  mutation DeclineStaffView($requestId: ID!) {
    declineStaffViewRequest(requestId: $requestId) {
      id
      state
    }
  }
`);

export function StaffViewApprovals() {
  return (
    <>
      <StartApprovals />
      <GovernanceApprovals />
    </>
  );
}

function StartApprovals() {
  const [initial] = useQuery({ query: StaffViewApprovalsQuery, requestPolicy: 'network-only' });
  const [live] = useSubscription({ query: StaffViewApprovalsLiveSubscription });
  const latest = useFragment(
    StaffViewApprovalFields,
    live.data?.staffViewApprovals ?? initial.data?.staffViewApprovals,
  );
  const requests = useMemo<readonly StaffViewApprovalFieldsFragment[]>(() => latest ?? [], [latest]);
  const [approval, approve] = useMutation(ApproveStaffViewMutation);
  const [decline, declineRequest] = useMutation(DeclineStaffViewMutation);
  if (requests.length === 0) return null;
  const busy = approval.fetching || decline.fetching;
  return (
    <section
      className="card card--flush approvals"
      aria-labelledby="approvals-title"
      data-testid="staff-view-approvals"
    >
      <h2 className="card__title approvals__title" id="approvals-title">
        Waiting for a second manager
      </h2>
      <p className="muted small approvals__hint">
        These customers are protected: a staff view starts only after another manager approves it.
      </p>
      <div className="table-wrap">
        <table className="table table--stack" aria-label="Staff views waiting for approval">
          <thead>
            <tr>
              <th scope="col">Requested by</th>
              <th scope="col">Customer</th>
              <th scope="col">Reason</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {requests.map((request) => (
              <tr key={request.id} data-request-id={request.id}>
                <td data-label="Requested by">{request.staff.name}</td>
                <td data-label="Customer">
                  <div>
                    {request.customer.name}
                    <span className="muted small block">{request.customer.email}</span>
                  </div>
                </td>
                <td data-label="Reason" className="reason-cell">
                  {request.reason}
                </td>
                <td data-label="Expires">{formatDateTime(request.expiresAt)}</td>
                <td className="actions">
                  {request.canAnswer ? (
                    <>
                      <button
                        type="button"
                        className="button button--primary button--small"
                        data-testid={`approve-${request.id}`}
                        disabled={busy}
                        onClick={() => void approve({ requestId: request.id })}
                      >
                        Approve
                      </button>
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        data-testid={`decline-${request.id}`}
                        disabled={busy}
                        onClick={() => void declineRequest({ requestId: request.id })}
                      >
                        Decline
                      </button>
                    </>
                  ) : (
                    <span className="muted small">Your request: another manager must approve it</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <FormError error={approval.error ?? decline.error} />
    </section>
  );
}
