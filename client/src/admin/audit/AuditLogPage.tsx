// The audit log browser. By default staff views as summaries (who, whom, why, when, how it ended,
// pages viewed, refused attempts); "All events" lists every record; a session id opens that
// session's summary above its timeline. Every filter and the view are in the URL, so a reload or a
// link (such as the staff banner's Audit button) opens the same view; Export downloads it (staff
// views one row each, or the raw events). /admin/audit/report is the monthly staff-access report.
import { Link, useLocation } from '../../router.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { AuditFilters } from './AuditFilters.tsx';
import { AuditResults } from './AuditResults.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { FILTER_KEYS, filterFromQuery, toApiFilter, type FilterValues } from './filters.ts';
import { MonthlyReportPage } from './MonthlyReportPage.tsx';
import { SessionList } from './SessionList.tsx';
import { SessionSummary } from './SessionSummary.tsx';

/** The same filters with another view. */
function viewHref(applied: FilterValues, view: '' | 'events') {
  const params = new URLSearchParams();
  for (const k of FILTER_KEYS) if (k !== 'view' && k !== 'sessionId' && applied[k]) params.set(k, applied[k]);
  if (view) params.set('view', view);
  const search = params.toString();
  return `/admin/audit${search ? `?${search}` : ''}`;
}

export function AuditLogPage() {
  const { path, query } = useLocation();
  if (path === '/admin/audit/report') return <MonthlyReportPage />;
  return <AuditBrowser query={query} />;
}

function AuditBrowser({ query }: { query: URLSearchParams }) {
  const applied = filterFromQuery(query);
  const appliedKey = FILTER_KEYS.map((k) => applied[k]).join('|');
  const view = applied.sessionId ? 'session' : applied.view === 'events' ? 'events' : 'sessions';

  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every staff view and everything done during it, newest first, in your local time. Records cannot be changed."
      />
      <p className="audit-report-link">
        <Link href="/admin/audit/report">Monthly staff-access report</Link>
      </p>
      <AuditFilters key={appliedKey} applied={applied} />
      <div className="audit-toolbar">
        <nav className="audit-views" aria-label="Audit views">
          <Link href={viewHref(applied, '')} aria-current={view === 'sessions' ? 'page' : undefined}>
            Staff views
          </Link>
          <Link href={viewHref(applied, 'events')} aria-current={view === 'events' ? 'page' : undefined}>
            All events
          </Link>
        </nav>
        <ExportButtons applied={applied} sessions={view === 'sessions'} />
      </div>
      {view === 'session' && <SessionSummary id={applied.sessionId} />}
      {view === 'sessions' ? (
        <SessionList key={`sessions-${appliedKey}`} applied={applied} />
      ) : (
        <AuditResults key={`results-${appliedKey}`} filter={toApiFilter(applied)} />
      )}
    </>
  );
}
