// The live verify's start after an archive (verify.ts takes it as `resume`): each shard's walk
// begins where the archived months left it (the hash its first live record links to, its count,
// the signed heads already checked against the archive), and archived records whose ids fall among
// the live ones are walked as links in their place, so dropped months are not reported missing.
import type { AuditFinding } from '../findings.ts';
import { walkOf, type ShardWalk } from '../shard-walks.ts';
import type { ChainLink } from './segment.ts';

/** Where a shard stands after the archive: what the live log's first record of the shard links to. */
export interface ShardResume {
  prevHash: string;
  /** The shard's records through lastId (the count checkpoints sign). */
  count: number;
  lastId: string;
}

/** Where the archive ends (retention/verify-archive.ts). */
export interface ArchiveEnd {
  /** Each shard's state before the first live record. */
  shards: Map<number, ShardResume>;
  /** Archived records whose id is above the first live record's (a month boundary crossed by clocks): links only. */
  tail: ChainLink[];
}

/** Seeds the live walk and interleaves the archive's tail (verify.ts calls it). */
export interface WalkResume {
  /** Before the first live record: every shard's state after the archive. */
  seed(walks: Map<number, ShardWalk>): void;
  /** Before the live record `id` (null: after the last one): the archived links below it. */
  before(walks: Map<number, ShardWalk>, id: bigint | null): void;
  /** Broken links between the archive and the live log. */
  findings: AuditFinding[];
}

/** Skips the signed heads a shard's walk has passed (the archive verify checked them). */
function passHeads(walk: ShardWalk, throughId: bigint) {
  while (walk.next < walk.signed.length && BigInt(walk.signed[walk.next]!.lastId) <= throughId) walk.next += 1;
}

/** The resume of a verified archive. */
export function resumeAfter(archive: ArchiveEnd): WalkResume {
  const tail = [...archive.tail];
  const findings: AuditFinding[] = [];
  return {
    findings,
    seed(walks) {
      for (const [shard, state] of archive.shards) {
        const walk = walkOf(walks, shard);
        walk.prevHash = state.prevHash;
        walk.checked = state.count;
        passHeads(walk, BigInt(state.lastId));
      }
    },
    before(walks, id) {
      while (tail.length && (id === null || BigInt(tail[0]!.id) < id)) {
        const link = tail.shift()!;
        const walk = walkOf(walks, link.shard);
        if (link.prevHash !== walk.prevHash)
          findings.push({
            code: 'DELETED_RECORD',
            severity: 'ERROR',
            recordId: link.id,
            checkpointId: null,
            detail: `archived record ${link.id} of shard ${link.shard} does not link to the live record before it`,
          });
        walk.prevHash = link.hash;
        walk.checked += 1;
        passHeads(walk, BigInt(link.id));
      }
    },
  };
}
