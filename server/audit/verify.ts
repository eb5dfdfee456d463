// Checks the audit log against its hash chains (one per shard, see chain.ts) and against every
// signed checkpoint, from the database and from the file sink, and names each finding (SPEC 4).
// The log is read once in id order; each record is checked against the previous record of its
// shard and against the shard heads the checkpoints signed. Used by the `verifyAuditChain` query
// and by `npm run audit:verify`, whose exit codes are in AuditFindingCodes.
import type { KeyObject } from 'node:crypto';
import type { AuditAction, AuditOutcome, Prisma } from '@prisma/client';
import { auditHash, GENESIS_HASH } from './chain.ts';
import {
  checkpointSignatureValid,
  readDatabaseCheckpoints,
  readFileCheckpoints,
  signedHeads,
  type AuditCheckpoint,
  type Queryable,
  type ShardHead,
} from './checkpoints.ts';

/**
 * Every finding, its meaning and the exit code of `npm run audit:verify` for it (the CLI exits with
 * the smallest code found; 0: intact, 1: the check could not run). 20 and above are warnings.
 */
export const AuditFindingCodes = {
  EDITED_RECORD: { exitCode: 10, description: 'A record no longer matches its own hash: edited in place.' },
  DELETED_RECORD: {
    exitCode: 11,
    description: 'A record is missing from the middle: a link names another hash, or a checkpoint counted more.',
  },
  DELETED_TAIL: {
    exitCode: 12,
    description: 'The log ends before the last record a checkpoint signed: truncated, or the newest records deleted.',
  },
  REWRITTEN_CHAIN: {
    exitCode: 13,
    description:
      'The chain is consistent but not the one a checkpoint signed: rewritten and rehashed, or records inserted.',
  },
  BAD_CHECKPOINT_SIGNATURE: {
    exitCode: 14,
    description:
      'A checkpoint (database or file sink) is not signed by this key: forged, or altered without a file copy.',
  },
  CHECKPOINT_MISMATCH: {
    exitCode: 15,
    description:
      'A checkpoint of the file sink is missing or different in the database, or the database checkpoints do not chain.',
  },
  REORDERED_RECORD: {
    exitCode: 16,
    description:
      'A record links to a record of its shard that is still there but not just before it: records were moved (ids swapped).',
  },
  UNVERIFIED_TAIL: {
    exitCode: 20,
    description: 'Warning: records after the last signed checkpoint; normal for up to AUDIT_CHECKPOINT_INTERVAL_MS.',
  },
} as const;

/** The name of a finding of the verifier. */
export type AuditFindingCode = keyof typeof AuditFindingCodes;

/** One thing the verifier found wrong (or a warning), with where. */
export interface AuditFinding {
  code: AuditFindingCode;
  severity: 'ERROR' | 'WARNING';
  /** The record the finding is about, when there is one. */
  recordId: string | null;
  checkpointId: string | null;
  detail: string;
}

/** What the verifier found over the whole log. */
export interface AuditVerification {
  /** No error-level finding (an unverified tail alone is ok). */
  ok: boolean;
  /** Records walked. */
  checked: number;
  /** The record of the first error finding (kept from the chain-only verifier). */
  brokenAtId: string | null;
  problem: string | null;
  findings: AuditFinding[];
}

/** The public keys checkpoints are verified with. */
export interface VerificationKeys {
  publicKey: KeyObject;
  /** The file sink; null: compare with the database's checkpoints only. */
  checkpointFile: string | null;
}

/** A record as the chain hashes it, read with plain SQL so a test's open transaction can be verified. */
export interface AuditRecord {
  id: string;
  prevHash: string;
  hash: string;
  createdAt: Date;
  action: AuditAction;
  outcome: AuditOutcome;
  staffId: string | null;
  customerId: string | null;
  sessionId: string | null;
  operationName: string | null;
  operationType: string | null;
  rootFields: string[];
  variables: Prisma.JsonValue;
  errorCode: string | null;
  reason: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  seen: Prisma.JsonValue;
  /** The chain the record is linked in. */
  shard: number;
}

