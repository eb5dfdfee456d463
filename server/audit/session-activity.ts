// What happened in staff views, read from their audit records: the page of each record, the pages
// viewed and the refused attempts (pages.ts does the naming). Sessions asked for in the same tick
// are read in one query, and each reader keeps what it read, so a list of summaries, a timeline and
// an export each read a session's records once.
import { Prisma, type AuditOutcome, type PrismaClient } from '@prisma/client';
import { batchReader, perContext } from '../db/batch-reader.ts';
import {
  anchorsOf,
  attemptCounts,
  CHROME_ROOT_FIELDS,
  nearestPage,
  ownPageOf,
  pagesOfSession,
  pageViews,
  type PageAnchor,
  type PagedRecord,
  type PageView,
  type PortalPage,
} from './pages.ts';

/** One session's audit records, as pages and counts. */
export interface SessionActivity {
  /** The page of each of its operations by record id (null: not a page); other records have none. */
  pages: Map<bigint, PortalPage | null>;
  readonly views: PageView[];
  denied: number;
  partial: number;
}

/** One session's operations as JSON arrays, one per column (element i of each is operation i). */
interface SessionOperationColumns {
  sessionId: string;
  ids: string;
  times: string;
  outcomes: string;
  rootFields: string;
  seen: string;
}

/**
 * Reads and names the operations of these sessions in one query. Only operations are read: no other
 * record has a page or counts as an attempt. Each session comes back as one row of JSON arrays: a
 * list of 50 sessions is ~1,500 records, and parsing five values per session costs a fraction of
 * mapping that many rows through the client (the auditEvents list names the page of every header
 * query on it from its session's records; issue 13, target 4). The aggregates of one group advance
 * together over the same rows, so the arrays line up.
 */
export async function loadSessionActivity(
  prisma: Pick<PrismaClient, '$queryRaw'>,
  sessionIds: readonly string[],
): Promise<Map<string, SessionActivity>> {
  const bySession = await readOperations(prisma, sessionIds, false);
  return new Map(
    [...bySession].map(([id, records]) => {
      const { denied, partial } = attemptCounts(records);
      const pages = pagesOfSession(records);
      // Named when first asked for: the auditEvents list asks only for pages.
      let views: PageView[] | undefined;
      return [
        id,
        {
          pages,
          get views() {
            return (views ??= pageViews(records, pages));
          },
          denied,
          partial,
        },
      ];
    }),
  );
}

/**
 * The page anchors of these sessions (their records with a page of their own), in one query: what
 * naming a header query's page needs (the auditEvents list and a session's timeline). Records that
 * cannot be anchors (no `seen`, root fields all header ones) stay in the database: a session of
 * header queries costs nothing to read (issue 13, target 4).
 */
export async function loadPageAnchors(
  prisma: Pick<PrismaClient, '$queryRaw'>,
  sessionIds: readonly string[],
): Promise<Map<string, PageAnchor[]>> {
  const bySession = await readOperations(prisma, sessionIds, true);
  return new Map([...bySession].map(([id, records]) => [id, anchorsOf(records)]));
}

/**
 * The operations of these sessions, every session asked for present (empty when it has none);
 * `possibleAnchorsOnly` leaves out those that can have no page of their own.
 */
async function readOperations(
  prisma: Pick<PrismaClient, '$queryRaw'>,
  sessionIds: readonly string[],
  possibleAnchorsOnly: boolean,
): Promise<Map<string, PagedRecord[]>> {
  const possibleAnchor = possibleAnchorsOnly
    ? Prisma.sql`AND NOT (seen IS NULL AND "rootFields" <@ ${[...CHROME_ROOT_FIELDS]}::text[])`
    : Prisma.empty;
  const rows = await prisma.$queryRaw<SessionOperationColumns[]>`
    SELECT "sessionId",
           json_agg(id::text)::text AS ids,
           json_agg((extract(epoch FROM "createdAt") * 1000)::bigint)::text AS times,
           json_agg(outcome)::text AS outcomes,
           json_agg("rootFields")::text AS "rootFields",
           json_agg(seen)::text AS seen
      FROM "AuditEvent"
     WHERE "sessionId" = ANY(${[...sessionIds]}::text[]) AND action = 'OPERATION' ${possibleAnchor}
     GROUP BY "sessionId"`;
  const bySession = new Map<string, PagedRecord[]>(sessionIds.map((id) => [id, []]));
  for (const row of rows) {
    const times = JSON.parse(row.times) as number[];
    const outcomes = JSON.parse(row.outcomes) as AuditOutcome[];
    const rootFields = JSON.parse(row.rootFields) as string[][];
    const seen = JSON.parse(row.seen) as unknown[];
    bySession.set(
      row.sessionId,
      (JSON.parse(row.ids) as string[]).map((id, i) => ({
        id: BigInt(id),
        createdAt: new Date(times[i]!),
        action: 'OPERATION',
        outcome: outcomes[i]!,
        rootFields: rootFields[i]!,
        seen: seen[i],
      })),
    );
  }
  return bySession;
}

