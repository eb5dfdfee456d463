// Staff views as summaries, newest first: who viewed whom and why, when, how it ended, the pages
// viewed and the refused attempts; each opens its timeline. Filtered by staff, customer, outcome
// and time as the URL says.
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { AuditSessionFilter } from '../../gql/graphql.ts';
import { formatTimestamp } from '../../format.ts';
import { navigate } from '../../router.tsx';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback.tsx';
import { StatusPill } from '../../ui/StatusPill.tsx';
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
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <div className="card card--flush">
      <div className="table-wrap">
        <table className="table audit-table" data-testid="audit-sessions" aria-label="Staff views">
          <thead>
            <tr>
              <th scope="col">Staff</th>
              <th scope="col">Customer</th>
              <th scope="col">Reason</th>
              <th scope="col">Started</th>
              <th scope="col">Ended</th>
              <th scope="col">How it ended</th>
              <th scope="col">Pages viewed</th>
              <th scope="col">Refused</th>
              <th scope="col">
                <span className="visually-hidden">Timeline</span>
              </th>
            </tr>
          </thead>
          {cursors.map((after, index) => (
            <SessionRows
              key={after ?? 'first'}
              filter={filter}
              after={after}
              isFirst={index === 0}
              isLast={index === cursors.length - 1}
              onLoadMore={(next) => setCursors([...cursors, next])}
            />
          ))}
        </table>
      </div>
    </div>
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
          <td>{s.staffName}</td>
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
