// Shown in the admin app right after a staff view ended: why, from the session's own record
// (state, reason, who ended it), with what the portal saw as a first answer while it loads. If the
// record says the session is still running (the portal lost it without an end being recorded),
// the staff member can end it here rather than leave it open. Focus moves here when it shows.
import { useEffect, useRef } from 'react';
import { useMutation, useQuery } from 'urql';
import type { StaffViewEnding } from '../auth/session.tsx';
import { graphql } from '../gql/gql.ts';
import { Link } from '../router.tsx';
import { FormError } from '../ui/feedback.tsx';
import { describeEnding } from './endings.ts';

const EndedStaffViewQuery = graphql(`
  query EndedStaffView($id: ID!) {
    impersonationSession(id: $id) {
      id
      state
      endReason
      customerWords
      endedAt
      endedBy {
        id
        name
      }
      customer {
        id
        name
      }
    }
  }
`);

const EndLeftoverStaffViewMutation = graphql(`
  mutation EndLeftoverStaffView($sessionId: ID!) {
    endImpersonation(sessionId: $sessionId) {
      id
      state
      endReason
    }
  }
`);

export function StaffViewEnded({ ending, onDismiss }: { ending: StaffViewEnding; onDismiss(): void }) {
  const [result] = useQuery({
    query: EndedStaffViewQuery,
    variables: { id: ending.sessionId },
    requestPolicy: 'network-only',
  });
  const [endResult, end] = useMutation(EndLeftoverStaffViewMutation);
  const record = result.data?.impersonationSession;
  const stillActive = record?.state === 'ACTIVE';
  const { title, detail } = describeEnding(
    record && !stillActive
      ? {
          state: record.state,
          reason: record.endReason ?? null,
          endedBy: record.endedBy?.name,
          customerName: record.customer.name,
          customerWords: record.customerWords,
        }
      : { state: ending.state, reason: ending.reason, customerName: record?.customer.name },
  );
  // Focus lands here (the portal it was in is gone). A forced end interrupts a screen reader; the
  // staff member's own End is read politely.
  const notice = useRef<HTMLDivElement>(null);
  useEffect(() => notice.current?.focus(), []);
  const forced = ending.state !== 'ENDED';
  return (
    <div
      className="notice notice--warning session-ended"
      role={forced ? 'alert' : 'status'}
      tabIndex={-1}
      ref={notice}
      data-testid="session-ended"
    >
      <div>
        <strong>{title}</strong>
        <p>{detail} No customer data is shown any more.</p>
        {stillActive && <p>The session is still open on the server. End it so it does not run on unused.</p>}
        <FormError error={endResult.error} />
      </div>
      <div className="session-ended__actions">
        {stillActive && (
          <button
            type="button"
            className="button button--primary button--small"
            onClick={() => void end({ sessionId: ending.sessionId })}
            disabled={endResult.fetching}
          >
            End the session
          </button>
        )}
        <Link
          className="button button--secondary button--small"
          href={`/admin/audit?sessionId=${encodeURIComponent(ending.sessionId)}`}
        >
          View audit trail
        </Link>
        <button type="button" className="button button--ghost button--small" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}
