// Which key each checkpoint must be signed with: the verifier trusts its own public key (the newest
// an auditor holds) and, walking back through the listed keys (key-ring.ts), every older key it
// vouches for, each with the checkpoints of its time. A checkpoint signed by another listed key
// (a retired key used again, e.g. a stolen one) is a finding, as is a listing nobody vouches for.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { checkpointSignatureValid, type AuditCheckpoint } from './checkpoint-signature.ts';
import type { Queryable } from './checkpoint-table.ts';
import type { AuditFinding, AuditFindingCode } from './findings.ts';
import { listingValid, readSigningKeys, type ListedSigningKey } from './key-ring.ts';
import { describePublicKey } from './signing-key.ts';

/** A key the verifier trusts, and the checkpoints it signs (ids above `after`, up to the next key's). */
interface TrustedKey {
  fingerprint: string;
  publicKey: KeyObject;
  after: bigint;
}

/** The verifier's view of the signing keys. */
export interface CheckpointKeys {
  /** The trusted keys, oldest first. */
  keys: TrustedKey[];
  /** Findings about the list of keys itself (UNTRUSTED_KEY). */
  findings: AuditFinding[];
  /** Null when the checkpoint is signed by the key of its time; else the finding to report. */
  problem(checkpoint: AuditCheckpoint, where: string): { code: AuditFindingCode; detail: string } | null;
}

const untrusted = (detail: string): AuditFinding => ({
  code: 'UNTRUSTED_KEY',
  severity: 'ERROR',
  recordId: null,
  checkpointId: null,
  detail,
});

/**
 * The keys vouched for by `anchor`: the anchor's listing and, back from it, each key its successor
 * names, as long as each listing is signed by its own key. Without listings (a log from before key
 * rotation), the anchor signs every checkpoint.
 */
export function trustedKeys(listed: ListedSigningKey[], anchor: KeyObject): Pick<CheckpointKeys, 'keys' | 'findings'> {
  const { fingerprint } = describePublicKey(anchor);
  const everything: TrustedKey[] = [{ fingerprint, publicKey: anchor, after: 0n }];
  if (listed.length === 0) return { keys: everything, findings: [] };
  const at = listed.findIndex((row) => row.fingerprint === fingerprint);
  if (at < 0)
    return {
      keys: everything,
      findings: [
        untrusted(
          `the verifying key ${fingerprint} is not among the ${listed.length} listed signing keys (newest: ${listed.at(-1)!.fingerprint}): verify with the newest key's public half`,
        ),
      ],
    };
  const findings: AuditFinding[] = [];
  if (at < listed.length - 1)
    findings.push(
      untrusted(
        `${listed.length - 1 - at} signing key(s) listed after the verifying key ${fingerprint} are not vouched for by it (newest: ${listed.at(-1)!.fingerprint}): verify with the newest key's public half, or they were forged`,
      ),
    );
  const keys: TrustedKey[] = [];
  for (let index = at; index >= 0; index -= 1) {
    const row = listed[index]!;
    const successor = listed[index + 1];
    const named = index === at || successor?.previousFingerprint === row.fingerprint;
    const valid =
      named &&
      listingValid(row) &&
      (!successor || BigInt(row.afterCheckpointId) <= BigInt(successor.afterCheckpointId));
    if (!valid) {
      findings.push(
        untrusted(
          `the listing of signing key ${row.fingerprint} (row ${row.id}) is not vouched for: ${named ? 'not signed by its own key, or out of order' : `the key after it names ${successor?.previousFingerprint ?? 'none'}`}; it and the keys before it are not trusted`,
        ),
      );
      break;
    }
    keys.unshift({
      fingerprint: row.fingerprint,
      publicKey: createPublicKey(row.publicKeyPem),
      after: BigInt(row.afterCheckpointId),
    });
    if (index === 0 && row.previousFingerprint !== null) {
      findings.push(
        untrusted(`the first listed signing key ${row.fingerprint} names a key before it that is not listed`),
      );
    }
  }
  return { keys: keys.length > 0 ? keys : everything, findings };
}

/** The key whose time `checkpointId` falls in: the newest key listed before it (else the oldest trusted). */
const keyOfItsTime = (keys: TrustedKey[], checkpointId: bigint) =>
  keys.findLast((key) => key.after < checkpointId) ?? keys[0]!;

/** Reads the listed keys and decides which key each checkpoint must be signed with. */
export async function checkpointKeys(db: Queryable, anchor: KeyObject): Promise<CheckpointKeys> {
  const { keys, findings } = trustedKeys(await readSigningKeys(db), anchor);
  return {
    keys,
    findings,
    problem(checkpoint, where) {
      const id = BigInt(checkpoint.id);
      const own = keyOfItsTime(keys, id);
      if (checkpointSignatureValid(checkpoint, own.publicKey)) return null;
      const other = keys.find((key) => key !== own && checkpointSignatureValid(checkpoint, key.publicKey));
      if (other)
        return {
          code: 'RETIRED_KEY',
          detail:
            other.after < own.after
              ? `checkpoint ${checkpoint.id} in the ${where} is signed by key ${other.fingerprint}, retired after checkpoint ${own.after} when key ${own.fingerprint} took over`
              : `checkpoint ${checkpoint.id} in the ${where} is signed by key ${other.fingerprint}, which signs only after checkpoint ${other.after}`,
        };
      return {
        code: 'BAD_CHECKPOINT_SIGNATURE',
        detail: `checkpoint ${checkpoint.id} in the ${where} (through record ${checkpoint.lastId}) is not signed by ${keys.length > 1 ? `the key of its time (${own.fingerprint})` : "this server's key"}`,
      };
    },
  };
}
