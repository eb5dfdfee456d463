// The audit export's "sessions" shape (GET /audit/export?shape=sessions): one row per staff view, in
// the words of the audit browser (who, whom, why, ticket, scope, when in the salon's local time,
// how it ended, pages viewed and what they showed, refused attempts, hidden marks, alerts), for a
// compliance officer's spreadsheet rather than a SIEM. The raw shape, one row per record, stays in
// export.ts. Keyset pages of session-filter.ts, newest first; a page's activity read in one query.
import type { ImpersonationEndState, PrismaClient } from '@prisma/client';
import { sessionState, type SessionState } from '../impersonation/policy.ts';
import { shownText } from './access-summary.ts';
import { csvCell } from './export.ts';
import { localTime } from './periods.ts';
import { sessionPageIds, type SessionFilter } from './session-filter.ts';
import { loadAlertCounts, loadSessionActivity } from './session-activity.ts';
import type { PageView } from './pages.ts';

/** The sections as the portal names them, for the Scope column. */
const SECTION_WORDS: Record<string, string> = {
  APPOINTMENTS: 'Appointments',
  PETS: 'My Pets',
  REPORT_CARDS: 'Report Cards',
  BILLING: 'Billing',
  MESSAGES: 'Messages',
  SETTINGS: 'Settings',
};

/** "Whole portal" or "Billing, Messages". */
export const scopeWords = (scope: readonly string[]) =>
  scope.includes('WHOLE_PORTAL')
    ? 'Whole portal'
    : scope
        .map((section) => SECTION_WORDS[section] ?? section)
        .sort()
        .join(', ');

/** "Ended by Mara Quinn", "Expired", "In progress": as the browser's list says it. */
export function howItEnded(state: SessionState | ImpersonationEndState, endedBy: string | null): string {
  const by = endedBy ? ` by ${endedBy}` : '';
  switch (state) {
    case 'ACTIVE':
      return 'In progress';
    case 'EXPIRED':
      return 'Expired';
    case 'ENDED':
      return `Ended${by}`;
    case 'TERMINATED':
      return `Terminated${by}`;
    case 'STOPPED_BY_CUSTOMER':
      return 'Stopped by the customer';
    case 'STAFF_VIEWS_DISABLED':
      return `Staff views turned off${by}`;
    case 'TAMPERED':
      return 'Ended for hidden staff-view marks';
    default:
      return `Revoked${by}`;
  }
}

/** "Home (2 invoices, 3 appointments); Billing ×2 (2 invoices)". */
export function pagesWords(views: readonly PageView[]): string {
  return views
    .map((view) => {
      const shown = shownText(view.records);
      return `${view.page}${view.views > 1 ? ` ×${view.views}` : ''}${shown ? ` (${shown})` : ''}`;
    })
    .join('; ');
}

/** The columns, in order, named for a person; times in the salon's zone, named in the heading. */
export function sessionColumns(zone: string): string[] {
  return [
    'Staff member',
    'Customer',
    'Reason',
    'Ticket',
    'Scope',
    `Started (${zone})`,
    `Ended (${zone})`,
    'How it ended',
    'Approved by (second manager)',
    'Pages viewed',
    'Refused attempts',
    'Hidden-mark incidents',
    'Alerts',
    'Session id',
  ];
}

/** The CSV's first line. */
export const sessionsHeader = (zone: string) => `${sessionColumns(zone).map(csvCell).join(',')}\r\n`;

/**
 * The filtered staff views as CSV lines, one keyset page per step, newest first (the filter's
 * period already resolved); a page is read only when the consumer asks for more.
 */
export async function* sessionExportPages(
  prisma: Pick<PrismaClient, '$queryRaw' | 'impersonationSession'>,
  filter: SessionFilter | null,
  options: { zone: string; now: Date; pageSize: number },
): AsyncGenerator<string> {
  let cursor: { id: string } | undefined;
  for (;;) {
    const ids = await sessionPageIds(prisma, filter, { cursor, take: options.pageSize });
    if (ids.length === 0) return;
    const [sessions, activity, alerts] = await Promise.all([
      prisma.impersonationSession.findMany({
        where: { id: { in: ids } },
        orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
        include: {
          staff: { select: { name: true } },
          customer: { select: { name: true } },
          endedBy: { select: { name: true } },
          approvedBy: { select: { name: true } },
        },
      }),
      loadSessionActivity(prisma, ids),
      loadAlertCounts(prisma, ids),
    ]);
    yield sessions
      .map((session) => {
        const seen = activity.get(session.id)!;
        const row = [
          session.staff.name,
          session.customer.name,
          session.reason,
          session.ticket,
          scopeWords(session.scope),
          localTime(session.startedAt, options.zone),
          session.endedAt ? localTime(session.endedAt, options.zone) : '',
          howItEnded(sessionState(session, options.now), session.endedBy?.name ?? null),
          session.approvedBy?.name ?? '',
          pagesWords(seen.views),
          seen.denied,
          session.tamperIncidents,
          alerts.get(session.id) ?? 0,
          session.id,
        ];
        return `${row.map(csvCell).join(',')}\r\n`;
      })
      .join('');
    if (ids.length < options.pageSize) return;
    cursor = { id: ids.at(-1)! };
  }
}
