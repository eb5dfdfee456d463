// What the checkpoint writer signs when the database will not take a checkpoint: a witness (the
// shard heads it recounted from the records, while they are still there) and a refusal (the
// records it recounted do not match the heads, so it signs nothing). Both go to the file sinks
// only, signed with the checkpoint key and naming their log, so a deletion made while the writer
// was held off (a lock on "AuditCheckpoint") is still named by `audit:verify` afterwards.
import { sign, verify, type KeyObject } from 'node:crypto';
import { headTuples, summarizeHeads, type AuditCheckpoint, type ShardHead } from './checkpoint-signature.ts';
import type { AuditFindingCode } from './findings.ts';
import type { AuditLogName } from './log-name.ts';

/** Shard heads the writer recounted and signed while the database refused its checkpoint. */
export interface AuditWitness {
  type: 'witness';
  log: AuditLogName;
  /** ISO time with milliseconds. */
  createdAt: string;
  shards: ShardHead[];
  keyFingerprint: string;
  signature: string;
}

/** The writer's refusal to sign: what its recount found. */
export interface AuditRefusal {
  type: 'refusal';
  log: AuditLogName;
  createdAt: string;
  /** The finding the recount amounts to (DELETED_RECORD, EDITED_RECORD, REWRITTEN_CHAIN). */
  code: AuditFindingCode;
  detail: string;
  keyFingerprint: string;
  signature: string;
}

type Unsigned<T> = Omit<T, 'signature' | 'keyFingerprint'>;

const logTuple = (log: AuditLogName) => [log.system, log.database, log.schema, log.key];

function payload(line: Unsigned<AuditWitness> | Unsigned<AuditRefusal>): Buffer {
  if (line.type === 'witness')
    return Buffer.from(
      JSON.stringify(['salon-audit-witness/1', logTuple(line.log), line.createdAt, headTuples(line.shards)]),
    );
  return Buffer.from(
    JSON.stringify(['salon-audit-refusal/1', logTuple(line.log), line.createdAt, line.code, line.detail]),
  );
}

/** Signs a witness or a refusal with the checkpoint key. */
export function signLine<T extends AuditWitness | AuditRefusal>(
  line: Unsigned<T>,
  key: { privateKey: KeyObject; fingerprint: string },
): T {
  const signature = sign(
    null,
    payload(line as Unsigned<AuditWitness> | Unsigned<AuditRefusal>),
    key.privateKey,
  ).toString('base64');
  return { ...line, keyFingerprint: key.fingerprint, signature } as T;
}

/** Whether a witness or refusal was signed by this public key. */
export function lineSignatureValid(line: AuditWitness | AuditRefusal, publicKey: KeyObject): boolean {
  try {
    return verify(null, payload(line), publicKey, Buffer.from(line.signature, 'base64'));
  } catch {
    return false;
  }
}

/** A witness as the verifier's walk reads signed heads: a checkpoint with no id, marked as a witness. */
export const witnessHeads = (witness: AuditWitness): AuditCheckpoint & { witness: true } => ({
  id: '',
  createdAt: witness.createdAt,
  ...summarizeHeads(witness.shards),
  prevSignature: null,
  shards: witness.shards,
  signature: witness.signature,
  keyFingerprint: witness.keyFingerprint,
  witness: true,
});
