// The summary above a session's timeline (the audit log filtered by session id): who viewed whom,
// why, and how the session ended, as the session record has it, not as the events suggest.
import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { formatDateTime, formatTimestamp } from '../../format.ts';
import { QueryState } from '../../ui/feedback.tsx';
import { StatusPill } from '../../ui/StatusPill.tsx';

const AuditSessionQuery = graphql(`
  query AuditSession($id: ID!) {
    impersonationSession(id: $id) {
      id
      state
      reason
      startedAt
      expiresAt
      extendedAt
      endedAt
      endReason
      endedBy {
        id
        name
      }
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
  }
`);

export function SessionSummary({ id }: { id: string }) {
  const [result] = useQuery({ query: AuditSessionQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  return (
    <section className="card session-summary" aria-labelledby="session-summary-title">
      <h2 className="card__title" id="session-summary-title">
        Session timeline
      </h2>
      <QueryState result={result}>
        {({ impersonationSession: s }) =>
          s ? (
            <dl className="facts facts--wide">
              <div>
                <dt>Staff</dt>
                <dd>{s.staff.name}</dd>
              </div>
              <div>
                <dt>Customer</dt>
                <dd>
                  {s.customer.name} <span className="muted small">{s.customer.email}</span>
                </dd>
              </div>
              <div>
                <dt>State</dt>
                <dd>
                  <StatusPill value={s.state} />
                </dd>
              </div>
              <div>
                <dt>Reason</dt>
                <dd>{s.reason}</dd>
              </div>
              <div>
                <dt>Started</dt>
                <dd>{formatTimestamp(s.startedAt)}</dd>
              </div>
              <div>
                <dt>{s.endedAt ? 'Ended' : 'Expires'}</dt>
                <dd>
                  {formatTimestamp(s.endedAt ?? s.expiresAt)}
                  {s.extendedAt && <span className="muted small"> (extended {formatDateTime(s.extendedAt)})</span>}
                </dd>
              </div>
              {s.endReason && (
                <div>
                  <dt>End reason</dt>
                  <dd>
                    {s.endReason}
                    {s.endedBy && <span className="muted small"> by {s.endedBy.name}</span>}
                  </dd>
                </div>
              )}
            </dl>
          ) : (
            <p className="muted">No session with this id.</p>
          )
        }
      </QueryState>
    </section>
  );
}
