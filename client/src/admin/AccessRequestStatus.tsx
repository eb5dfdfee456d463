// The start dialog's live view of the request a start became (the customer asks to be asked first,
// or the customer is protected): who must answer, pushed on every answer, the expiry and the use.
// Once approved, the manager starts the staff view from the same dialog, with the scope the customer
// allowed (scoped consent: she may allow less than was asked).
import { useSubscription } from 'urql';
import { formatDateTime } from '../format.ts';
import { graphql, useFragment } from '../gql/index.ts';
import type { AccessRequestFieldsFragment } from '../gql/graphql.ts';
import { scopeSummary } from '../staffViewScope.ts';

/** What the dialog shows of a request; the start mutation returns the same fields. */
export const AccessRequestFields = graphql(`
  fragment AccessRequestFields on AccessRequest {
    id
    state
    reason
    createdAt
    expiresAt
    needsCustomer
    needsManager
    scope
    scopeNeed
    awaitingCustomer
    awaitingManager
    declinedByCustomer
    customerApprovedAt
    approvedBy {
      id
      name
    }
    declinedBy {
      id
      name
    }
    customer {
      id
      name
    }
  }
`);

const AccessRequestLiveSubscription = graphql(`
  subscription AccessRequestLive($id: ID!) {
    accessRequest(id: $id) {
      ...AccessRequestFields
    }
  }
`);

/** The request's latest state: pushed, else as the start returned it; null while there is none. */
export function useLiveAccessRequest(initial: AccessRequestFieldsFragment | null): AccessRequestFieldsFragment | null {
  const [live] = useSubscription({
    query: AccessRequestLiveSubscription,
    variables: { id: initial?.id ?? '' },
    pause: initial === null,
  });
  const pushed = useFragment(AccessRequestFields, live.data?.accessRequest);
  return initial && pushed?.id === initial.id ? pushed : initial;
}

/** The request's state in words for the requester. */
export function requestWords(request: AccessRequestFieldsFragment): string {
  const name = request.customer.name;
  switch (request.state) {
    case 'APPROVED':
      return request.needsManager
        ? `Approved by ${request.approvedBy?.name ?? 'a second manager'}${request.needsCustomer ? ` and by ${name}` : ''}. You can start now.`
        : `${name} allowed access (${scopeSummary(request.scope)}). You can start now.`;
    case 'DECLINED':
      return request.declinedByCustomer
        ? `${name} declined the request.`
        : `${request.declinedBy?.name ?? 'Another manager'} declined the request.`;
    case 'EXPIRED':
      return 'The request expired without an answer. You can ask again.';
    case 'USED':
      return 'The staff view has started.';
    default: {
      const waitingFor = [
        request.awaitingCustomer ? `${name} (they asked to be asked first)` : null,
        request.awaitingManager ? 'a second manager (this customer is protected)' : null,
      ].filter(Boolean);
      return `Waiting for ${waitingFor.join(' and ')}. The request expires on ${formatDateTime(request.expiresAt)}.`;
    }
  }
}

export function AccessRequestStatus({ request }: { request: AccessRequestFieldsFragment }) {
  const tone =
    request.state === 'APPROVED' ? 'notice--success' : request.state === 'PENDING' ? 'notice--info' : 'notice--warning';
  return (
    <div
      className={`notice notice--compact ${tone}`}
      role="status"
      data-testid="access-request-status"
      data-state={request.state}
    >
      <p>{requestWords(request)}</p>
    </div>
  );
}
