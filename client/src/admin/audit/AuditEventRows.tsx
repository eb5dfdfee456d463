// One batch of audit events, from one cursor, as a table body: its own loading and error rows,
// the empty state for the first batch, and the "Load older events" button on the last. A header
// query or the staff banner's feed (`headerOnly`) is part of the page view it came with, so it is
// folded into it: each page view is one line (the folded records stay in the export's raw events).
import { Fragment, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { AuditEventFilter } from '../../gql/graphql.ts';
import { EmptyState, ErrorNotice, Loading } from '../../ui/feedback.tsx';
import { AuditDetails } from './AuditDetails.tsx';
import { AuditRow } from './AuditRow.tsx';

const AuditLogQuery = graphql(`
  query AuditLog($filter: AuditEventFilter, $first: Int, $after: String) {
    auditEvents(filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          createdAt
          action
          outcome
          staffId
          staffName
          customerId
          customerName
          sessionId
          page
          shown
          headerOnly
          operationName
          operationType
          rootFields
          variables
          errorCode
          reason
          requestId
          ip
          userAgent
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const PAGE_SIZE = 50;

export function AuditEventRows({
  filter,
  after,
  isFirst,
  isLast,
  onLoadMore,
}: {
  filter: AuditEventFilter;
  after: string | null;
  isFirst: boolean;
  isLast: boolean;
  onLoadMore(cursor: string): void;
}) {
  const [result] = useQuery({
    query: AuditLogQuery,
    variables: { filter, first: PAGE_SIZE, after },
    requestPolicy: 'cache-and-network',
  });
  const [open, setOpen] = useState<string | null>(null);
  const page = result.data?.auditEvents;

  if (!page) {
    return (
      <tbody>
        <tr>
          <td colSpan={7}>
            {result.error ? (
              <ErrorNotice error={result.error} title="Could not load the audit log" />
            ) : (
              <Loading label="Loading events…" />
            )}
          </td>
        </tr>
      </tbody>
    );
  }
  return (
    <tbody>
      {isFirst && page.edges.length === 0 && (
        <tr>
          <td colSpan={7}>
            <EmptyState title="No events match these filters" />
          </td>
        </tr>
      )}
      {page.edges
        .filter(({ node }) => !(node.headerOnly && node.outcome !== 'DENIED'))
        .map(({ node }) => (
          <Fragment key={node.id}>
            <AuditRow
              event={node}
              sessionFilter={filter.sessionId == null ? null : String(filter.sessionId)}
              open={open === node.id}
              onToggle={() => setOpen(open === node.id ? null : node.id)}
            />
            {open === node.id && <AuditDetails event={node} />}
          </Fragment>
        ))}
      {isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor && (
        <tr className="load-more-row">
          <td colSpan={7}>
            <button
              type="button"
              className="button button--secondary"
              onClick={() => onLoadMore(page.pageInfo.endCursor!)}
            >
              Load older events
            </button>
          </td>
        </tr>
      )}
    </tbody>
  );
}
