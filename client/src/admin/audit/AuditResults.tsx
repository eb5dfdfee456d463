// The audit events table: the headings once, then one body per cursor read so far, so loading older
// events never refetches or moves the rows already on screen.
import { useState } from 'react';
import type { AuditEventFilter } from '../../gql/graphql.ts';
import { AuditEventRows } from './AuditEventRows.tsx';

/** Pages are rendered one after another, each from its own cursor: "Load older events" appends one. */
export function AuditResults({ filter }: { filter: AuditEventFilter }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <div className="card card--flush">
      <div className="table-wrap">
        <table className="table audit-table" data-testid="audit-table" aria-label="Audit events">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">Outcome</th>
              <th scope="col">Staff</th>
              <th scope="col">Customer</th>
              <th scope="col">Detail</th>
              <th scope="col">
                <span className="visually-hidden">More</span>
              </th>
            </tr>
          </thead>
          {cursors.map((after, index) => (
            <AuditEventRows
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
