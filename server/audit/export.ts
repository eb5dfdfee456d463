// GET /audit/export?format=csv|ndjson&<filters>: the audit log, filtered as the browser filters it
// (filter.ts), for managers, streamed. Records are read in keyset pages (keyset.ts: newest first,
// never OFFSET) and each page is written as it is read, waiting for the socket to drain, so the export of
// a million records never holds more than one page. The export is itself recorded
// (AUDIT_EXPORTED, with the filter) before the first byte; if that record cannot be written,
// nothing is sent.
import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuditAction, AuditOutcome, type AuditEvent, type Prisma } from '@prisma/client';
import { isManager } from '../auth/identity.ts';
import { identityFor } from '../auth/use-identity.ts';
import type { Services } from '../context.ts';
import type { RequestInfoReader } from '../request-info.ts';
import { appendAudit } from './chain.ts';
import { auditWhere, type AuditFilter } from './filter.ts';
import { AUDIT_ORDER, auditPageIds } from './keyset.ts';
import { pageAnchorReader, pageOfRecord } from './session-activity.ts';

/** The path the app routes here. */
export const AUDIT_EXPORT_PATH = '/audit/export';

/** Export formats and their content types. */
const FORMATS = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
} as const;

type ExportFormat = keyof typeof FORMATS;

/** Options of {@link handleAuditExport}. */
export interface AuditExportOptions {
  requestInfo: RequestInfoReader;
  /**
   * Records read and written per page.
   * @default 1000
   */
  pageSize?: number;
}

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

class BadExportRequest extends Error {}

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

const formatRow: Record<ExportFormat, (row: ExportRow) => string> = {
  csv: (row) => `${COLUMNS.map((column) => csvCell(row[column])).join(',')}\r\n`,
  ndjson: (row) => `${JSON.stringify(row)}\n`,
};

const header: Record<ExportFormat, string> = { csv: `${COLUMNS.join(',')}\r\n`, ndjson: '' };

/** Names by id for the people of one page of records. */
async function namesOf(
  services: Pick<Services, 'prisma'>,
  events: AuditEvent[],
): Promise<{ staff: Map<string, string>; customers: Map<string, string> }> {
  const ids = (key: 'staffId' | 'customerId') => [...new Set(events.flatMap((e) => (e[key] ? [e[key]] : [])))];
  const [staff, customers] = await Promise.all([
    services.prisma.staff.findMany({ where: { id: { in: ids('staffId') } }, select: { id: true, name: true } }),
    services.prisma.customer.findMany({ where: { id: { in: ids('customerId') } }, select: { id: true, name: true } }),
  ]);
  return {
    staff: new Map(staff.map((s) => [s.id, s.name])),
    customers: new Map(customers.map((c) => [c.id, c.name])),
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

function refuse(res: ServerResponse, status: number, message: string): void {
  res
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify({ error: message }));
}

/** Writes a chunk, and waits while the socket's buffer is full; false once the client has gone. */
async function send(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  return !res.destroyed;
}

/** Answers GET /audit/export: 401 without a valid token, 403 for anyone but a manager. */
export async function handleAuditExport(
  services: Pick<Services, 'prisma' | 'clock'>,
  req: IncomingMessage,
  res: ServerResponse,
  options: AuditExportOptions,
): Promise<void> {
  const pageSize = options.pageSize ?? 1000;
  const request = options.requestInfo({ req });
  const authorization = req.headers.authorization;
  const identity = await identityFor(services, {
    request: { headers: new Headers(authorization ? { authorization } : {}) },
  });
  // A staff view's token (live, or refused because the view ended) leaves a record whatever the answer.
  const session = identity.impersonation ?? identity.tokenRefusal?.impersonation ?? null;
  const record = (outcome: AuditOutcome, errorCode: string | null, variables: Prisma.InputJsonValue | null) =>
    appendAudit(services.prisma, {
      action: AuditAction.AUDIT_EXPORTED,
      outcome,
      createdAt: services.clock.now(),
      staffId: identity.actor?.id ?? session?.staffId ?? null,
      customerId: session?.customerId ?? null,
      sessionId: session?.id ?? null,
      operationType: 'export',
      variables,
      errorCode,
      requestId: request.requestId,
      ip: request.ip,
      userAgent: request.userAgent,
    });
  if (!identity.actor && !identity.customer) {
    if (session) await record(AuditOutcome.DENIED, 'UNAUTHENTICATED', null);
    return refuse(res, 401, 'Sign in as a manager to export the audit log');
  }
  let parsed: ReturnType<typeof parseExportQuery>;
  try {
    parsed = parseExportQuery(new URL(req.url ?? '/', 'http://localhost').searchParams);
  } catch (error) {
    if (!(error instanceof BadExportRequest)) throw error;
    if (session) await record(AuditOutcome.DENIED, 'BAD_USER_INPUT', null);
    return refuse(res, 400, error.message);
  }
  const { format, filter } = parsed;
  const variables = { format, ...filter } as Prisma.InputJsonValue;
  if (!isManager(identity)) {
    if (identity.actor) await record(AuditOutcome.DENIED, 'FORBIDDEN', variables);
    return refuse(res, 403, 'Only managers may export the audit log');
  }
  try {
    await record(AuditOutcome.ALLOWED, null, variables);
  } catch {
    return refuse(res, 503, 'The audit record of this export could not be written; nothing was exported');
  }

  const stamp = services.clock.now().toISOString().replace(/[:.]/g, '-');
  res.writeHead(200, {
    'content-type': FORMATS[format],
    'content-disposition': `attachment; filename="audit-${stamp}.${format}"`,
    'cache-control': 'no-store',
    'x-request-id': request.requestId ?? '',
  });
  if (!(await send(res, header[format]))) return;
  const where = auditWhere(filter);
  let last: AuditEvent | undefined;
  for (;;) {
    const ids = await auditPageIds(services.prisma, where, { cursor: last, take: pageSize });
    if (ids.length === 0) break;
    const events = await services.prisma.auditEvent.findMany({ where: { id: { in: ids } }, orderBy: AUDIT_ORDER });
    const rows = await exportRows(services, events);
    if (!(await send(res, rows.map(formatRow[format]).join('')))) return;
    if (events.length < pageSize) break;
    last = events.at(-1);
  }
  res.end();
}
