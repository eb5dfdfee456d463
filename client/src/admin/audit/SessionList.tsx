// Staff views as summaries, newest first: who viewed whom and why, when, how it ended, the pages
// viewed and the refused attempts; each opens its timeline. Filtered by staff, customer, outcome
// and time as the URL says.
import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { AuditSessionFilter } from '../../gql/graphql.ts';
import { formatTimestamp } from '../../format.ts';
import { navigate } from '../../router.tsx';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback.tsx';
import { StatusPill } from '../../ui/StatusPill.tsx';
import { PagedTable } from './PagedTable.tsx';
import { howItEnded, pagesText } from './sessionWords.ts';

const AuditSessionsQuery = graphql(`
  query AuditSessions($filter: AuditSessionFilter, $first: Int, $after: String) {
    auditSessions(filter: $filter, first: $first, after: $after) {
      edges {
        node {
          id
          staffName
          customerName
          reason
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
const COLUMNS = 9;

export function SessionList({ filter }: { filter: AuditSessionFilter }) {
  return (
    <PagedTable
      label="Staff views"
      testId="audit-sessions"
      headings={[
        'Staff',
        'Customer',
        'Reason',
        'Started',
        'Ended',
        'How it ended',
        'Pages viewed',
        'Refused',
        { hidden: 'Timeline' },
      ]}
      renderPage={(slot) => <SessionRows filter={filter} {...slot} />}
    />
  );
}

function SessionRows(props: {
  filter: AuditSessionFilter;
  after: string | null;
  isFirst: boolean;
  isLast: boolean;
  onLoadMore(cursor: string): void;
}) {
  const [result] = useQuery({
    query: AuditSessionsQuery,
    variables: { filter: props.filter, first: PAGE_SIZE, after: props.after },
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
            {s.staffName}
            {s.approvedByName && <span className="muted small block">approved by {s.approvedByName}</span>}
          </td>
          <td>{s.customerName}</td>
          <td className="reason-cell">{s.reason}</td>
          <td className="nowrap">{formatTimestamp(s.startedAt)}</td>
          <td className="nowrap">{s.endedAt ? formatTimestamp(s.endedAt) : '—'}</td>
          <td>
            <StatusPill value={s.state} label={howItEnded(s)} />
          </td>
          <td>{pagesText(s.pagesViewed)}</td>
          <td>
            {s.deniedAttempts > 0 ? (
              <StatusPill value="DENIED" label={`${s.deniedAttempts} refused`} />
            ) : (
              <span className="muted">None</span>
            )}
            {s.partialAttempts > 0 && <span className="muted small block">{s.partialAttempts} in part</span>}
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
