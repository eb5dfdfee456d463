// The audit log browser: every filter of the auditEvents query, kept in the URL so a link (such as
// the staff banner's Audit button) opens a filtered view; cursor pagination, newest first; and a
// session's full timeline with its summary.
import { Fragment, useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../gql/gql.ts';
import type { AuditAction, AuditEventFilter, AuditLogQuery as AuditLogData, AuditOutcome } from '../gql/graphql.ts';
import { formatDateTime, formatTimestamp, humanize } from '../format.ts';
import { navigate, useLocation } from '../router.tsx';
import { dateInputValue, timeInputValue } from '../portal/dates.ts';
import { EmptyState, ErrorNotice, Loading, QueryState } from '../ui/feedback.tsx';
import { Field } from '../ui/Field.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { StatusPill } from '../ui/StatusPill.tsx';

const AuditFilterOptionsQuery = graphql(`
  query AuditFilterOptions {
    staffMembers {
      id
      name
      role
    }
    customers {
      id
      name
    }
  }
`);

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

const AuditSessionQuery = graphql(`
  query AuditSession($id: ID!) {
    impersonationSession(id: $id) {
      id
      state
      reason
      startedAt
      expiresAt
      extendedAt
      endedAt
      endReason
      endedBy {
        id
        name
      }
      staff {
        id
        name
      }
      customer {
        id
        name
        email
      }
    }
  }
`);

type AuditEvent = AuditLogData['auditEvents']['edges'][number]['node'];

const PAGE_SIZE = 50;
const ACTIONS: AuditAction[] = [
  'SESSION_STARTED',
  'SESSION_EXTENDED',
  'SESSION_ENDED',
  'SESSION_EXPIRED',
  'SESSION_TERMINATED',
  'SESSION_REVOKED',
  'OPERATION',
];
const OUTCOMES: AuditOutcome[] = ['ALLOWED', 'DENIED'];
const FILTER_KEYS = ['sessionId', 'staffId', 'customerId', 'action', 'outcome', 'from', 'to'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];
type FilterValues = Record<FilterKey, string>;

const actionLabel = (action: AuditAction) => humanize(action);

function filterFromQuery(query: URLSearchParams): FilterValues {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, query.get(k) ?? ''])) as FilterValues;
}

function toApiFilter(values: FilterValues): AuditEventFilter {
  return {
    sessionId: values.sessionId || null,
    staffId: values.staffId || null,
    customerId: values.customerId || null,
    action: (values.action || null) as AuditAction | null,
    outcome: (values.outcome || null) as AuditOutcome | null,
    from: values.from || null,
    to: values.to || null,
  };
}

/** ISO instant <-> value of an input[type=datetime-local] (local time). */
const toLocalInput = (iso: string) => (iso ? `${dateInputValue(new Date(iso))}T${timeInputValue(new Date(iso))}` : '');
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : '');

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

