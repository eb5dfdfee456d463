// Checks the audit log against its hash chain and against every signed checkpoint, from the
// database and from the file sink, and names each finding (SPEC 4). Used by the `verifyAuditChain`
// query and by `npm run audit:verify`, whose exit codes are in AuditFindingCodes.
import type { KeyObject } from 'node:crypto';
import type { AuditAction, AuditOutcome, Prisma } from '@prisma/client';
import { auditHash, GENESIS_HASH } from './chain.ts';
import {
  checkpointSignatureValid,
  readDatabaseCheckpoints,
  readFileCheckpoints,
  type AuditCheckpoint,
  type Queryable,
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
}

/** Records with an id above `afterId`, in id order. */
export async function readAuditRecords(db: Queryable, afterId: string, limit: number): Promise<AuditRecord[]> {
  const { rows } = await db.query<AuditRecord & { createdAt: string }>(
    `SELECT id::text, "prevHash", hash, to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
       action::text, outcome::text, "staffId", "customerId", "sessionId", "operationName", "operationType",
       "rootFields", variables, "errorCode", reason, "requestId", ip, "userAgent", seen
     FROM "AuditEvent" WHERE id > $1::bigint ORDER BY "AuditEvent".id LIMIT $2`,
    [afterId, limit],
  );
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}

/** At most this many findings of one code are listed (a table rewritten row by row would list every row). */
const MAX_FINDINGS_PER_CODE = 100;

const sameCheckpoint = (a: AuditCheckpoint, b: AuditCheckpoint) =>
  (['createdAt', 'lastId', 'headHash', 'count', 'prevSignature', 'signature', 'keyFingerprint'] as const).every(
    (field) => a[field] === b[field],
  );

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

/** Walks the whole log in id order, in pages, and checks it against every trusted checkpoint. */
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
    }
  };

  let prevHash = GENESIS_HASH;
  let checked = 0;
  let lastId: string | null = null;
  let next = 0; // the next checkpoint (by lastId) the walk has not reached
  const signedThrough = checkpoints.length ? BigInt(checkpoints[checkpoints.length - 1]!.lastId) : 0n;
  let unverified = 0;
  let firstUnverified: string | null = null;

  for (;;) {
    const page = await readAuditRecords(db, lastId ?? '0', pageSize);
    for (const row of page) {
      const id = BigInt(row.id);
      while (next < checkpoints.length && BigInt(checkpoints[next]!.lastId) < id) {
        const checkpoint = checkpoints[next++]!;
        record(
          'DELETED_RECORD',
          checkpoint.lastId,
          `record ${checkpoint.lastId}, signed by checkpoint ${checkpoint.id}, is missing`,
          checkpoint,
        );
      }
      if (row.prevHash !== prevHash) record('DELETED_RECORD', row.id, 'previous row missing or changed');
      if (auditHash(row.prevHash, row) !== row.hash) record('EDITED_RECORD', row.id, 'row content changed');
      prevHash = row.hash;
      checked += 1;
      if (id > signedThrough) {
        unverified += 1;
        firstUnverified ??= row.id;
      }
      while (next < checkpoints.length && BigInt(checkpoints[next]!.lastId) === id) {
        const checkpoint = checkpoints[next++]!;
        if (row.hash !== checkpoint.headHash)
          record(
            'REWRITTEN_CHAIN',
            row.id,
            `record ${row.id} (or one before it) was rewritten and the chain rehashed: its hash is not the one checkpoint ${checkpoint.id} signed`,
            checkpoint,
          );
        else if (checked < checkpoint.count)
          record(
            'DELETED_RECORD',
            row.id,
            `${checkpoint.count - checked} records up to ${row.id} are missing (checkpoint ${checkpoint.id} signed ${checkpoint.count})`,
            checkpoint,
          );
        else if (checked > checkpoint.count)
          record(
            'REWRITTEN_CHAIN',
            row.id,
            `${checked - checkpoint.count} records up to ${row.id} were inserted (checkpoint ${checkpoint.id} signed ${checkpoint.count})`,
            checkpoint,
          );
      }
      lastId = row.id;
    }
    if (page.length < pageSize) break;
  }
  if (next < checkpoints.length) {
    const checkpoint = checkpoints[checkpoints.length - 1]!;
    record(
      'DELETED_TAIL',
      checkpoint.lastId,
      `the log ends at ${lastId === null ? 'no record' : `record ${lastId}`} (${checked} records) but checkpoint ${checkpoint.id} signed records through ${checkpoint.lastId} (${checkpoint.count} records)`,
      checkpoint,
    );
  }

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
      detail: `${unverified} record${unverified === 1 ? '' : 's'} from ${firstUnverified} on after the last signed checkpoint`,
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

/** The CLI's exit code: the smallest code among the findings, 0 when there is none. */
export function exitCodeFor(findings: AuditFinding[]): number {
  return findings.length ? Math.min(...findings.map((found) => AuditFindingCodes[found.code].exitCode)) : 0;
}
