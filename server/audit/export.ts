// What the audit export (use-audit-export.ts) sends: its URL's format and filter (the browser's
// filters, filter.ts), and its records as CSV or NDJSON rows with each record's page and people's
// names, read in keyset pages (keyset.ts: newest first, never OFFSET) so that the export of a million
// records never holds more than one page.
import { AuditAction, AuditOutcome, type AuditEvent } from '@prisma/client';
import type { Services } from '../context.ts';
import { TICKET_MAX_LENGTH } from '../impersonation/ticket.ts';
import { auditWhere, type AuditFilter } from './filter.ts';
import { AUDIT_ORDER, auditPageIds } from './keyset.ts';
import { pageAnchorReader, pageOfRecord } from './session-activity.ts';

/** Export formats and their content types. */
export const FORMATS = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
} as const;

/** csv or ndjson. */
export type ExportFormat = keyof typeof FORMATS;

/** The columns of both formats, in order. */
const COLUMNS = [
  'id',
  'createdAt',
  'action',
  'outcome',
  'page',
  'staffId',
  'staffName',
  'customerId',
  'customerName',
  'sessionId',
  'ticket',
  'operationName',
  'operationType',
  'rootFields',
  'errorCode',
  'reason',
  'requestId',
  'ip',
  'userAgent',
  'variables',
  'seen',
  'prevHash',
  'hash',
] as const;

type ExportRow = Record<(typeof COLUMNS)[number], unknown>;

/** An export URL with an unknown format or filter value (answered 400 with its message). */
export class BadExportRequest extends Error {}

/** The format and filter of an export URL; throws BadExportRequest on an unknown value. */
export function parseExportQuery(query: URLSearchParams): { format: ExportFormat; filter: AuditFilter } {
  const format = query.get('format') ?? 'csv';
  if (!(format in FORMATS)) throw new BadExportRequest('format: csv or ndjson');
  const oneOf = <T extends string>(name: string, values: Record<string, T>): T | null => {
    const value = query.get(name);
    if (!value) return null;
    if (!(value in values)) throw new BadExportRequest(`${name}: unknown value`);
    return values[value]!;
  };
  const date = (name: string) => {
    const value = query.get(name);
    if (!value) return null;
    const parsed = new Date(value);
    if (Number.isNaN(parsed.getTime())) throw new BadExportRequest(`${name}: not a date`);
    return parsed;
  };
  return {
    format: format as ExportFormat,
    filter: {
      sessionId: query.get('sessionId'),
      staffId: query.get('staffId'),
      customerId: query.get('customerId'),
      action: oneOf('action', AuditAction),
      outcome: oneOf('outcome', AuditOutcome),
      from: date('from'),
      to: date('to'),
      ticket: query.get('ticket')?.slice(0, TICKET_MAX_LENGTH) ?? null,
    },
  };
}

/** A CSV cell: quoted when needed, and a leading = + - @ defused so a spreadsheet shows it as text. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record as a line of the format. */
export const formatRow: Record<ExportFormat, (row: ExportRow) => string> = {
  csv: (row) => `${COLUMNS.map((column) => csvCell(row[column])).join(',')}\r\n`,
  ndjson: (row) => `${JSON.stringify(row)}\n`,
};

/** What the format sends before the first record. */
export const header: Record<ExportFormat, string> = { csv: `${COLUMNS.join(',')}\r\n`, ndjson: '' };

/** Names by id for the people of one page of records, and the tickets of its sessions. */
async function namesOf(
  services: Pick<Services, 'prisma'>,
  events: AuditEvent[],
): Promise<{ staff: Map<string, string>; customers: Map<string, string>; tickets: Map<string, string | null> }> {
  const ids = (key: 'staffId' | 'customerId' | 'sessionId') => [
    ...new Set(events.flatMap((e) => (e[key] ? [e[key]] : []))),
  ];
  const [staff, customers, sessions] = await Promise.all([
    services.prisma.staff.findMany({ where: { id: { in: ids('staffId') } }, select: { id: true, name: true } }),
    services.prisma.customer.findMany({ where: { id: { in: ids('customerId') } }, select: { id: true, name: true } }),
    services.prisma.impersonationSession.findMany({
      where: { id: { in: ids('sessionId') } },
      select: { id: true, ticket: true },
    }),
  ]);
  return {
    staff: new Map(staff.map((s) => [s.id, s.name])),
    customers: new Map(customers.map((c) => [c.id, c.name])),
    tickets: new Map(sessions.map((s) => [s.id, s.ticket])),
  };
}

/** One page of records as export rows, each with its page and people's names. */
async function exportRows(services: Pick<Services, 'prisma'>, events: AuditEvent[]): Promise<ExportRow[]> {
  const names = await namesOf(services, events);
  // A page-local reader: a header query's page needs its session's page anchors, read once per page.
  const anchors = pageAnchorReader(services.prisma);
  return Promise.all(
    events.map(async (event) => {
      const page = await pageOfRecord(event, anchors);
      return {
        id: String(event.id),
        createdAt: event.createdAt.toISOString(),
        action: event.action,
        outcome: event.outcome,
        page,
        staffId: event.staffId,
        staffName: event.staffId ? (names.staff.get(event.staffId) ?? null) : null,
        customerId: event.customerId,
        customerName: event.customerId ? (names.customers.get(event.customerId) ?? null) : null,
        sessionId: event.sessionId,
        ticket: event.sessionId ? (names.tickets.get(event.sessionId) ?? null) : null,
        operationName: event.operationName,
        operationType: event.operationType,
        rootFields: event.rootFields,
        errorCode: event.errorCode,
        reason: event.reason,
        requestId: event.requestId,
        ip: event.ip,
        userAgent: event.userAgent,
        variables: event.variables,
        seen: event.seen,
        prevHash: event.prevHash,
        hash: event.hash,
      };
    }),
  );
}

/**
 * The filtered log as rows of the format, one keyset page per step, newest first; each page is read
 * only when the consumer asks for more (a stream's pull), so a slow client holds one page at most.
 */
export async function* exportPages(
  services: Pick<Services, 'prisma'>,
  filter: AuditFilter,
  format: ExportFormat,
  pageSize: number,
): AsyncGenerator<string> {
  const where = await auditWhere(services.prisma, filter);
  let last: AuditEvent | undefined;
  for (;;) {
    const ids = await auditPageIds(services.prisma, where, { cursor: last, take: pageSize });
    if (ids.length === 0) return;
    const events = await services.prisma.auditEvent.findMany({ where: { id: { in: ids } }, orderBy: AUDIT_ORDER });
    yield (await exportRows(services, events)).map(formatRow[format]).join('');
    if (events.length < pageSize) return;
    last = events.at(-1);
  }
}
