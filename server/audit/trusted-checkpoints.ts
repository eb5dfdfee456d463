// Which checkpoints the verifier may trust: a checkpoint counts only if this key signed it, and the
// file sink's copy wins over an altered database row, so rewriting the database cannot vouch for itself.
import type { KeyObject } from 'node:crypto';
import { readFileCheckpoints } from './checkpoint-file.ts';
import { headTuples, type AuditCheckpoint } from './checkpoint-signature.ts';
import { readDatabaseCheckpoints, type Queryable } from './checkpoint-table.ts';
import type { AuditFinding, AuditFindingCode } from './findings.ts';
import { checkpointKeys } from './key-ring-verify.ts';
import { byLastId } from './shard-walks.ts';

/** The public keys checkpoints are verified with. */
export interface VerificationKeys {
  /** The newest signing key's public half: it vouches for the older listed keys (key-ring-verify.ts). */
  publicKey: KeyObject;
  /** The file sink; null: compare with the database's checkpoints only. */
  checkpointFile: string | null;
  /** The TSA's certificate (AUDIT_TSA_CERT_FILE); unset: timestamps are not checked (timestamp-verify.ts). */
  tsaCertFile?: string | null;
}

const headsText = (checkpoint: AuditCheckpoint) =>
  checkpoint.shards ? JSON.stringify(headTuples(checkpoint.shards)) : null;

const sameCheckpoint = (a: AuditCheckpoint, b: AuditCheckpoint) =>
  (['createdAt', 'lastId', 'headHash', 'count', 'prevSignature', 'signature', 'keyFingerprint'] as const).every(
    (field) => a[field] === b[field],
  ) && headsText(a) === headsText(b);

/**
 * The checkpoints to check the records against (those with a valid signature; the file's copy
 * wins over an altered database row), and the findings about the checkpoints themselves.
 */
export async function trustedCheckpoints(db: Queryable, keys: VerificationKeys) {
  const findings: AuditFinding[] = [];
  const finding = (code: AuditFindingCode, checkpointId: string | null, detail: string) =>
    findings.push({ code, severity: 'ERROR', recordId: null, checkpointId, detail });
  const inDatabase = await readDatabaseCheckpoints(db);
  const inFile = keys.checkpointFile ? await readFileCheckpoints(keys.checkpointFile) : null;
  const trusted = new Map<string, AuditCheckpoint>();
  // Each checkpoint is checked with the key of its time (key rotation).
  const signingKeys = await checkpointKeys(db, keys.publicKey);
  findings.push(...signingKeys.findings);
  const consider = (checkpoint: AuditCheckpoint, where: string) => {
    const problem = signingKeys.problem(checkpoint, where);
    if (!problem) trusted.set(checkpoint.signature, checkpoint);
    else finding(problem.code, checkpoint.id, problem.detail);
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
  return { checkpoints: [...trusted.values()].sort(byLastId), findings };
}
