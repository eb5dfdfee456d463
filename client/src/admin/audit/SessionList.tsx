// Staff views as summaries, newest first: who viewed whom and why (reason, ticket, scope), when and
// how it ended, the pages viewed named by what they showed, the refused attempts and alerts; each
// opens its timeline. Six columns that wrap, so the table fits 1280 px. A page viewed is a button
// that narrows the list to that customer and section: "who viewed Chloe's billing last week and
// why" is the "Last 7 days" preset, then "Billing" in her row.
import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { SECTION_LABELS, SECTIONS, scopeSummary } from '../../staffViewScope.ts';
import { formatTimestamp } from '../../format.ts';
import { navigate } from '../../router.tsx';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback.tsx';
import { StatusPill } from '../../ui/StatusPill.tsx';
import { PagedTable } from './PagedTable.tsx';
import { auditHref, toSessionFilter, type FilterValues } from './filters.ts';
import { howItEnded } from './sessionWords.ts';

const AuditSessionsQuery = graphql(`
  query AuditSessions($filter: AuditSessionFilter, $first: Int, $after: String) {
    auditSessions(filter: $filter, first: $first, after: $after) {
      edges {
        node {
          id
          staffName
          customerId
          customerName
          reason
          ticket
          scope
          alertCount
          startedAt
          endedAt
          state
          endedByName
          approvedByName
          deniedAttempts
          partialAttempts
          pagesViewed {
            page
            views
            shown
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const PAGE_SIZE = 20;
const COLUMNS = 6;

/** The section a page of the portal belongs to (Home belongs to none). */
const sectionOfPage = (page: string) => SECTIONS.find((section) => SECTION_LABELS[section] === page) ?? null;

export function SessionList({ applied }: { applied: FilterValues }) {
  return (
    <PagedTable
      label="Staff views"
      testId="audit-sessions"
      className="audit-sessions"
      headings={['Staff view', 'Why', 'When', 'Pages viewed', 'Refused and alerts', { hidden: 'Timeline' }]}
      renderPage={(slot) => <SessionRows applied={applied} {...slot} />}
    />
  );
}

function SessionRows(props: {
  applied: FilterValues;
  after: string | null;
  isFirst: boolean;
  isLast: boolean;
  onLoadMore(cursor: string): void;
}) {
  const [result] = useQuery({
    query: AuditSessionsQuery,
    variables: { filter: toSessionFilter(props.applied), first: PAGE_SIZE, after: props.after },
    requestPolicy: 'cache-and-network',
  });
  const page = result.data?.auditSessions;
  if (!page) {
    return (
      <tbody>
        <tr>
          <td colSpan={COLUMNS}>
            {result.error ? (
              <ErrorNotice error={result.error} title="Could not load the staff views" />
            ) : (
              <Loading label="Loading staff views…" />
            )}
          </td>
        </tr>
      </tbody>
    );
  }
  return (
    <tbody>
      {props.isFirst && page.edges.length === 0 && (
        <tr>
          <td colSpan={COLUMNS}>
            <EmptyState title="No staff views match these filters" />
          </td>
        </tr>
      )}
      {page.edges.map(({ node: s }) => (
        <tr key={s.id} className="audit-row" data-session-id={s.id}>
          <td>
            <strong>{s.staffName}</strong>
            <span className="block">viewed {s.customerName}</span>
            {s.approvedByName && <span className="muted small block">approved by {s.approvedByName}</span>}
          </td>
          <td className="reason-cell">
            {s.reason}
            {s.ticket && <span className="muted small block mono">Ticket {s.ticket}</span>}
            <span className="muted small block">{scopeSummary(s.scope)}</span>
          </td>
          <td>
            <span className="block">{formatTimestamp(s.startedAt)}</span>
            <span className="muted small block">{s.endedAt ? `to ${formatTimestamp(s.endedAt)}` : ''}</span>
            <StatusPill value={s.state} label={howItEnded(s)} />
          </td>
          <td>
            {s.pagesViewed.length === 0 ? (
              <span className="muted">No page</span>
            ) : (
              <ul className="page-chips">
                {s.pagesViewed.map((view) => {
                  const section = sectionOfPage(view.page);
                  const words = `${view.page}${view.views > 1 ? ` ×${view.views}` : ''}`;
                  return (
                    <li key={view.page}>
                      {section ? (
                        <button
                          type="button"
                          className="link-button"
                          title={`Only ${s.customerName}’s views of ${view.page}`}
                          onClick={() => navigate(auditHref({ ...props.applied, customerId: s.customerId, section }))}
                        >
                          {words}
                        </button>
                      ) : (
                        <strong>{words}</strong>
                      )}
                      {view.shown && <span className="muted small"> · {view.shown}</span>}
                    </li>
                  );
                })}
              </ul>
            )}
          </td>
          <td>
            {s.deniedAttempts > 0 ? (
              <StatusPill value="DENIED" label={`${s.deniedAttempts} refused`} />
            ) : (
              <span className="muted">None refused</span>
            )}
            {s.partialAttempts > 0 && <span className="muted small block">{s.partialAttempts} in part</span>}
            {s.alertCount > 0 && (
              <span className="block">
                <StatusPill
                  value="DENIED"
                  tone="warning"
                  label={`${s.alertCount} ${s.alertCount === 1 ? 'alert' : 'alerts'}`}
                />
              </span>
            )}
          </td>
          <td>
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => navigate(`/admin/audit?sessionId=${encodeURIComponent(s.id)}`)}
            >
              Timeline
            </button>
          </td>
        </tr>
      ))}
      {props.isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor && (
        <tr className="load-more-row">
          <td colSpan={COLUMNS}>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => props.onLoadMore(page.pageInfo.endCursor!)}
            >
              Load older staff views
            </button>
          </td>
        </tr>
      )}
    </tbody>
  );
}
