// One audit event as a table row: local time, what happened by portal page ("Viewed Billing",
// "Refused: change on Appointments"; the operation itself is in the details). Denied events stand
// out, and an event from another session links to that session's timeline so an investigation can
// follow a staff member across sessions.
import { formatTimestamp } from '../../format.ts';
import { navigate } from '../../router.tsx';
import { StatusPill } from '../../ui/StatusPill.tsx';
import { eventLabel, localizeTimes, type AuditEvent } from './events.ts';

export function AuditRow({
  event: e,
  sessionFilter,
  open,
  onToggle,
}: {
  event: AuditEvent;
  sessionFilter: string | null;
  open: boolean;
  onToggle(): void;
}) {
  const detailsId = `audit-details-${e.id}`;
  return (
    <tr className={e.outcome === 'DENIED' ? 'audit-row audit-row--denied' : 'audit-row'}>
      <td className="nowrap">{formatTimestamp(e.createdAt)}</td>
      <td>
        <span className="audit-action">{eventLabel(e)}</span>
      </td>
      <td>
        <StatusPill value={e.outcome} tone={e.outcome === 'PARTIAL' ? 'warning' : undefined} />
      </td>
      <td>{e.staffName ?? '—'}</td>
      <td>{e.customerName ?? '—'}</td>
      <td className="reason-cell">
        {e.errorCode && <span className="mono small block">{e.errorCode}</span>}
        {e.reason && localizeTimes(e.reason)}
        {e.sessionId && e.sessionId !== sessionFilter && (
          <button
            type="button"
            className="link-button small block"
            onClick={() => navigate(`/admin/audit?sessionId=${encodeURIComponent(e.sessionId!)}`)}
          >
            Session timeline
          </button>
        )}
      </td>
      <td>
        <button
          type="button"
          className="button button--ghost button--small"
          aria-expanded={open}
          aria-controls={detailsId}
          onClick={onToggle}
        >
          {open ? 'Hide' : 'Details'}
        </button>
      </td>
    </tr>
  );
}
