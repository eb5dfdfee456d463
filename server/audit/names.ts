// The names of the people audit records mention (staff and customers), for a page of records:
// the ids of one tick are read in one query per table, once per request.
import type { PrismaClient } from '@prisma/client';
import { batchReader, perContext, type BatchReader } from '../db/batch-reader.ts';

/** A staff member's and a customer's name by id (null: no such person). */
export interface NameReaders {
  staff: BatchReader<string, string | null>;
  customer: BatchReader<string, string | null>;
}

type People = Pick<PrismaClient, 'staff' | 'customer'>;

const byId = (ids: string[], rows: { id: string; name: string }[]) => {
  const names = new Map<string, string | null>(ids.map((id) => [id, null]));
  for (const row of rows) names.set(row.id, row.name);
  return names;
};

/** Name readers for one request. */
export function nameReaders(prisma: People): NameReaders {
  const select = { id: true, name: true } as const;
  return {
    staff: batchReader(async (ids) => byId(ids, await prisma.staff.findMany({ where: { id: { in: ids } }, select }))),
    customer: batchReader(async (ids) =>
      byId(ids, await prisma.customer.findMany({ where: { id: { in: ids } }, select })),
    ),
  };
}

/** The name readers of one GraphQL context (created on first use). */
export const namesOf = perContext((ctx: { prisma: People }) => nameReaders(ctx.prisma));
