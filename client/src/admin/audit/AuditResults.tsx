// The audit events table: the headings once, then one body per cursor read so far, so loading older
// events never refetches or moves the rows already on screen.
import type { AuditEventFilter } from '../../gql/graphql.ts';
import { AuditEventRows } from './AuditEventRows.tsx';
import { PagedTable } from './PagedTable.tsx';

/** Pages are rendered one after another, each from its own cursor: "Load older events" appends one. */
export function AuditResults({ filter }: { filter: AuditEventFilter }) {
  return (
    <PagedTable
      label="Audit events"
      testId="audit-table"
      headings={['Time', 'Event', 'Outcome', 'Staff', 'Customer', 'Detail', { hidden: 'More' }]}
      renderPage={(slot) => <AuditEventRows filter={filter} {...slot} />}
    />
  );
}
