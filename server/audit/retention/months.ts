// The audit log's months (UTC), as its partitions name them (migration 0022: "AuditEvent_YYYY_MM"),
// and the partitions themselves: created ahead of time, listed, detached and dropped.
import type { Queryable } from '../checkpoint-table.ts';

/** A month as 'YYYY-MM' (UTC). */
export type Month = string;

/** The first instant of the month `offset` months after the one of `at` (UTC). */
export function monthStart(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

/** 'YYYY-MM' of an instant (UTC). */
export const monthOf = (at: Date): Month => at.toISOString().slice(0, 7);

/** The first instant of a 'YYYY-MM' month. */
export const startOfMonth = (month: Month): Date => new Date(`${month}-01T00:00:00.000Z`);

/** The partition that holds a month's records. */
export const partitionOf = (month: Month) => `AuditEvent_${month.replace('-', '_')}`;

/** The months that have a partition, oldest first (the DEFAULT partition is not a month). */
export async function partitionMonths(db: Queryable): Promise<Month[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT child.relname AS name FROM pg_inherits
       JOIN pg_class child ON child.oid = pg_inherits.inhrelid
       JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
      WHERE parent.relname = 'AuditEvent' AND parent.relnamespace = current_schema()::regnamespace`,
  );
  return rows
    .map((row) => /^AuditEvent_(\d{4})_(\d{2})$/.exec(row.name))
    .filter((match) => match !== null)
    .map((match) => `${match[1]}-${match[2]}`)
    .sort();
}

/**
 * Creates the partitions of this month and the next `ahead` months, and of every month the DEFAULT
 * partition caught records of (moved into their month by `audit_event_partition`). Returns the months created.
 */
export async function ensurePartitions(db: Queryable, now: Date, ahead = 2): Promise<Month[]> {
  const existing = new Set(await partitionMonths(db));
  const { rows } = await db.query<{ month: string }>(
    `SELECT DISTINCT to_char(date_trunc('month', "createdAt"), 'YYYY-MM') AS month FROM "AuditEvent_default"`,
  );
  const wanted = new Set(rows.map((row) => row.month));
  for (let offset = 0; offset <= ahead; offset += 1) wanted.add(monthOf(monthStart(now, offset)));
  const created: Month[] = [];
  for (const month of [...wanted].sort()) {
    if (existing.has(month)) continue;
    await db.query('SELECT audit_event_partition($1::date)', [`${month}-01`]);
    created.push(month);
  }
  return created;
}

/** Detaches a month's partition and drops it: no DELETE, no row trigger, the same cost for any size. */
export async function dropPartition(db: Queryable, month: Month): Promise<void> {
  const name = partitionOf(month);
  await db.query(`ALTER TABLE "AuditEvent" DETACH PARTITION "${name}"`);
  await db.query(`DROP TABLE "${name}"`);
}
