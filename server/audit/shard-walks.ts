// The verifier walks the log once in id order but checks it as AUDIT_SHARDS separate chains: this
// keeps each shard's place (its last hash, its count, the next head a checkpoint signed for it) and
// tells a reordering from a deletion once the walk is over.
import { GENESIS_HASH } from './chain.ts';
import { signedHeads, type AuditCheckpoint, type ShardHead } from './checkpoint-signature.ts';
import type { Queryable } from './checkpoint-table.ts';
import type { AuditFinding } from './findings.ts';

/** What one signed checkpoint says about one shard. */
export interface SignedHead extends ShardHead {
  checkpoint: AuditCheckpoint;
}

/** One shard's walk: its last hash, its records so far, the heads signed for it (by lastId). */
export interface ShardWalk {
  prevHash: string;
  checked: number;
  signed: SignedHead[];
  /** The next signed head the walk has not reached. */
  next: number;
  signedThrough: bigint;
}

/** A record whose link names another hash than its shard's previous record, and the hash it names. */
export interface BrokenLink {
  finding: AuditFinding;
  shard: number;
  prevHash: string;
}

/** Orders checkpoints or signed heads by their last record id (ids are bigints as text). */
export const byLastId = (a: { lastId: string }, b: { lastId: string }) =>
  BigInt(a.lastId) < BigInt(b.lastId) ? -1 : BigInt(a.lastId) > BigInt(b.lastId) ? 1 : 0;

/** The heads every trusted checkpoint signed, per shard, oldest first. */
export function shardWalks(checkpoints: AuditCheckpoint[]): Map<number, ShardWalk> {
  const walks = new Map<number, ShardWalk>();
  for (const checkpoint of checkpoints) {
    for (const head of signedHeads(checkpoint)) {
      const walk = walkOf(walks, head.shard);
      walk.signed.push({ ...head, checkpoint });
    }
  }
  for (const walk of walks.values()) {
    walk.signed.sort(byLastId);
    walk.signedThrough = walk.signed.length ? BigInt(walk.signed[walk.signed.length - 1]!.lastId) : 0n;
  }
  return walks;
}

/** The walk of a shard, started at the genesis hash the first time the shard is seen. */
export function walkOf(walks: Map<number, ShardWalk>, shard: number): ShardWalk {
  let walk = walks.get(shard);
  if (!walk) {
    walk = { prevHash: GENESIS_HASH, checked: 0, signed: [], next: 0, signedThrough: 0n };
    walks.set(shard, walk);
  }
  return walk;
}

/**
 * A broken link whose predecessor (the record with the hash it names) is still in its shard is a
 * reordering, not a deletion: the finding becomes REORDERED_RECORD (one indexed lookup for all).
 */
export async function tellReorderings(db: Queryable, brokenLinks: BrokenLink[]) {
  if (brokenLinks.length === 0) return;
  const { rows } = await db.query<{ id: string; hash: string; shard: number }>(
    'SELECT id::text, hash, shard FROM "AuditEvent" WHERE hash = ANY($1::text[])',
    [brokenLinks.map((link) => link.prevHash)],
  );
  const present = new Map(rows.map((row) => [row.hash, row]));
  for (const { finding, shard, prevHash } of brokenLinks) {
    const predecessor = present.get(prevHash);
    if (!predecessor || predecessor.shard !== shard) continue;
    finding.code = 'REORDERED_RECORD';
    finding.detail = `record ${finding.recordId} of shard ${shard} links to record ${predecessor.id}, which is not the record before it: records were reordered`;
  }
}
