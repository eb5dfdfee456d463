// The summary above a session's timeline (the audit log filtered by session id): who viewed whom,
// why (reason, ticket linked to the help desk, scope in the banner's words), when, how it ended and
// by whom (as the session record has it), the pages viewed with what they showed, the refused
// attempts and, apart from them, the incidents of hidden staff-view marks. Times in local time.
import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { formatTimestamp } from '../../format.ts';
import { QueryState } from '../../ui/feedback.tsx';
import { StatusPill } from '../../ui/StatusPill.tsx';
import { scopeSummary } from '../../staffViewScope.ts';
import { TicketRef } from '../TicketField.tsx';
import { localizeTimes } from './events.ts';
import { howItEnded } from './sessionWords.ts';

const AuditSessionQuery = graphql(`
  query AuditSession($id: ID!) {
    auditSession(id: $id) {
      id
      state
      reason
      ticket
      ticketUrl
      scope
      scopeNeed
      startedAt
      expiresAt
      extendedAt
      endedAt
      endReason
      endedByName
      approvedByName
      staffName
      customerName
      deniedAttempts
      partialAttempts
      tamperIncidents
      pagesViewed {
        page
        views
        records {
          type
          count
        }
      }
    }
  }
`);

/** "Invoice" -> "invoices" for the counts under a page. */
const recordNoun = (type: string, count: number) => {
  const words = type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${count} ${count === 1 ? words : `${words}s`}`;
};

/** The portal records a page showed; the customer's own profile record is on every page. */
const shownRecords = (records: readonly { type: string; count: number }[]) =>
  records.filter((r) => r.type !== 'Customer');

export function SessionSummary({ id }: { id: string }) {
  const [result] = useQuery({ query: AuditSessionQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  return (
    <section className="card session-summary" aria-labelledby="session-summary-title" data-testid="session-summary">
      <h2 className="card__title" id="session-summary-title">
        Staff view summary
      </h2>
      <QueryState result={result}>
        {({ auditSession: s }) =>
          s ? (
            <>
              <dl className="facts facts--wide">
                <div>
                  <dt>Staff</dt>
                  <dd>{s.staffName}</dd>
                </div>
                <div>
                  <dt>Customer</dt>
                  <dd>{s.customerName}</dd>
                </div>
                <div>
                  <dt>How it ended</dt>
                  <dd>
                    <StatusPill value={s.state} label={howItEnded(s)} />
                  </dd>
                </div>
                <div>
                  <dt>Reason</dt>
                  <dd>{s.reason}</dd>
                </div>
                <div>
                  <dt>Ticket</dt>
                  <dd data-testid="summary-ticket">
                    {s.ticket ? <TicketRef ticket={s.ticket} url={s.ticketUrl} /> : 'None'}
                  </dd>
                </div>
                <div>
                  <dt>Scope</dt>
                  <dd data-testid="summary-scope">
                    {scopeSummary(s.scope)}
                    {s.scopeNeed && <span className="muted small block">Why the whole portal: {s.scopeNeed}</span>}
                  </dd>
                </div>
                {s.approvedByName && (
                  <div>
                    <dt>Approved by</dt>
                    <dd data-testid="approved-by">{s.approvedByName} (second manager)</dd>
                  </div>
                )}
                <div>
                  <dt>Started</dt>
                  <dd>{formatTimestamp(s.startedAt)}</dd>
                </div>
                <div>
                  <dt>{s.endedAt ? 'Ended' : 'Expires'}</dt>
                  <dd>
                    {formatTimestamp(s.endedAt ?? s.expiresAt)}
                    {s.extendedAt && <span className="muted small"> (extended {formatTimestamp(s.extendedAt)})</span>}
                  </dd>
                </div>
                {s.endReason && (
                  <div>
                    <dt>End reason</dt>
                    <dd>{localizeTimes(s.endReason)}</dd>
                  </div>
                )}
                <div>
                  <dt>Refused attempts</dt>
                  <dd>
                    {s.deniedAttempts > 0 ? (
                      <StatusPill value="DENIED" label={`${s.deniedAttempts} refused`} />
                    ) : (
                      'None'
                    )}
                    {s.partialAttempts > 0 && (
                      <span className="muted small"> · {s.partialAttempts} served in part</span>
                    )}
                  </dd>
                </div>
                <div>
                  <dt>Hidden marks</dt>
                  <dd data-testid="tamper-incidents">
                    {s.tamperIncidents > 0 ? (
                      <StatusPill
                        value="DENIED"
                        label={`${s.tamperIncidents} ${s.tamperIncidents === 1 ? 'incident' : 'incidents'}`}
                      />
                    ) : (
                      'None'
                    )}
                  </dd>
                </div>
                <div className="facts__full">
                  <dt>Pages viewed</dt>
                  <dd>
                    {s.pagesViewed.length === 0 ? (
                      'No page'
                    ) : (
                      <ul className="page-views">
                        {s.pagesViewed.map((view) => (
                          <li key={view.page}>
                            <strong>{view.page}</strong>{' '}
                            <span className="muted">
                              {view.views === 1 ? 'once' : `${view.views} times`}
                              {shownRecords(view.records).length > 0 &&
                                ` · ${shownRecords(view.records)
                                  .map((r) => recordNoun(r.type, r.count))
                                  .join(', ')}`}
                            </span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </dd>
                </div>
              </dl>
            </>
          ) : (
            <p className="muted">No session with this id.</p>
          )
        }
      </QueryState>
    </section>
  );
}
