// The expanded row under an audit event: the operation as the client sent it, the identifiers
// needed to trace it in server logs and the variables as recorded (secrets were redacted before
// they were stored).
import type { AuditEvent } from './events.ts';

export function AuditDetails({ event: e }: { event: AuditEvent }) {
  return (
    <tr className="audit-details" id={`audit-details-${e.id}`}>
      <td colSpan={7}>
        <dl className="facts facts--wide">
          {e.action === 'OPERATION' && (
            <div>
              <dt>Operation</dt>
              <dd className="mono">
                {e.operationType} {e.operationName ?? '(anonymous)'}
                {e.rootFields.length > 0 && <span className="muted"> · {e.rootFields.join(', ')}</span>}
              </dd>
            </div>
          )}
          <div>
            <dt>Event id</dt>
            <dd className="mono">{e.id}</dd>
          </div>
          <div>
            <dt>Session</dt>
            <dd className="mono">{e.sessionId ?? '—'}</dd>
          </div>
          <div>
            <dt>Request</dt>
            <dd className="mono">{e.requestId ?? '—'}</dd>
          </div>
          <div>
            <dt>Client</dt>
            <dd>
              {e.ip ?? '—'} <span className="muted small">{e.userAgent}</span>
            </dd>
          </div>
          <div className="facts__full">
            <dt>Variables (secrets redacted)</dt>
            <dd>
              <pre className="code">{e.variables == null ? '—' : JSON.stringify(e.variables, null, 2)}</pre>
            </dd>
          </div>
        </dl>
      </td>
    </tr>
  );
}
