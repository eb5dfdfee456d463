// The audit filters in their three forms: URL query (so links open a filtered view), form
// values, and the API's AuditEventFilter / AuditSessionFilter. Every filter of the auditEvents query
// has a key here.
import type { AuditAction, AuditEventFilter, AuditOutcome, AuditSessionFilter } from '../../gql/graphql.ts';
import { dateInputValue, timeInputValue } from '../../portal/dates.ts';

/** `view` is not a filter of the API: "events" lists every record, otherwise sessions are summarised. */
export const FILTER_KEYS = ['sessionId', 'staffId', 'customerId', 'action', 'outcome', 'from', 'to', 'view'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type FilterValues = Record<FilterKey, string>;

export function filterFromQuery(query: URLSearchParams): FilterValues {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, query.get(k) ?? ''])) as FilterValues;
}

export function toApiFilter(values: FilterValues): AuditEventFilter {
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

/** The filters that apply to whole sessions (action and session id do not). */
export function toSessionFilter(values: FilterValues): AuditSessionFilter {
  return {
    staffId: values.staffId || null,
    customerId: values.customerId || null,
    outcome: (values.outcome || null) as AuditOutcome | null,
    from: values.from || null,
    to: values.to || null,
  };
}

/** ISO instant <-> value of an input[type=datetime-local] (local time). */
export const toLocalInput = (iso: string) =>
  iso ? `${dateInputValue(new Date(iso))}T${timeInputValue(new Date(iso))}` : '';
export const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : '');
