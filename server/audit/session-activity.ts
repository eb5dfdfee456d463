// What happened in staff views, read from their audit records: the page of each record, the pages
// viewed and the refused attempts (pages.ts does the naming). Sessions asked for in the same tick
// are read in one query, and each reader keeps what it read, so a list of summaries, a timeline and
// an export each read a session's records once.
import type { PrismaClient } from '@prisma/client';
import { batchReader, perContext } from '../db/batch-reader.ts';
import { attemptCounts, pagesOfSession, pageViews, type PagedRecord, type PageView, type PortalPage } from './pages.ts';

/** One session's audit records, as pages and counts. */
export interface SessionActivity {
  /** The page of each of its records by record id (null: not a page). */
  pages: Map<bigint, PortalPage | null>;
  views: PageView[];
  denied: number;
  partial: number;
}

const PAGED_FIELDS = { id: true, createdAt: true, action: true, outcome: true, rootFields: true, seen: true } as const;

/** Reads and names the records of these sessions in one query. */
export async function loadSessionActivity(
  prisma: Pick<PrismaClient, 'auditEvent'>,
  sessionIds: readonly string[],
): Promise<Map<string, SessionActivity>> {
  const rows = await prisma.auditEvent.findMany({
    where: { sessionId: { in: [...sessionIds] } },
    select: { ...PAGED_FIELDS, sessionId: true },
  });
  const bySession = new Map<string, PagedRecord[]>(sessionIds.map((id) => [id, []]));
  for (const row of rows) bySession.get(row.sessionId!)?.push(row);
  return new Map(
    [...bySession].map(([id, records]) => {
      const { denied, partial } = attemptCounts(records);
      return [id, { pages: pagesOfSession(records), views: pageViews(records), denied, partial }];
    }),
  );
}

/** A session's activity by id: batched per tick, cached for the reader's lifetime. */
export type SessionActivityReader = (sessionId: string) => Promise<SessionActivity>;

/** A reader for one request (or one export). */
export function sessionActivityReader(prisma: Pick<PrismaClient, 'auditEvent'>): SessionActivityReader {
  // Every session asked for is in the loaded map (an empty activity when it has no records).
  return batchReader((sessionIds) => loadSessionActivity(prisma, sessionIds));
}

/** The reader of one GraphQL context (created on first use). */
export const sessionActivityOf = perContext((ctx: { prisma: Pick<PrismaClient, 'auditEvent'> }) =>
  sessionActivityReader(ctx.prisma),
);
