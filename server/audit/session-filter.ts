// Which staff views the audit browser lists (schema/audit-sessions.ts) and the sessions export
// (sessions-export.ts) sends, one definition for both: by staff member, customer, ticket, time (a preset of
// the salon's calendar, periods.ts, or a custom range), an operation's outcome, the page section it
// viewed, its scope and whether it raised an alert. Keyset pages, newest first.
import { Prisma, type AuditOutcome, type PortalSection, type PrismaClient } from '@prisma/client';
import { PAGE_OF_SECTION, pageSignature } from './pages.ts';
import { periodRange, type AuditPeriod } from './periods.ts';

/** Filters of the staff views; absent ones match everything. */
export interface SessionFilter {
  staffId?: string | number | null;
  customerId?: string | number | null;
  /** Sessions whose start named this ticket id (exact). */
  ticket?: string | null;
  /** Sessions still running at or after this time. */
  from?: Date | null;
  /** Sessions started before this time. */
  to?: Date | null;
  /** A preset of the salon's calendar instead of from/to. */
  period?: AuditPeriod | null;
  /** Sessions with at least one operation of this outcome. */
  outcome?: AuditOutcome | null;
  /** Sessions that were shown this section's data (on its page or on the Home page's overview). */
  section?: Exclude<PortalSection, 'WHOLE_PORTAL'> | null;
  /** Sessions whose scope names this section (WHOLE_PORTAL: whole-portal views). */
  scope?: PortalSection | null;
  /** true: sessions that raised an alert; false: those that raised none. */
  alerted?: boolean | null;
}

/** A period and a custom range at once (the caller answers BAD_USER_INPUT). */
export class PeriodAndRange extends Error {
  constructor() {
    super('Give either a period or from/to, not both');
  }
}

/** The filter with its period as from/to of the salon's calendar at `now`. */
export function withPeriod<F extends SessionFilter>(filter: F | null | undefined, now: Date, zone: string): F | null {
  if (!filter?.period) return filter ?? null;
  if (filter.from || filter.to) throw new PeriodAndRange();
  return { ...filter, ...periodRange(filter.period, now, zone), period: null };
}

/** A JS date as the UTC timestamp the columns hold, whatever the session's time zone. */
const utc = (date: Date) => Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

/**
 * An operation of the session read the section's page fields (refused attempts showed nothing); its
 * record types count only for a record without field paths, as in pages.ts: a pet's name on an
 * invoice is not a view of My Pets.
 */
function viewedSection(section: Exclude<PortalSection, 'WHOLE_PORTAL'>): Prisma.Sql {
  const { rootFields, mePaths, recordTypes } = pageSignature(PAGE_OF_SECTION[section]);
  const below = mePaths.map((path) => `${path}.%`);
  return Prisma.sql`EXISTS (SELECT 1 FROM "AuditEvent" e
    WHERE e."sessionId" = s.id AND e.action = 'OPERATION' AND e.outcome <> 'DENIED'
      AND (e."rootFields" && ${rootFields}::text[]
        OR (e.seen -> 'fields' IS NULL AND e.seen -> 'records' ?| ${recordTypes}::text[])
        OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(
             CASE WHEN jsonb_typeof(e.seen -> 'fields') = 'array' THEN e.seen -> 'fields' ELSE '[]'::jsonb END) AS f(path)
           WHERE f.path = ANY(${mePaths}::text[]) OR f.path LIKE ANY(${below}::text[]))))`;
}

/** The SQL conditions of a filter (its period already resolved by {@link withPeriod}), on sessions `s`. */
function conditionsOf(filter: SessionFilter | null | undefined): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (filter?.staffId) conditions.push(Prisma.sql`s."staffId" = ${String(filter.staffId)}`);
  if (filter?.customerId) conditions.push(Prisma.sql`s."customerId" = ${String(filter.customerId)}`);
  if (filter?.ticket?.trim()) conditions.push(Prisma.sql`s.ticket = ${filter.ticket.trim()}`);
  if (filter?.to) conditions.push(Prisma.sql`s."startedAt" < ${utc(filter.to)}`);
  if (filter?.from) conditions.push(Prisma.sql`(s."endedAt" IS NULL OR s."endedAt" >= ${utc(filter.from)})`);
  if (filter?.outcome)
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "AuditEvent" e
      WHERE e."sessionId" = s.id AND e.action = 'OPERATION' AND e.outcome = ${filter.outcome}::"AuditOutcome")`);
  if (filter?.section) conditions.push(viewedSection(filter.section));
  if (filter?.scope) conditions.push(Prisma.sql`${filter.scope}::"PortalSection" = ANY(s.scope)`);
  if (filter?.alerted != null)
    conditions.push(
      Prisma.sql`${Prisma.raw(filter.alerted ? '' : 'NOT ')}EXISTS (SELECT 1 FROM "Alert" a WHERE a."sessionId" = s.id)`,
    );
  return conditions;
}

/**
 * The ids of one page of sessions matching the filter, newest first by ("startedAt", id); a negative
 * `take` pages backwards from the cursor, as plugin-prisma asks. One statement: outcome and section
 * are EXISTS probes of the ("sessionId", …) indexes per candidate session, not lists read beforehand.
 */
export async function sessionPageIds(
  prisma: Pick<PrismaClient, '$queryRaw'>,
  filter: SessionFilter | null | undefined,
  page: { cursor?: { id?: string }; take: number },
): Promise<string[]> {
  const backward = page.take < 0;
  const conditions = conditionsOf(filter);
  if (page.cursor) {
    // A cursor whose session does not exist compares with NULL: an empty page, as Prisma's cursors.
    const id = page.cursor.id ?? null;
    conditions.push(
      Prisma.sql`(s."startedAt", s.id) ${Prisma.raw(backward ? '>' : '<')}
        ((SELECT "startedAt" FROM "ImpersonationSession" WHERE id = ${id}), ${id})`,
    );
  }
  const direction = Prisma.raw(backward ? 'ASC' : 'DESC');
  const rows = await prisma.$queryRaw<{ id: string }[]>`SELECT s.id FROM "ImpersonationSession" s
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY s."startedAt" ${direction}, s.id ${direction} LIMIT ${Math.abs(page.take)}`;
  const ids = rows.map((row) => row.id);
  return backward ? ids.reverse() : ids;
}
