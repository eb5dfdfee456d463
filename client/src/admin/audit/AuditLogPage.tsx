// The audit log browser: every filter of the auditEvents query, kept in the URL so a link (such as
// the staff banner's Audit button) opens a filtered view; cursor pagination, newest first; and a
// session's full timeline with its summary.
import { useLocation } from '../../router.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { AuditFilters } from './AuditFilters.tsx';
import { AuditResults } from './AuditResults.tsx';
import { FILTER_KEYS, filterFromQuery, toApiFilter } from './filters.ts';
import { SessionSummary } from './SessionSummary.tsx';

export function AuditLogPage() {
  const { query } = useLocation();
  const applied = filterFromQuery(query);
  const appliedKey = FILTER_KEYS.map((k) => applied[k]).join('|');

  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every staff view and everything done during it, newest first. Records cannot be changed."
      />
      <AuditFilters key={appliedKey} applied={applied} />
      {applied.sessionId && <SessionSummary id={applied.sessionId} />}
      <AuditResults key={`results-${appliedKey}`} filter={toApiFilter(applied)} />
    </>
  );
}
