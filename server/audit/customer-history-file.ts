// The file a customer downloads with her staff-access history (GDPR Art. 15), and how anyone checks
// it: three lines of JSON, the second of which is the history itself, exactly as the salon signed
// it with the audit signing key (Ed25519, a detached signature in the third line with the key's
// fingerprint and PEM). The signed bytes are that second line with its newline, so `sed -n 2p`
// gives them to openssl byte for byte (README); the whole file still parses as one JSON object.
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { describePublicKey, type AuditPublicKey } from './signing-key.ts';

/** What the file says it is (its first line). */
export const HISTORY_FORMAT = 'staff-access-history/1';

const FIRST_LINE = `{"format":${JSON.stringify(HISTORY_FORMAT)},"history":\n`;
const SIGNATURE_PREFIX = ',"signature":';

/** The signature block of the file: what is signed, by which key, and the signature. */
export interface HistorySignature {
  algorithm: 'Ed25519';
  /** Which bytes the signature covers, for a reader without this code. */
  signs: string;
  /** Base64 of the 64-byte Ed25519 signature. */
  value: string;
  /** `SHA256:` and the base64 SHA-256 of the DER public key: compare it with the salon's published one. */
  keyFingerprint: string;
  publicKeyPem: string;
}

/** The history as signed: its JSON text on one line, and the newline that ends it. */
export const signedBytes = (history: unknown): Buffer => Buffer.from(`${JSON.stringify(history)}\n`, 'utf8');

/** The downloadable file: the history signed with `key` (its private half). */
export function signedHistoryFile(
  history: unknown,
  key: { privateKey: KeyObject; fingerprint: string; publicKeyPem: string },
): string {
  const bytes = signedBytes(history);
  const signature: HistorySignature = {
    algorithm: 'Ed25519',
    signs: 'line 2 of this file, with its newline: the history, byte for byte',
    value: sign(null, bytes, key.privateKey).toString('base64'),
    keyFingerprint: key.fingerprint,
    publicKeyPem: key.publicKeyPem,
  };
  return `${FIRST_LINE}${bytes.toString('utf8')}${SIGNATURE_PREFIX}${JSON.stringify(signature)}}\n`;
}

/** Why a file does not verify, or `null` when it does. */
export type HistoryFinding =
  'NOT_A_HISTORY_FILE' | 'SIGNATURE_INVALID' | 'KEY_FINGERPRINT_MISMATCH' | 'NOT_THE_EXPECTED_KEY';

/** What checking a file found: the history (when it parses) and the key that signed it. */
export interface HistoryCheck {
  finding: HistoryFinding | null;
  history: unknown;
  keyFingerprint: string | null;
}

/** Splits a file into its signed bytes and its signature block; null when it is not shaped as one. */
function splitFile(file: Buffer): { signed: Buffer; signature: HistorySignature } | null {
  const text = file.toString('utf8');
  const firstEnd = text.indexOf('\n');
  const secondEnd = text.indexOf('\n', firstEnd + 1);
  if (firstEnd < 0 || secondEnd < 0 || text.slice(0, firstEnd + 1) !== FIRST_LINE) return null;
  const third = text.slice(secondEnd + 1).trimEnd();
  if (!third.startsWith(SIGNATURE_PREFIX) || !third.endsWith('}')) return null;
  try {
    const signature = JSON.parse(third.slice(SIGNATURE_PREFIX.length, -1)) as HistorySignature;
    if (typeof signature.value !== 'string' || typeof signature.publicKeyPem !== 'string') return null;
    // Bytes, not characters: the signature covers exactly what the file holds.
    const start = Buffer.byteLength(text.slice(0, firstEnd + 1), 'utf8');
    const end = Buffer.byteLength(text.slice(0, secondEnd + 1), 'utf8');
    return { signed: file.subarray(start, end), signature };
  } catch {
    return null;
  }
}

/**
 * Checks a downloaded file: its signature over line 2, the fingerprint it names against its PEM, and
 * (when given) that the key is the salon's own, `expected`. Without `expected`, a valid signature
 * proves only that the file is unchanged since someone holding that key signed it: compare the
 * fingerprint with the one the salon publishes.
 */
export function checkHistoryFile(file: Buffer, expected?: AuditPublicKey): HistoryCheck {
  const parts = splitFile(file);
  if (!parts) return { finding: 'NOT_A_HISTORY_FILE', history: null, keyFingerprint: null };
  let history: unknown = null;
  let key: AuditPublicKey;
  try {
    history = JSON.parse(parts.signed.toString('utf8'));
    key = describePublicKey(createPublicKey(parts.signature.publicKeyPem));
  } catch {
    return { finding: 'NOT_A_HISTORY_FILE', history, keyFingerprint: null };
  }
  const result = (finding: HistoryFinding | null) => ({ finding, history, keyFingerprint: key.fingerprint });
  if (key.publicKey.asymmetricKeyType !== 'ed25519') return result('NOT_A_HISTORY_FILE');
  if (key.fingerprint !== parts.signature.keyFingerprint) return result('KEY_FINGERPRINT_MISMATCH');
  const valid = verify(null, parts.signed, key.publicKey, Buffer.from(parts.signature.value, 'base64'));
  if (!valid) return result('SIGNATURE_INVALID');
  if (expected && expected.fingerprint !== key.fingerprint) return result('NOT_THE_EXPECTED_KEY');
  return result(null);
}
