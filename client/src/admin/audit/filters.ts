// The audit filters in their three forms: URL query (so links open a filtered view), form
// values, and the API's AuditEventFilter / AuditSessionFilter. Every filter of the auditEvents query
// has a key here.
import type {
  AuditAction,
  AuditEventFilter,
  AuditOutcome,
  AuditPeriod,
  AuditSessionFilter,
  PortalSection,
} from '../../gql/graphql.ts';
import { dateInputValue, timeInputValue } from '../../portal/dates.ts';

/**
 * `view` is not a filter of the API: "events" lists every record, otherwise sessions are summarised.
 * `period` is a date preset the server reads in the salon's calendar (TODAY, LAST_7_DAYS,
 * LAST_MONTH); from/to are the custom range. `section`, `scope` and `alerted` filter staff views.
 */
export const FILTER_KEYS = [
  'sessionId',
  'staffId',
  'customerId',
  'action',
  'outcome',
  'period',
  'from',
  'to',
  'section',
  'scope',
  'alerted',
  'ticket',
  'view',
] as const;
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
    ...range(values),
    ticket: values.ticket || null,
  };
}

/** A preset, else the custom range: the server refuses both at once. */
const range = (values: FilterValues) =>
  values.period
    ? { period: values.period as AuditPeriod, from: null, to: null }
    : { period: null, from: values.from || null, to: values.to || null };

/** The filters that apply to whole sessions (action and session id do not). */
export function toSessionFilter(values: FilterValues): AuditSessionFilter {
  return {
    staffId: values.staffId || null,
    customerId: values.customerId || null,
    outcome: (values.outcome || null) as AuditOutcome | null,
    ...range(values),
    section: (values.section || null) as PortalSection | null,
    scope: (values.scope || null) as PortalSection | null,
    alerted: values.alerted === 'yes' ? true : values.alerted === 'no' ? false : null,
    ticket: values.ticket || null,
  };
}

/** The audit page's URL for these filters (empty ones left out). */
export function auditHref(values: Partial<FilterValues>): string {
  const params = new URLSearchParams();
  for (const k of FILTER_KEYS) if (values[k]) params.set(k, values[k]);
  const search = params.toString();
  return `/admin/audit${search ? `?${search}` : ''}`;
}

/** The presets, as the filter bar offers them (read in the salon's calendar by the server). */
export const PERIODS: { value: AuditPeriod; label: string }[] = [
  { value: 'TODAY' as AuditPeriod, label: 'Today' },
  { value: 'LAST_7_DAYS' as AuditPeriod, label: 'Last 7 days' },
  { value: 'LAST_MONTH' as AuditPeriod, label: 'Last month' },
];

/** ISO instant <-> value of an input[type=datetime-local] (local time). */
export const toLocalInput = (iso: string) =>
  iso ? `${dateInputValue(new Date(iso))}T${timeInputValue(new Date(iso))}` : '';
export const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : '');
