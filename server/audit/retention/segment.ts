// An archived month of the audit log, as files an auditor can check offline with the public key
// alone: `<month>.ndjson.gz` (the month's records in id order, one JSON object per line, exactly the
// fields the chain hashes plus id, shard, prevHash and hash) and `<month>.manifest.json` (what the
// segment holds, per shard, the links around it and the checkpoints covering it, signed with the
// audit signing key, like a checkpoint).
import { sign, verify, type KeyObject } from 'node:crypto';
import type { AuditCheckpoint } from '../checkpoint-signature.ts';
import type { Month } from './months.ts';

/** One shard's part of a segment. */
export interface SegmentShard {
  shard: number;
  count: number;
  firstId: string;
  /** The hash the shard's first record in the segment links to. */
  firstPrevHash: string;
  lastId: string;
  lastHash: string;
}

/** A record outside the segment whose id falls among the segment's (its month differs): its links only. */
export interface ChainLink {
  id: string;
  shard: number;
  prevHash: string;
  hash: string;
}

/** A covering checkpoint's timestamp token, kept with the segment so it can be checked offline. */
export interface SegmentTimestamp {
  checkpointId: string;
  token: string;
  tsaUrl: string;
}

/** What a manifest signs. */
export interface SegmentManifest {
  format: 'salon-audit-segment/1';
  month: Month;
  /** The file of the records, next to the manifest. */
  file: string;
  /** SHA-256 (hex) of the file's bytes. */
  sha256: string;
  records: number;
  firstId: string;
  lastId: string;
  shards: SegmentShard[];
  /** Records of later months with an id below lastId, in id order, when the segment was written. */
  later: ChainLink[];
  /** The signed checkpoints whose heads fall in the segment, and the first one after it. */
  checkpoints: AuditCheckpoint[];
  /** Those checkpoints' RFC 3161 tokens (base64 DER) as the TSA gave them; absent in older manifests. */
  timestamps?: SegmentTimestamp[];
  archivedAt: string;
  keyFingerprint: string;
}

/** A manifest with its signature, as the manifest file holds it. */
export interface SignedManifest extends SegmentManifest {
  /** Base64 Ed25519 signature of the manifest's JSON without this field. */
  signature: string;
}

const manifestBytes = (manifest: SegmentManifest) => {
  const { signature: _signature, ...unsigned } = manifest as SignedManifest;
  return Buffer.from(JSON.stringify(unsigned));
};

/** Signs a manifest with the audit signing key. */
export function signManifest(manifest: SegmentManifest, privateKey: KeyObject): SignedManifest {
  return { ...manifest, signature: sign(null, manifestBytes(manifest), privateKey).toString('base64') };
}

/** Whether a manifest's signature verifies with this public key. */
export function manifestSignatureValid(manifest: SignedManifest, publicKey: KeyObject): boolean {
  try {
    return verify(null, manifestBytes(manifest), publicKey, Buffer.from(manifest.signature, 'base64'));
  } catch {
    return false;
  }
}

/** The files of a month's segment. */
export const segmentFiles = (month: Month) => ({
  records: `audit-${month}.ndjson.gz`,
  manifest: `audit-${month}.manifest.json`,
});
