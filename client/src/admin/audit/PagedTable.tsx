// A table read one cursor page at a time: the headings once, then one body per page read so far,
// so "Load more" appends rows without refetching or moving the ones on screen. The audit events and
// the staff-view summaries both list this way.
import { Fragment, useState, type ReactNode } from 'react';

/** What each page body is given: its cursor, where it stands, and how to ask for the next. */
export interface PageSlot {
  after: string | null;
  isFirst: boolean;
  isLast: boolean;
  onLoadMore(next: string): void;
}

export function PagedTable({
  label,
  testId,
  className,
  headings,
  renderPage,
}: {
  label: string;
  testId: string;
  /** Another class on the table (its column widths). */
  className?: string;
  /** Column headings; a heading given as `{ hidden }` is read by screen readers only. */
  headings: (string | { hidden: string })[];
  renderPage(slot: PageSlot): ReactNode;
}) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <div className="card card--flush">
      <div className="table-wrap">
        <table
          className={`table audit-table${className ? ` ${className}` : ''}`}
          data-testid={testId}
          aria-label={label}
        >
          <thead>
            <tr>
              {headings.map((heading) =>
                typeof heading === 'string' ? (
                  <th scope="col" key={heading}>
                    {heading}
                  </th>
                ) : (
                  <th scope="col" key={heading.hidden}>
                    <span className="visually-hidden">{heading.hidden}</span>
                  </th>
                ),
              )}
            </tr>
          </thead>
          {cursors.map((after, index) => (
            <Fragment key={after ?? 'first'}>
              {renderPage({
                after,
                isFirst: index === 0,
                isLast: index === cursors.length - 1,
                onLoadMore: (next) => setCursors([...cursors, next]),
              })}
            </Fragment>
          ))}
        </table>
      </div>
    </div>
  );
}
