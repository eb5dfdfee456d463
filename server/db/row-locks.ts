// Row locks taken first. A transaction that reads a row, decides from it and then changes it and
// appends an audit record (which locks its audit shard's head row) locks that row before anything
// else. Two transactions on one row then queue on it, always in the same order (the row, then the
// shard head), so they cannot deadlock on each other; and the one that waited reads the row as the
// first one left it, so it decides on the current state, not on what it read before the first
// committed (a second answer to an answered request is refused, not recorded twice).
import { Prisma } from '@prisma/client';

/** The tables whose rows are locked this way (by their `id`). */
export type LockedTable = 'AccessRequest' | 'AccessGrant' | 'Customer' | 'Staff' | 'GovernanceRequest';

/**
 * Locks one row until the transaction ends, as an UPDATE of its columns would (FOR NO KEY UPDATE:
 * rows referencing it, a grant of a customer say, can still be inserted meanwhile). A missing row
 * locks nothing; the caller's own read then finds nothing.
 */
export async function lockRow(
  tx: Pick<Prisma.TransactionClient, '$queryRaw'>,
  table: LockedTable,
  id: string,
): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM ${Prisma.raw(`"${table}"`)} WHERE id = ${id} FOR NO KEY UPDATE`;
}
