// What a checkpoint signs, fixed byte for byte so the verifier can check a copy years later (cf.
// AWS CloudTrail's signed digest files). Checkpoints signed before the shards (migration 0010, v1)
// have no `shards`: they signed the single chain, which is shard 0's beginning.
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

/** One shard's head as a checkpoint signs it. */
export interface ShardHead {
  shard: number;
  /** The id of the shard's newest record. */
  lastId: string;
  /** That record's hash. */
  headHash: string;
  /** The shard's records, up to and including lastId. */
  count: number;
}

/** One checkpoint, as stored in the database and as one line of the file sink. */
export interface AuditCheckpoint {
  /** Database id (opaque; the chain is the signatures, not the ids). */
  id: string;
  /** ISO time with milliseconds, as stored. */
  createdAt: string;
  /** v1: the chain's last id; v2: the highest last id of the shards. */
  lastId: string;
  /** v1: the chain's head hash; v2: the SHA-256 of the signed shard heads. */
  headHash: string;
  /** Records signed (v2: of every shard). */
  count: number;
  prevSignature: string | null;
  /** v2: every non-empty shard's head, by shard; null: a v1 checkpoint (the single chain, shard 0). */
  shards: ShardHead[] | null;
  /** Base64 Ed25519 signature of `checkpointPayload`. */
  signature: string;
  keyFingerprint: string;
}

/** Shard heads as signed: [shard, lastId, headHash, count] tuples in shard order. */
export const headTuples = (shards: ShardHead[]) =>
  [...shards]
    .sort((a, b) => a.shard - b.shard)
    .map(({ shard, lastId, headHash, count }) => [shard, lastId, headHash, count]);

/** The signed bytes: every field but the id and the signature, in a fixed order. */
function checkpointPayload(checkpoint: Omit<AuditCheckpoint, 'id' | 'signature' | 'keyFingerprint'>): Buffer {
  const { createdAt, lastId, headHash, count, prevSignature, shards } = checkpoint;
  if (!shards)
    return Buffer.from(JSON.stringify(['salon-audit-checkpoint/1', createdAt, lastId, headHash, count, prevSignature]));
  return Buffer.from(
    JSON.stringify(['salon-audit-checkpoint/2', createdAt, lastId, headHash, count, prevSignature, headTuples(shards)]),
  );
}

/** The shard heads a checkpoint signed; a v1 checkpoint signed the single chain, now shard 0. */
export function signedHeads(checkpoint: AuditCheckpoint): ShardHead[] {
  return (
    checkpoint.shards ?? [
      { shard: 0, lastId: checkpoint.lastId, headHash: checkpoint.headHash, count: checkpoint.count },
    ]
  );
}

/** The summary fields of a v2 checkpoint: the highest last id, a digest of the heads, the total count. */
export function summarizeHeads(shards: ShardHead[]): Pick<AuditCheckpoint, 'lastId' | 'headHash' | 'count'> {
  const lastId = shards.reduce((max, head) => (BigInt(head.lastId) > max ? BigInt(head.lastId) : max), 0n);
  return {
    lastId: lastId.toString(),
    headHash: createHash('sha256')
      .update(JSON.stringify(headTuples(shards)))
      .digest('hex'),
    count: shards.reduce((sum, head) => sum + head.count, 0),
  };
}

/** Signs a checkpoint's content with the Ed25519 key. */
export function signCheckpoint(
  checkpoint: Omit<AuditCheckpoint, 'id' | 'signature' | 'keyFingerprint'>,
  privateKey: KeyObject,
): string {
  return sign(null, checkpointPayload(checkpoint), privateKey).toString('base64');
}

/** Whether a checkpoint's signature verifies with this public key. */
export function checkpointSignatureValid(checkpoint: AuditCheckpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, checkpointPayload(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}
