// Which checkpoints the verifier may trust: a checkpoint counts only if the key of its time signed it
// (key-ring-verify.ts), and a sink's copy wins over an altered database row, so rewriting the
// database cannot vouch for itself. The stream is read whole (sink-findings.ts): the database and
// every sink given, merged by checkpoint id, each sink read for this log's lines only (log-name.ts).
import type { KeyObject } from 'node:crypto';
import { readSink } from './checkpoint-file.ts';
import type { AuditCheckpoint } from './checkpoint-signature.ts';
import { readDatabaseCheckpoints, type Queryable } from './checkpoint-table.ts';
import type { AuditFinding } from './findings.ts';
import { checkpointKeys } from './key-ring-verify.ts';
import { readLogName, type AuditLogName } from './log-name.ts';
import { byLastId } from './shard-walks.ts';
import { compareSinks } from './sink-findings.ts';
import { describePublicKey } from './signing-key.ts';
import type { AuditWitness } from './witness.ts';

/** The public keys checkpoints are verified with, and the sinks to read. */
export interface VerificationKeys {
  /** The newest signing key's public half: it vouches for the older listed keys (key-ring-verify.ts). */
  publicKey: KeyObject;
  /** This instance's file sink; null: compare with the database's checkpoints only. */
  checkpointFile: string | null;
  /** Other instances' file sinks, read with it (`audit:verify --checkpoint-dir`). */
  otherCheckpointFiles?: string[];
  /** A record that waited longer than this for its checkpoint is an UNSIGNED_GAP warning; unset: only measured. */
  unsignedGapLimitMs?: number;
  /** The TSA's certificate (AUDIT_TSA_CERT_FILE); unset: timestamps are not checked (timestamp-verify.ts). */
  tsaCertFile?: string | null;
}

/** What the verifier reads of the stream. */
export interface TrustedCheckpoints {
  /** Checkpoints with a valid signature, by last id. */
  checkpoints: AuditCheckpoint[];
  /** Witnesses with a valid signature, from every sink. */
  witnesses: AuditWitness[];
  findings: AuditFinding[];
  log: AuditLogName;
  /** Per sink read: its lines of other logs (skipped). */
  sinks: { file: string; present: boolean; otherLogLines: number }[];
}

/** The checkpoints to check the records against, and the findings about the checkpoints themselves. */
export async function trustedCheckpoints(db: Queryable, keys: VerificationKeys): Promise<TrustedCheckpoints> {
  const findings: AuditFinding[] = [];
  const inDatabase = await readDatabaseCheckpoints(db);
  const log = await readLogName(db, describePublicKey(keys.publicKey).fingerprint);
  const files = [...new Set([keys.checkpointFile, ...(keys.otherCheckpointFiles ?? [])].filter((file) => !!file))];
  const sinks = await Promise.all(files.map(async (file) => ({ file: file!, contents: await readSink(file!, log) })));
  // Each checkpoint is checked with the key of its time (key rotation).
  const signingKeys = await checkpointKeys(db, keys.publicKey);
  findings.push(...signingKeys.findings);
  const trusted = new Map<string, AuditCheckpoint>();
  const consider = (checkpoint: AuditCheckpoint, where: string) => {
    const problem = signingKeys.problem(checkpoint, where);
    if (!problem) trusted.set(checkpoint.signature, checkpoint);
    else
      findings.push({
        code: problem.code,
        severity: 'ERROR',
        recordId: null,
        checkpointId: checkpoint.id,
        detail: problem.detail,
      });
    return !problem;
  };
  const compared = compareSinks(
    inDatabase,
    sinks,
    signingKeys.keys,
    (checkpoint) => !signingKeys.problem(checkpoint, 'database'),
  );

  // The stream, merged by id: a sink's copy where there is one, else the database's.
  const stream = new Map<string, AuditCheckpoint>(inDatabase.map((checkpoint) => [checkpoint.id, checkpoint]));
  for (const [id, copies] of compared.copies) {
    copies.forEach((copy) => consider(copy.checkpoint, copy.where));
    stream.set(id, copies[0]!.checkpoint);
  }
  for (const checkpoint of inDatabase) if (!compared.copies.has(checkpoint.id)) consider(checkpoint, 'database');
  const ordered = [...stream.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  ordered.forEach((checkpoint, index) => {
    const previous = ordered[index - 1]?.signature ?? null;
    if (checkpoint.prevSignature !== previous)
      findings.push({
        code: 'CHECKPOINT_MISMATCH',
        severity: 'ERROR',
        recordId: null,
        checkpointId: checkpoint.id,
        detail: `checkpoint ${checkpoint.id} does not name the signature of the checkpoint before it (one was removed or altered)`,
      });
  });
  findings.push(...compared.findings);
  return {
    checkpoints: [...trusted.values()].sort(byLastId),
    witnesses: compared.witnesses,
    findings,
    log,
    sinks: sinks.map(({ file, contents }) => ({
      file,
      present: !!contents,
      otherLogLines: contents?.otherLogLines ?? 0,
    })),
  };
}
