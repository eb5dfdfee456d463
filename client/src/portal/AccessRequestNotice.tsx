// The portal-wide notice of a staff member asking to view the account (the customer chose "ask me
// first"): who, why, which parts, until when, and Allow (the parts she chooses, starting from what was
// asked) for 1 hour / 1 day / 7 days, or Decline. Pushed live;
// a request answered elsewhere, declined or expired shows what became of it until dismissed.
import { useEffect, useState } from 'react';
import { useMutation } from 'urql';
import { formatDateTime } from '../format.ts';
import { graphql } from '../gql/gql.ts';
import type { StaffAccessFieldsFragment } from '../gql/graphql.ts';
import { MutatingButton } from '../impersonation/readOnly.tsx';
import { FormError } from '../ui/feedback.tsx';
import { GRANT_OPTIONS, useStaffAccess } from './staffAccess.ts';
import { AllowedSectionsFields, allowedFrom, allowedSections, scopeInHerWords } from './AllowedSections.tsx';
import { useTimeZoneDefault } from './timeZone.tsx';

const ApproveAccessRequestMutation = graphql(`
  mutation ApproveAccessRequest($requestId: ID!, $duration: AccessGrantDuration!, $sections: [PortalSection!]) {
    approveAccessRequest(requestId: $requestId, duration: $duration, sections: $sections) {
      id
      state
      awaitingCustomer
      scope
    }
  }
`);

const DeclineAccessRequestMutation = graphql(`
  mutation DeclineAccessRequest($requestId: ID!) {
    declineAccessRequest(requestId: $requestId) {
      id
      state
      awaitingCustomer
    }
  }
`);

type Request = StaffAccessFieldsFragment['accessRequests'][number];

/** What became of a request once it no longer waits for the customer, in words. */
export function requestOutcome(request: Pick<Request, 'state'>): string {
  switch (request.state) {
    case 'APPROVED':
    case 'USED':
      return 'You allowed access.';
    case 'DECLINED':
      return 'This request was declined.';
    case 'EXPIRED':
      return 'This request expired without an answer. Nobody viewed your account.';
    default:
      return 'Waiting for the salon.';
  }
}

export function AccessRequestNotice() {
  const { data } = useStaffAccess({ live: true });
  useTimeZoneDefault(data);
  // Requests seen waiting in this visit stay on screen, with their outcome, until dismissed.
  const [seen, setSeen] = useState<string[]>([]);
  const [dismissed, setDismissed] = useState<string[]>([]);
  const requests = data?.accessRequests ?? [];
  const waitingIds = requests.filter((r) => r.awaitingCustomer).map((r) => r.id);
  useEffect(() => {
    setSeen((previous) => {
      const added = waitingIds.filter((id) => !previous.includes(id));
      return added.length ? [...previous, ...added] : previous;
    });
  }, [waitingIds.join(',')]); // eslint-disable-line react-hooks/exhaustive-deps
  const shown = requests.filter((r) => seen.includes(r.id) && !dismissed.includes(r.id));
  return (
    <>
      {/* Read politely, once per change: a request arriving, then its outcome (the region is always there). */}
      <p className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="request-announcer">
        {shown.map(announcementOf).join(' ')}
      </p>
      {shown.length > 0 && (
        <section className="access-requests" aria-label="Requests to view your account" data-testid="access-requests">
          {shown.map((request) => (
            <AccessRequestCard
              key={request.id}
              request={request}
              onDismiss={() => setDismissed((previous) => [...previous, request.id])}
            />
          ))}
        </section>
      )}
    </>
  );
}

/** What a screen reader is told of a request on screen. */
const announcementOf = (request: Request) =>
  request.awaitingCustomer
    ? `${request.staffName} from Tidy Tails asks to view ${scopeInHerWords(request.scope)}, read-only. Reason: ${request.reason}. Allow or decline below.`
    : requestOutcome(request);

function AccessRequestCard({ request, onDismiss }: { request: Request; onDismiss(): void }) {
  const [approval, approve] = useMutation(ApproveAccessRequestMutation);
  const [decline, declineRequest] = useMutation(DeclineAccessRequestMutation);
  const [allowed, setAllowed] = useState(() => allowedFrom(request.scope));
  const sections = allowedSections(allowed);
  const busy = approval.fetching || decline.fetching;
  return (
    <div
      className={request.awaitingCustomer ? 'notice notice--info access-request' : 'notice access-request'}
      data-testid="access-request"
      data-state={request.state}
    >
      <p>
        <strong>{request.staffName} from Tidy Tails asks to view your account</strong>, read-only.
        <br />
        <span data-testid="access-request-scope">They ask to see: {scopeInHerWords(request.scope)}</span>
        <br />
        Reason: {request.reason}
      </p>
      {request.awaitingCustomer ? (
        <>
          <p className="muted small">
            Answer by {formatDateTime(request.expiresAt)}. If you allow it, staff may view your account for the time you
            choose, and only the parts you allow; you can withdraw it in Settings at any time.
          </p>
          <AllowedSectionsFields choice={allowed} onChange={setAllowed} legend="Allow them to see" />
          <div className="access-request__actions">
            {GRANT_OPTIONS.map((option) => (
              <MutatingButton
                key={option.duration}
                className="button button--primary button--small"
                disabled={busy || !sections}
                data-testid={`allow-${option.duration}`}
                onClick={() => void approve({ requestId: request.id, duration: option.duration, sections })}
              >
                Allow for {option.label}
              </MutatingButton>
            ))}
            <MutatingButton
              className="button button--secondary button--small"
              disabled={busy}
              data-testid="decline-request"
              onClick={() => void declineRequest({ requestId: request.id })}
            >
              Decline
            </MutatingButton>
          </div>
          <FormError error={approval.error ?? decline.error} />
        </>
      ) : (
        <div className="access-request__actions">
          <span data-testid="access-request-outcome">{requestOutcome(request)}</span>
          <button type="button" className="button button--ghost button--small" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