/** Records with an id above `afterId`, in id order. */
export async function readAuditRecords(db: Queryable, afterId: string, limit: number): Promise<AuditRecord[]> {
  const { rows } = await db.query<AuditRecord & { createdAt: string }>(
    `SELECT id::text, "prevHash", hash, to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
       action::text, outcome::text, "staffId", "customerId", "sessionId", "operationName", "operationType",
       "rootFields", variables, "errorCode", reason, "requestId", ip, "userAgent", seen, shard
     FROM "AuditEvent" WHERE id > $1::bigint ORDER BY "AuditEvent".id LIMIT $2`,
    [afterId, limit],
  );
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}

/** At most this many findings of one code are listed (a table rewritten row by row would list every row). */
const MAX_FINDINGS_PER_CODE = 100;

const headsText = (checkpoint: AuditCheckpoint) =>
  checkpoint.shards
    ? JSON.stringify(
        [...checkpoint.shards]
          .sort((a, b) => a.shard - b.shard)
          .map((head) => [head.shard, head.lastId, head.headHash, head.count]),
      )
    : null;

const sameCheckpoint = (a: AuditCheckpoint, b: AuditCheckpoint) =>
  (['createdAt', 'lastId', 'headHash', 'count', 'prevSignature', 'signature', 'keyFingerprint'] as const).every(
    (field) => a[field] === b[field],
  ) && headsText(a) === headsText(b);

/**
 * The checkpoints to check the records against (those with a valid signature; the file's copy
 * wins over an altered database row), and the findings about the checkpoints themselves.
 */
async function trustedCheckpoints(db: Queryable, keys: VerificationKeys) {
  const findings: AuditFinding[] = [];
  const finding = (code: AuditFindingCode, checkpointId: string | null, detail: string) =>
    findings.push({ code, severity: 'ERROR', recordId: null, checkpointId, detail });
  const inDatabase = await readDatabaseCheckpoints(db);
  const inFile = keys.checkpointFile ? await readFileCheckpoints(keys.checkpointFile) : null;
  const trusted = new Map<string, AuditCheckpoint>();
  const consider = (checkpoint: AuditCheckpoint, where: string) => {
    if (checkpointSignatureValid(checkpoint, keys.publicKey)) trusted.set(checkpoint.signature, checkpoint);
    else
      finding(
        'BAD_CHECKPOINT_SIGNATURE',
        checkpoint.id,
        `checkpoint ${checkpoint.id} in the ${where} (through record ${checkpoint.lastId}) is not signed by this server's key`,
      );
  };

  const byId = new Map(inDatabase.map((checkpoint) => [checkpoint.id, checkpoint]));
  const inFileIds = new Set<string>();
  if (keys.checkpointFile && !inFile && inDatabase.length > 0) {
    finding(
      'CHECKPOINT_MISMATCH',
      null,
      `the file sink ${keys.checkpointFile} is missing; the database has ${inDatabase.length} checkpoints`,
    );
  }
  for (const line of inFile?.unreadableLines ?? []) {
    finding('BAD_CHECKPOINT_SIGNATURE', null, `line ${line} of the file sink is not a checkpoint`);
  }
  for (const checkpoint of inFile?.checkpoints ?? []) {
    inFileIds.add(checkpoint.id);
    consider(checkpoint, 'file sink');
    const stored = byId.get(checkpoint.id);
    if (!stored)
      finding(
        'CHECKPOINT_MISMATCH',
        checkpoint.id,
        `checkpoint ${checkpoint.id} of the file sink is missing from the database`,
      );
    else if (!sameCheckpoint(stored, checkpoint))
      finding(
        'CHECKPOINT_MISMATCH',
        checkpoint.id,
        `checkpoint ${checkpoint.id} in the database differs from its file copy`,
      );
  }
  inDatabase.forEach((checkpoint, index) => {
    if (!inFileIds.has(checkpoint.id)) consider(checkpoint, 'database');
    const previous = inDatabase[index - 1]?.signature ?? null;
    if (checkpoint.prevSignature !== previous)
      finding(
        'CHECKPOINT_MISMATCH',
        checkpoint.id,
        `checkpoint ${checkpoint.id} does not name the signature of the checkpoint before it in the database (one was removed or altered)`,
      );
  });
  const sorted = [...trusted.values()].sort((a, b) =>
    BigInt(a.lastId) < BigInt(b.lastId) ? -1 : BigInt(a.lastId) > BigInt(b.lastId) ? 1 : 0,
  );
  return { checkpoints: sorted, findings };
}

