// The monthly staff-access report (SPEC 12): for one month of the salon's calendar, per staff member
// who opened staff views, how many views, of how many customers, why (their most frequent reasons),
// with what scope, the refused attempts, the break-glass starts and the alerts about them; and the
// month's alerts by rule and access-review decisions. One page of the admin app with charts
// (schema/staff-access-report.ts) and one CSV (the export's `shape=report`).
// Alerts (server/alerts) and access reviews are other modules' tables: each part is read only when
// its table exists in this database, and says so when it does not (`null`), rather than guessing.
import { Prisma, type PrismaClient } from '@prisma/client';
import { csvCell } from './export.ts';
import { monthRange, type Range } from './periods.ts';
import { scopeWords } from './sessions-export.ts';

/** A label and how often it occurred. */
export interface LabelCount {
  label: string;
  count: number;
}

/** One staff member's month. */
export interface StaffMonth {
  staffId: string;
  staffName: string;
  views: number;
  customers: number;
  refusedAttempts: number;
  breakGlass: number;
  /** Alerts naming this staff member; null when alerts are not recorded in this database. */
  alerts: number | null;
  /** Most frequent reasons first (at most {@link TOP_REASONS}). */
  reasons: LabelCount[];
  /** Scopes as the portal names them ("Whole portal", "Billing, Messages"), most frequent first. */
  scopes: LabelCount[];
}

/** The month's report. */
export interface MonthlyReport {
  year: number;
  month: number;
  timeZone: string;
  range: Range;
  totalViews: number;
  staff: StaffMonth[];
  /** Alerts of the month by rule; null: alerts are not recorded in this database. */
  alertsByRule: LabelCount[] | null;
  /** Access-review decisions of the month by outcome; null: access reviews are not recorded in this database. */
  reviews: LabelCount[] | null;
}

/** Reasons listed per staff member. */
export const TOP_REASONS = 5;

/** Whether a table of another module exists in this database (its migration applied). */
async function hasTable(prisma: Pick<PrismaClient, '$queryRaw'>, table: string): Promise<boolean> {
  const [row] = await prisma.$queryRaw<{ found: boolean }[]>`SELECT to_regclass(${`"${table}"`}) IS NOT NULL AS found`;
  return row?.found ?? false;
}

const utc = (date: Date) => Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

const byCount = (counts: Map<string, number>): LabelCount[] =>
  [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));