/** The names of the customer's pets a summary names, by id (a pet deleted since is counted instead). */
export async function petNamesOf(
  prisma: Pick<PrismaClient, 'pet'>,
  customerId: string,
  views: readonly PageView[],
): Promise<Map<string, string>> {
  const petIds = views.flatMap((view) => view.records.Pet?.ids ?? []);
  if (petIds.length === 0) return new Map();
  const pets = await prisma.pet.findMany({
    where: { id: { in: petIds }, customerId },
    select: { id: true, name: true },
  });
  return new Map(pets.map((pet) => [pet.id, pet.name]));
}

/** A session's activity by id: batched per tick, cached for the reader's lifetime. */
export type SessionActivityReader = (sessionId: string) => Promise<SessionActivity>;

/** A reader for one request (or one export). */
export function sessionActivityReader(prisma: Pick<PrismaClient, '$queryRaw'>): SessionActivityReader {
  // Every session asked for is in the loaded map (an empty activity when it has no records).
  return batchReader((sessionIds) => loadSessionActivity(prisma, sessionIds));
}

/** A session's page anchors by id: batched per tick, cached for the reader's lifetime. */
export type PageAnchorReader = (sessionId: string) => Promise<PageAnchor[]>;

/** A page-anchor reader for one request (or one page of an export). */
export function pageAnchorReader(prisma: Pick<PrismaClient, '$queryRaw'>): PageAnchorReader {
  return batchReader((sessionIds) => loadPageAnchors(prisma, sessionIds));
}

/** The page-anchor reader of one GraphQL context (created on first use). */
export const pageAnchorsOf = perContext((ctx: { prisma: Pick<PrismaClient, '$queryRaw'> }) =>
  pageAnchorReader(ctx.prisma),
);

/**
 * The page of one record: its own, or for a header query the page of its session's nearest anchor
 * (null: none, or not a page). The one rule the auditEvents list and the export share.
 */
export async function pageOfRecord(
  record: Pick<PagedRecord, 'id' | 'createdAt' | 'action' | 'rootFields' | 'seen'> & { sessionId: string | null },
  anchors: PageAnchorReader,
): Promise<PortalPage | null> {
  const own = ownPageOf(record);
  if (own !== 'chrome') return own;
  return record.sessionId ? nearestPage(await anchors(record.sessionId), record) : null;
}

/** The reader of one GraphQL context (created on first use). */
export const sessionActivityOf = perContext((ctx: { prisma: Pick<PrismaClient, '$queryRaw'> }) =>
  sessionActivityReader(ctx.prisma),
);

/** How many alerts each of these sessions raised (server/alerts), every session present. */
export async function loadAlertCounts(
  prisma: Pick<PrismaClient, '$queryRaw'>,
  sessionIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await prisma.$queryRaw<{ sessionId: string; count: number }[]>`
    SELECT "sessionId", count(*)::int AS count FROM "Alert"
     WHERE "sessionId" = ANY(${[...sessionIds]}::text[]) GROUP BY "sessionId"`;
  const counts = new Map(sessionIds.map((id) => [id, 0]));
  for (const row of rows) counts.set(row.sessionId, row.count);
  return counts;
}

/** The alert counts of one GraphQL context (or one export), batched per tick. */
export const alertCountsOf = perContext((ctx: { prisma: Pick<PrismaClient, '$queryRaw'> }) =>
  batchReader((sessionIds: string[]) => loadAlertCounts(ctx.prisma, sessionIds)),
);
