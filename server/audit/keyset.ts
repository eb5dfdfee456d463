// The audit log's order and its keyset pages, one home for the auditEvents list and the export:
// newest first by ("createdAt", id). A page is read in two steps: the ids, from one range of the
// index that leads with the filter's column and ends in ("createdAt", id) (an index-only scan, so
// the planner never prefers walking the whole log backwards for a filter whose records are all
// old), then the records by id. A cursor is a record; the next page starts strictly after it.
import type { Prisma, PrismaClient } from '@prisma/client';

/** Newest first; id breaks ties between records of the same millisecond. */
export const AUDIT_ORDER = [
  { createdAt: 'desc' },
  { id: 'desc' },
] satisfies Prisma.AuditEventOrderByWithRelationInput[];

const OLDEST_FIRST = [{ createdAt: 'asc' }, { id: 'asc' }] satisfies Prisma.AuditEventOrderByWithRelationInput[];

/** A record's place in {@link AUDIT_ORDER}. */
export interface AuditPosition {
  id: bigint;
  createdAt: Date;
}

/**
 * Records older (or newer) than a position. The redundant bound on "createdAt" alone is what lets
 * the index start the scan at the position instead of filtering every newer record.
 */
export function beyond(at: AuditPosition, direction: 'older' | 'newer'): Prisma.AuditEventWhereInput {
  return direction === 'older'
    ? { createdAt: { lte: at.createdAt }, OR: [{ createdAt: { lt: at.createdAt } }, { id: { lt: at.id } }] }
    : { createdAt: { gte: at.createdAt }, OR: [{ createdAt: { gt: at.createdAt } }, { id: { gt: at.id } }] };
}

/** A page as plugin-prisma's connections ask for it: a negative `take` pages backwards (newer records). */
export interface AuditPageRequest {
  /** The record the page starts after (excluded); `createdAt` saves looking it up. */
  cursor?: { id?: bigint | number; createdAt?: Date };
  take: number;
}

/** The ids of one page of records matching `where`, in {@link AUDIT_ORDER}. */
export async function auditPageIds(
  prisma: Pick<PrismaClient, 'auditEvent'>,
  where: Prisma.AuditEventWhereInput,
  page: AuditPageRequest,
): Promise<bigint[]> {
  const backward = page.take < 0;
  let after: Prisma.AuditEventWhereInput = {};
  if (page.cursor) {
    const { id, createdAt } = page.cursor;
    // A cursor whose record does not exist starts an empty page, as Prisma's own cursors do.
    if (id === undefined) return [];
    const at =
      createdAt === undefined
        ? await prisma.auditEvent.findFirst({ where: { id }, select: { id: true, createdAt: true } })
        : { id: BigInt(id), createdAt };
    if (!at) return [];
    after = beyond(at, backward ? 'newer' : 'older');
  }
  const rows = await prisma.auditEvent.findMany({
    where: { AND: [where, after] },
    orderBy: backward ? OLDEST_FIRST : AUDIT_ORDER,
    take: Math.abs(page.take),
    select: { id: true },
  });
  const ids = rows.map((row) => row.id);
  return backward ? ids.reverse() : ids;
}