function AuditFilters({ applied }: { applied: FilterValues }) {
  const [values, setValues] = useState<FilterValues>({
    ...applied,
    from: toLocalInput(applied.from),
    to: toLocalInput(applied.to),
  });
  const [options] = useQuery({ query: AuditFilterOptionsQuery });
  const set = (key: FilterKey) => (event: { target: { value: string } }) =>
    setValues({ ...values, [key]: event.target.value });

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const k of FILTER_KEYS) {
      const value = k === 'from' || k === 'to' ? fromLocalInput(values[k]) : values[k].trim();
      if (value) params.set(k, value);
    }
    const search = params.toString();
    navigate(`/admin/audit${search ? `?${search}` : ''}`);
  };

  return (
    <form className="card filters" onSubmit={apply} aria-label="Audit filters">
      <div className="filters__grid">
        <Field label="Staff member">
          <select className="input" value={values.staffId} onChange={set('staffId')}>
            <option value="">Anyone</option>
            {options.data?.staffMembers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Customer">
          <select className="input" value={values.customerId} onChange={set('customerId')}>
            <option value="">Any customer</option>
            {options.data?.customers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Action">
          <select className="input" value={values.action} onChange={set('action')}>
            <option value="">Any action</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel(a)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Outcome">
          <select className="input" value={values.outcome} onChange={set('outcome')}>
            <option value="">Any outcome</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {humanize(o)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="From">
          <input className="input" type="datetime-local" value={values.from} onChange={set('from')} />
        </Field>
        <Field label="To (exclusive)">
          <input className="input" type="datetime-local" value={values.to} onChange={set('to')} />
        </Field>
        <Field label="Session id" className="filters__session">
          <input
            className="input mono"
            value={values.sessionId}
            onChange={set('sessionId')}
            placeholder="Any session"
            spellCheck={false}
          />
        </Field>
      </div>
      <div className="form-actions">
        <button type="button" className="button button--ghost" onClick={() => navigate('/admin/audit')}>
          Clear filters
        </button>
        <button type="submit" className="button button--primary">
          Apply filters
        </button>
      </div>
    </form>
  );
}

function SessionSummary({ id }: { id: string }) {
  const [result] = useQuery({ query: AuditSessionQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  return (
    <section className="card session-summary" aria-labelledby="session-summary-title">
      <h2 className="card__title" id="session-summary-title">
        Session timeline
      </h2>
      <QueryState result={result}>
        {({ impersonationSession: s }) =>
          s ? (
            <dl className="facts facts--wide">
              <div>
                <dt>Staff</dt>
                <dd>{s.staff.name}</dd>
              </div>
              <div>
                <dt>Customer</dt>
                <dd>
                  {s.customer.name} <span className="muted small">{s.customer.email}</span>
                </dd>
              </div>
              <div>
                <dt>State</dt>
                <dd>
                  <StatusPill value={s.state} />
                </dd>
              </div>
              <div>
                <dt>Reason</dt>
                <dd>{s.reason}</dd>
              </div>
              <div>
                <dt>Started</dt>
                <dd>{formatTimestamp(s.startedAt)}</dd>
              </div>
              <div>
                <dt>{s.endedAt ? 'Ended' : 'Expires'}</dt>
                <dd>
                  {formatTimestamp(s.endedAt ?? s.expiresAt)}
                  {s.extendedAt && <span className="muted small"> (extended {formatDateTime(s.extendedAt)})</span>}
                </dd>
              </div>
              {s.endReason && (
                <div>
                  <dt>End reason</dt>
                  <dd>
                    {s.endReason}
                    {s.endedBy && <span className="muted small"> by {s.endedBy.name}</span>}
                  </dd>
                </div>
              )}
            </dl>
          ) : (
            <p className="muted">No session with this id.</p>
          )
        }
      </QueryState>
    </section>
  );
}

/** Pages are rendered one after another, each from its own cursor: "Load more" appends one. */
function AuditResults({ filter }: { filter: AuditEventFilter }) {
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
            <AuditPage
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

function AuditPage({
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
      {page.edges.map(({ node }) => (
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

function AuditRow({
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
        <span className="audit-action">{actionLabel(e.action)}</span>
        {e.action === 'OPERATION' && (
          <span className="mono small block">
            {e.operationType} {e.operationName ?? '(anonymous)'}
            {e.rootFields.length > 0 && <span className="muted"> · {e.rootFields.join(', ')}</span>}
          </span>
        )}
      </td>
      <td>
        <StatusPill value={e.outcome} />
      </td>
      <td>{e.staffName ?? '—'}</td>
      <td>{e.customerName ?? '—'}</td>
      <td className="reason-cell">
        {e.errorCode && <span className="mono small block">{e.errorCode}</span>}
        {e.reason}
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

function AuditDetails({ event: e }: { event: AuditEvent }) {
  return (
    <tr className="audit-details" id={`audit-details-${e.id}`}>
      <td colSpan={7}>
        <dl className="facts facts--wide">
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