/** The report of one month (1-12) of the salon's calendar. */
export async function monthlyReport(
  prisma: Pick<PrismaClient, '$queryRaw'>,
  month: { year: number; month: number },
  zone: string,
): Promise<MonthlyReport> {
  const range = monthRange(month, zone);
  const sessions = await prisma.$queryRaw<
    {
      id: string;
      staffId: string;
      staffName: string;
      customerId: string;
      reason: string;
      scope: string[];
      breakGlass: boolean;
      refused: number;
    }[]
  >`SELECT s.id, s."staffId", st.name AS "staffName", s."customerId", s.reason, s.scope::text[] AS scope,
           (s."emergencyCategory" IS NOT NULL) AS "breakGlass",
           (SELECT count(*)::int FROM "AuditEvent" e
             WHERE e."sessionId" = s.id AND e.action = 'OPERATION' AND e.outcome = 'DENIED') AS refused
      FROM "ImpersonationSession" s JOIN "Staff" st ON st.id = s."staffId"
     WHERE s."startedAt" >= ${utc(range.from)} AND s."startedAt" < ${utc(range.to)}`;

  const alertsRecorded = await hasTable(prisma, 'Alert');
  const alertRows = alertsRecorded
    ? await prisma.$queryRaw<{ rule: string; staffId: string | null }[]>`SELECT rule::text AS rule, "staffId"
        FROM "Alert" WHERE "createdAt" >= ${utc(range.from)} AND "createdAt" < ${utc(range.to)}`
    : null;

  const perStaff = new Map<
    string,
    StaffMonth & { customerIds: Set<string>; reasonCounts: Map<string, number>; scopeCounts: Map<string, number> }
  >();
  for (const session of sessions) {
    const entry = perStaff.get(session.staffId) ?? {
      staffId: session.staffId,
      staffName: session.staffName,
      views: 0,
      customers: 0,
      refusedAttempts: 0,
      breakGlass: 0,
      alerts: alertRows ? 0 : null,
      reasons: [],
      scopes: [],
      customerIds: new Set<string>(),
      reasonCounts: new Map<string, number>(),
      scopeCounts: new Map<string, number>(),
    };
    perStaff.set(session.staffId, entry);
    entry.views += 1;
    entry.customerIds.add(session.customerId);
    entry.refusedAttempts += session.refused;
    if (session.breakGlass) entry.breakGlass += 1;
    const reason = session.reason.trim();
    entry.reasonCounts.set(reason, (entry.reasonCounts.get(reason) ?? 0) + 1);
    const scope = scopeWords(session.scope);
    entry.scopeCounts.set(scope, (entry.scopeCounts.get(scope) ?? 0) + 1);
  }
  for (const alert of alertRows ?? []) {
    const entry = alert.staffId ? perStaff.get(alert.staffId) : undefined;
    if (entry) entry.alerts = (entry.alerts ?? 0) + 1;
  }

  const staff = [...perStaff.values()]
    .map(({ customerIds, reasonCounts, scopeCounts, ...entry }) => ({
      ...entry,
      customers: customerIds.size,
      reasons: byCount(reasonCounts).slice(0, TOP_REASONS),
      scopes: byCount(scopeCounts),
    }))
    .sort((a, b) => b.views - a.views || a.staffName.localeCompare(b.staffName));

  const alertsByRule = alertRows
    ? byCount(alertRows.reduce((counts, { rule }) => counts.set(rule, (counts.get(rule) ?? 0) + 1), new Map()))
    : null;

  return {
    ...month,
    timeZone: zone,
    range,
    totalViews: sessions.length,
    staff,
    alertsByRule,
    reviews: await reviewsOf(prisma, range),
  };
}

/**
 * The month's access-review decisions (server/access/reviews.ts) by decision, decided in the month:
 * null when this database has no access reviews (their migration not applied).
 */
async function reviewsOf(prisma: Pick<PrismaClient, '$queryRaw'>, range: Range): Promise<LabelCount[] | null> {
  if (!(await hasTable(prisma, 'AccessReviewItem'))) return null;
  const rows = await prisma.$queryRaw<{ decision: string; count: number }[]>`
    SELECT decision::text AS decision, count(*)::int AS count FROM "AccessReviewItem"
     WHERE decision IS NOT NULL AND "decidedAt" >= ${utc(range.from)} AND "decidedAt" < ${utc(range.to)}
     GROUP BY 1`;
  return byCount(new Map(rows.map((row) => [row.decision, row.count])));
}

/** The report as CSV: one row per staff member, then the month's alerts by rule and review decisions. */
export function monthlyReportCsv(report: MonthlyReport): string {
  const line = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;
  const month = `${report.year}-${String(report.month).padStart(2, '0')}`;
  const lines = [
    line([
      'Month',
      'Staff member',
      'Staff views',
      'Customers viewed',
      'Refused attempts',
      'Break-glass starts',
      'Alerts',
      'Most frequent reasons',
      'Scopes',
    ]),
    ...report.staff.map((row) =>
      line([
        month,
        row.staffName,
        row.views,
        row.customers,
        row.refusedAttempts,
        row.breakGlass,
        row.alerts ?? 'not recorded',
        row.reasons.map((r) => `${r.label} (${r.count})`).join('; '),
        row.scopes.map((s) => `${s.label} (${s.count})`).join('; '),
      ]),
    ),
  ];
  lines.push(line([]), line(['Month', 'Alert rule', 'Alerts']));
  if (report.alertsByRule) lines.push(...report.alertsByRule.map((a) => line([month, a.label, a.count])));
  else lines.push(line([month, 'Alerts are not recorded in this database', '']));
  lines.push(line([]), line(['Month', 'Access-review decision', 'Decisions']));
  if (report.reviews) lines.push(...report.reviews.map((r) => line([month, r.label, r.count])));
  else lines.push(line([month, 'Access reviews are not recorded in this database', '']));
  return lines.join('');
}
