// The checkpoint writer's proof of what it signs: from the shard heads of the previous checkpoint
// (or of its own last witness), it walks every shard's newer records, checks each link and rehashes
// each record, and compares where each shard ends with its "AuditChainHead" row and with what it
// witnessed before. It signs the heads it recounted, never the head rows as read: a row rewound
// over deleted records, or records edited, removed or rehashed since, is a problem, and nothing is signed.
import { AUDIT_SHARDS, GENESIS_HASH, auditHash } from './chain.ts';
import type { ShardHead } from './checkpoint-signature.ts';
import type { Queryable } from './checkpoint-table.ts';
import type { AuditFindingCode } from './findings.ts';
import { readShardRecords, type AuditRecord } from './records.ts';

/** Why the recount will not sign. */
export interface RecountProblem {
  code: AuditFindingCode;
  detail: string;
}

/** The recounted heads of every non-empty shard, or the first problem found. */
export type Recount = { heads: ShardHead[]; problem: null } | { heads: null; problem: RecountProblem };

/** A head the writer witnessed earlier, and when. */
export interface WitnessedHead extends ShardHead {
  witnessedAt: string;
}

interface ShardCount {
  afterId: string;
  prevHash: string;
  count: number;
  /** The base's last id: witnessed heads at or below it were signed already. */
  baseId: bigint;
  done: boolean;
  witnessed?: WitnessedHead;
  witnessChecked: boolean;
}

/** Checks one record against its shard's walk; a problem if it does not follow. */
function follow(walk: ShardCount, record: AuditRecord): RecountProblem | null {
  const where = `record ${record.id} of shard ${record.shard}`;
  if (record.prevHash !== walk.prevHash)
    return { code: 'DELETED_RECORD', detail: `${where} does not link to the record before it (removed or changed)` };
  if (auditHash(record.prevHash, record) !== record.hash)
    return { code: 'EDITED_RECORD', detail: `${where} no longer matches its hash (edited)` };
  walk.afterId = record.id;
  walk.prevHash = record.hash;
  walk.count += 1;
  const witnessed = walk.witnessed;
  if (witnessed && !walk.witnessChecked && BigInt(record.id) >= BigInt(witnessed.lastId)) {
    walk.witnessChecked = true;
    if (record.id !== witnessed.lastId || record.hash !== witnessed.headHash || walk.count !== witnessed.count)
      return witnessGone(record.shard, witnessed);
  }
  return null;
}

const witnessGone = (shard: number, witnessed: WitnessedHead): RecountProblem => ({
  code: 'DELETED_RECORD',
  detail: `record ${witnessed.lastId} of shard ${shard}, the ${witnessed.count}th, witnessed at ${witnessed.witnessedAt}, is no longer there as witnessed: records were removed and the head rewound`,
});

/**
 * Recounts every shard from `base` (the heads last signed; absent shards start at genesis), in the
 * caller's snapshot (a REPEATABLE READ transaction, so the head rows and the records agree).
 */
export async function recountHeads(
  db: Queryable,
  base: ShardHead[],
  witnessed: ReadonlyMap<number, WitnessedHead> = new Map(),
  pageSize = 1000,
): Promise<Recount> {
  const { rows: headRows } = await db.query<ShardHead>(
    `SELECT shard, "lastId"::text AS "lastId", hash AS "headHash", count::int AS count FROM "AuditChainHead"`,
  );
  const shards = new Set([
    ...Array(AUDIT_SHARDS).keys(),
    ...base.map((head) => head.shard),
    ...headRows.map((row) => row.shard),
  ]);
  const walks = new Map<number, ShardCount>();
  for (const shard of shards) {
    const from = base.find((head) => head.shard === shard);
    walks.set(shard, {
      afterId: from?.lastId ?? '0',
      prevHash: from?.headHash ?? GENESIS_HASH,
      count: from?.count ?? 0,
      baseId: BigInt(from?.lastId ?? '0'),
      done: false,
      witnessed: witnessed.get(shard),
      witnessChecked: false,
    });
  }
  for (;;) {
    const active = [...walks].filter(([, walk]) => !walk.done);
    if (active.length === 0) break;
    const records = await readShardRecords(
      db,
      active.map(([shard, walk]) => ({ shard, afterId: walk.afterId })),
      pageSize,
    );
    const read = new Map<number, number>();
    for (const record of records) {
      const problem = follow(walks.get(record.shard)!, record);
      if (problem) return { heads: null, problem };
      read.set(record.shard, (read.get(record.shard) ?? 0) + 1);
    }
    for (const [shard, walk] of active) walk.done = (read.get(shard) ?? 0) < pageSize;
  }
  const heads: ShardHead[] = [];
  for (const [shard, walk] of [...walks].sort(([a], [b]) => a - b)) {
    const w = walk.witnessed;
    if (w && !walk.witnessChecked && BigInt(w.lastId) > walk.baseId)
      return { heads: null, problem: witnessGone(shard, w) };
    const row = headRows.find((head) => head.shard === shard);
    const rowCount = row?.count ?? 0;
    if (walk.count === 0 && rowCount === 0) continue;
    if (!row || row.lastId !== walk.afterId || row.headHash !== walk.prevHash || rowCount !== walk.count)
      return {
        heads: null,
        problem: {
          code: rowCount > walk.count ? 'DELETED_RECORD' : 'REWRITTEN_CHAIN',
          detail: `shard ${shard}: its records recount to ${walk.count} through record ${walk.afterId}, but its head row says ${rowCount} through record ${row?.lastId ?? 'none'} (the head was moved, or records removed)`,
        },
      };
    heads.push({ shard, lastId: walk.afterId, headHash: walk.prevHash, count: walk.count });
  }
  return { heads, problem: null };
}
