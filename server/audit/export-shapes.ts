// The shapes of GET /audit/export (use-audit-export.ts), chosen by `shape`:
// - `events` (the default): the raw log, one row per record, CSV or NDJSON (export.ts);
// - `sessions`: one CSV row per staff view in human words and the salon's local time (sessions-export.ts);
// - `report`: the monthly staff-access report as CSV (monthly-report.ts; `year`, `month`, default last month).
// A date preset (`period`: TODAY, LAST_7_DAYS, LAST_MONTH) is read in the salon's calendar for the
// first two, as in the browser. Unknown values are a BadExportRequest (400 with its message).
import { AuditOutcome, PortalSection, type Prisma } from '@prisma/client';
import type { Services } from '../context.ts';
import { BadExportRequest, exportPages, FORMATS, header, parseExportQuery } from './export.ts';
import { monthlyReport, monthlyReportCsv } from './monthly-report.ts';
import { AuditPeriod, previousMonth, salonZone } from './periods.ts';
import { PeriodAndRange, withPeriod, type SessionFilter } from './session-filter.ts';
import { sessionExportPages, sessionsHeader } from './sessions-export.ts';

/** What one export sends: recorded as its variables, then a header and pages of rows. */
export interface ExportRequest {
  /** What the audit record of the export holds (the shape, format and filter). */
  variables: Prisma.InputJsonValue;
  contentType: string;
  /** The file name's stem and extension. */
  fileName: { stem: string; extension: string };
  header: string;
  pages(): AsyncGenerator<string>;
}

type ExportServices = Pick<Services, 'prisma' | 'clock' | 'config'>;

const CSV = FORMATS.csv;

/** A named value of an enum-like record, or null when absent; BadExportRequest when unknown. */
function oneOf<T extends string>(query: URLSearchParams, name: string, values: Record<string, T>): T | null {
  const value = query.get(name);
  if (!value) return null;
  if (!Object.hasOwn(values, value)) throw new BadExportRequest(`${name}: unknown value`);
  return values[value]!;
}

/** The filter with its period read in the salon's calendar. */
function resolved<F extends SessionFilter>(filter: F, services: ExportServices): F {
  try {
    return withPeriod(filter, services.clock.now(), salonZone(services.config))!;
  } catch (error) {
    if (error instanceof PeriodAndRange) throw new BadExportRequest(error.message);
    throw error;
  }
}

/** The staff-view filter of a sessions export (the browser's Staff views filters). */
function sessionFilterOf(query: URLSearchParams, services: ExportServices): SessionFilter {
  const { filter } = parseExportQuery(query);
  const section = oneOf(query, 'section', PortalSection);
  if (section === PortalSection.WHOLE_PORTAL) throw new BadExportRequest('section: the whole portal is no section');
  const alerted = query.get('alerted');
  if (alerted && alerted !== 'true' && alerted !== 'false') throw new BadExportRequest('alerted: true or false');
  return resolved(
    {
      staffId: filter.staffId,
      customerId: filter.customerId,
      ticket: filter.ticket,
      from: filter.from,
      to: filter.to,
      outcome: oneOf(query, 'outcome', AuditOutcome),
      period: oneOf(query, 'period', AuditPeriod),
      section,
      scope: oneOf(query, 'scope', PortalSection),
      alerted: alerted ? alerted === 'true' : null,
    },
    services,
  );
}

/** A whole number in [min, max], or null when absent. */
function wholeNumber(query: URLSearchParams, name: string, min: number, max: number): number | null {
  const value = query.get(name);
  if (!value) return null;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max)
    throw new BadExportRequest(`${name}: a whole number from ${min} to ${max}`);
  return number;
}

/** The export an URL asks for; throws BadExportRequest on an unknown shape, format or filter value. */
export function exportRequestOf(query: URLSearchParams, services: ExportServices, pageSize: number): ExportRequest {
  const shape = query.get('shape') ?? 'events';
  const zone = salonZone(services.config);
  switch (shape) {
    case 'events': {
      const { format, filter } = parseExportQuery(query);
      const period = oneOf(query, 'period', AuditPeriod);
      const events = resolved({ ...filter, period }, services);
      return {
        variables: { format, ...events } as Prisma.InputJsonValue,
        contentType: FORMATS[format],
        fileName: { stem: 'audit', extension: format },
        header: header[format],
        pages: () => exportPages(services, events, format, pageSize),
      };
    }
    case 'sessions': {
      if ((query.get('format') ?? 'csv') !== 'csv') throw new BadExportRequest('format: the sessions export is csv');
      const filter = sessionFilterOf(query, services);
      return {
        variables: { shape, format: 'csv', ...filter } as Prisma.InputJsonValue,
        contentType: CSV,
        fileName: { stem: 'staff-views', extension: 'csv' },
        header: sessionsHeader(zone),
        pages: () => sessionExportPages(services.prisma, filter, { zone, now: services.clock.now(), pageSize }),
      };
    }
    case 'report': {
      if ((query.get('format') ?? 'csv') !== 'csv') throw new BadExportRequest('format: the report is csv');
      const year = wholeNumber(query, 'year', 2000, 2100);
      const monthNumber = wholeNumber(query, 'month', 1, 12);
      if ((year === null) !== (monthNumber === null)) throw new BadExportRequest('year and month: both or neither');
      const month =
        year !== null && monthNumber !== null
          ? { year, month: monthNumber }
          : previousMonth(services.clock.now(), zone);
      const stem = `staff-access-${month.year}-${String(month.month).padStart(2, '0')}`;
      return {
        variables: { shape, format: 'csv', ...month } as Prisma.InputJsonValue,
        contentType: CSV,
        fileName: { stem, extension: 'csv' },
        header: '',
        // One page: a month's report is a row per staff member.
        async *pages() {
          yield monthlyReportCsv(await monthlyReport(services.prisma, month, zone));
        },
      };
    }
    default:
      throw new BadExportRequest('shape: events, sessions or report');
  }
}