/** What one signed checkpoint says about one shard. */
interface SignedHead extends ShardHead {
  checkpoint: AuditCheckpoint;
}

/** One shard's walk: its last hash, its records so far, the heads signed for it (by lastId). */
interface ShardWalk {
  prevHash: string;
  checked: number;
  signed: SignedHead[];
  /** The next signed head the walk has not reached. */
  next: number;
  signedThrough: bigint;
}

const byLastId = (a: { lastId: string }, b: { lastId: string }) =>
  BigInt(a.lastId) < BigInt(b.lastId) ? -1 : BigInt(a.lastId) > BigInt(b.lastId) ? 1 : 0;

/** The heads every trusted checkpoint signed, per shard, oldest first. */
function shardWalks(checkpoints: AuditCheckpoint[]): Map<number, ShardWalk> {
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

function walkOf(walks: Map<number, ShardWalk>, shard: number): ShardWalk {
  let walk = walks.get(shard);
  if (!walk) {
    walk = { prevHash: GENESIS_HASH, checked: 0, signed: [], next: 0, signedThrough: 0n };
    walks.set(shard, walk);
  }
  return walk;
}

/** Walks the whole log in id order, in pages, and checks each shard against every trusted checkpoint. */
export async function verifyAuditLog(
  db: Queryable,
  keys: VerificationKeys,
  pageSize = 1000,
): Promise<AuditVerification> {
  const { checkpoints, findings: checkpointFindings } = await trustedCheckpoints(db, keys);
  const chainFindings: AuditFinding[] = [];
  // Checkpoint findings about the records: the earliest checkpoint that disagrees says it (later ones follow from it).
  const coverage = new Map<AuditFindingCode, AuditFinding>();
  const record = (code: AuditFindingCode, recordId: string, detail: string, checkpoint?: AuditCheckpoint) => {
    const found: AuditFinding = { code, severity: 'ERROR', recordId, checkpointId: checkpoint?.id ?? null, detail };
    if (checkpoint) {
      if (!coverage.has(code)) coverage.set(code, found);
    } else if (chainFindings.filter((listed) => listed.code === code).length < MAX_FINDINGS_PER_CODE) {
      chainFindings.push(found);
      return found;
    }
    return null;
  };
  /** Broken links, told apart once the walk is over: a predecessor still in its shard means a reordering. */
  const brokenLinks: { finding: AuditFinding; shard: number; prevHash: string }[] = [];

  const walks = shardWalks(checkpoints);
  let checked = 0;
  let lastId: string | null = null;
  let unverified = 0;
  let firstUnverified: string | null = null;

  for (;;) {
    const page = await readAuditRecords(db, lastId ?? '0', pageSize);
    for (const row of page) {
      const id = BigInt(row.id);
      const walk = walkOf(walks, row.shard);
      const where = `shard ${row.shard}`;
      while (walk.next < walk.signed.length && BigInt(walk.signed[walk.next]!.lastId) < id) {
        const head = walk.signed[walk.next++]!;
        record(
          'DELETED_RECORD',
          head.lastId,
          `record ${head.lastId} of ${where}, signed by checkpoint ${head.checkpoint.id}, is missing`,
          head.checkpoint,
        );
      }
      if (row.prevHash !== walk.prevHash) {
        const finding = record('DELETED_RECORD', row.id, 'previous row missing or changed');
        if (finding) brokenLinks.push({ finding, shard: row.shard, prevHash: row.prevHash });
      }
      if (auditHash(row.prevHash, row) !== row.hash) record('EDITED_RECORD', row.id, 'row content changed');
      walk.prevHash = row.hash;
      walk.checked += 1;
      checked += 1;
      if (id > walk.signedThrough) {
        unverified += 1;
        firstUnverified ??= row.id;
      }
      while (walk.next < walk.signed.length && BigInt(walk.signed[walk.next]!.lastId) === id) {
        const head = walk.signed[walk.next++]!;
        const checkpoint = head.checkpoint;
        if (row.hash !== head.headHash)
          record(
            'REWRITTEN_CHAIN',
            row.id,
            `record ${row.id} of ${where} (or one before it) was rewritten and the chain rehashed: its hash is not the one checkpoint ${checkpoint.id} signed`,
            checkpoint,
          );
        else if (walk.checked < head.count)
          record(
            'DELETED_RECORD',
            row.id,
            `${head.count - walk.checked} records of ${where} up to ${row.id} are missing (checkpoint ${checkpoint.id} signed ${head.count})`,
            checkpoint,
          );
        else if (walk.checked > head.count)
          record(
            'REWRITTEN_CHAIN',
            row.id,
            `${walk.checked - head.count} records of ${where} up to ${row.id} were inserted (checkpoint ${checkpoint.id} signed ${head.count})`,
            checkpoint,
          );
      }
      lastId = row.id;
    }
    if (page.length < pageSize) break;
  }
  for (const [shard, walk] of walks) {
    if (walk.next >= walk.signed.length) continue;
    const head = walk.signed[walk.signed.length - 1]!;
    record(
      'DELETED_TAIL',
      head.lastId,
      `shard ${shard} ends after ${walk.checked} records but checkpoint ${head.checkpoint.id} signed its records through ${head.lastId} (${head.count} records)`,
      head.checkpoint,
    );
  }
  await tellReorderings(db, brokenLinks);

  // A missing record the chain walk already named needs no second finding from the count.
  const chainNamed = new Set(chainFindings.map((found) => found.code));
  const findings = [
    ...chainFindings,
    ...[...coverage.values()].filter((found) => !(found.code === 'DELETED_RECORD' && chainNamed.has('DELETED_RECORD'))),
    ...checkpointFindings,
  ];
  if (unverified > 0) {
    findings.push({
      code: 'UNVERIFIED_TAIL',
      severity: 'WARNING',
      recordId: firstUnverified,
      checkpointId: null,
      detail: `${unverified} record${unverified === 1 ? '' : 's'} from ${firstUnverified} on after the last signed checkpoint of their shard`,
    });
  }
  const firstError = findings.find((found) => found.severity === 'ERROR');
  return {
    ok: !firstError,
    checked,
    brokenAtId: firstError?.recordId ?? null,
    problem: firstError?.detail ?? null,
    findings,
  };
}

/**
 * A broken link whose predecessor (the record with the hash it names) is still in its shard is a
 * reordering, not a deletion: the finding becomes REORDERED_RECORD (one indexed lookup for all).
 */
async function tellReorderings(
  db: Queryable,
  brokenLinks: { finding: AuditFinding; shard: number; prevHash: string }[],
) {
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

/** The CLI's exit code: the smallest code among the findings, 0 when there is none. */
export function exitCodeFor(findings: AuditFinding[]): number {
  return findings.length ? Math.min(...findings.map((found) => AuditFindingCodes[found.code].exitCode)) : 0;
}
