// The keys that have signed audit checkpoints (key rotation, issue 22 item 4): the append-only
// "AuditSigningKey" table lists each key with the checkpoint after which it signs. The writer lists
// its key in its own transaction before it signs (a new key takes over from the newest checkpoint
// on) and refuses to sign with a key a newer one retired. Each row is signed by its own key and
// names the key before it, so the newest public key vouches for the whole list (key-ring-verify.ts).
import { createPublicKey, sign, verify } from 'node:crypto';
import type pg from 'pg';
import { AdvisoryLock } from '../db/locks.ts';
import type { Queryable } from './checkpoint-table.ts';
import { describePublicKey, type SigningKey } from './signing-key.ts';

/** One listed key, as stored. */
export interface ListedSigningKey {
  id: string;
  fingerprint: string;
  publicKeyPem: string;
  /** The key signs the checkpoints with an id above this one ("0": from the first). */
  afterCheckpointId: string;
  /** ISO time it was listed. */
  since: string;
  previousFingerprint: string | null;
  /** Base64 Ed25519 signature of the row's statement by its own key. */
  signature: string;
}

/** The writer's key was retired by a newer one: this instance must restart with the new key. */
export class RetiredSigningKeyError extends Error {
  constructor(fingerprint: string, successor: string) {
    super(
      `Audit signing key ${fingerprint} was retired (key ${successor} signs the checkpoints now): this instance signs no more checkpoints until it restarts with the new AUDIT_SIGNING_KEY_FILE`,
    );
    this.name = 'RetiredSigningKeyError';
  }
}

/** The signed bytes of a listing: every field but the id and the signature, in a fixed order. */
function statement(row: Omit<ListedSigningKey, 'id' | 'signature'>): Buffer {
  const { fingerprint, publicKeyPem, afterCheckpointId, since, previousFingerprint } = row;
  return Buffer.from(
    JSON.stringify([
      'salon-audit-signing-key/1',
      fingerprint,
      publicKeyPem,
      afterCheckpointId,
      since,
      previousFingerprint,
    ]),
  );
}

/**
 * Whether a listing is genuine: its PEM has its fingerprint and its own key signed it. A row that
 * passes says only what that key said about itself; the chain from a trusted key does the rest.
 */
export function listingValid(row: ListedSigningKey): boolean {
  try {
    const publicKey = createPublicKey(row.publicKeyPem);
    if (describePublicKey(publicKey).fingerprint !== row.fingerprint) return false;
    return verify(null, statement(row), publicKey, Buffer.from(row.signature, 'base64'));
  } catch {
    return false;
  }
}

/** The listed keys, oldest first. */
export async function readSigningKeys(db: Queryable): Promise<ListedSigningKey[]> {
  const { rows } = await db.query<ListedSigningKey>(
    `SELECT id::text, fingerprint, "publicKeyPem", "afterCheckpointId"::text AS "afterCheckpointId",
       to_char(since, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS since, "previousFingerprint", signature
     FROM "AuditSigningKey" ORDER BY "AuditSigningKey".id`,
  );
  return rows;
}

/**
 * Lists `key` as the signing key unless it is the newest listed already. Call inside the
 * transaction that holds the checkpoint lock, before signing: a new key takes over after the newest
 * checkpoint (the first key listed covers every checkpoint before it). Throws
 * RetiredSigningKeyError for a key listed before the newest: it must not sign again.
 */
export async function listSigningKey(db: Queryable, key: SigningKey, now: Date): Promise<ListedSigningKey | null> {
  const listed = await readSigningKeys(db);
  const newest = listed.at(-1);
  if (newest?.fingerprint === key.fingerprint) return null;
  if (newest && listed.some((row) => row.fingerprint === key.fingerprint))
    throw new RetiredSigningKeyError(key.fingerprint, newest.fingerprint);
  const { rows } = await db.query<{ id: string | null }>('SELECT max(id)::text AS id FROM "AuditCheckpoint"');
  const unsigned = {
    fingerprint: key.fingerprint,
    publicKeyPem: key.publicKeyPem,
    afterCheckpointId: newest ? (rows[0]?.id ?? '0') : '0',
    since: now.toISOString(),
    previousFingerprint: newest?.fingerprint ?? null,
  };
  const signature = sign(null, statement(unsigned), key.privateKey).toString('base64');
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO "AuditSigningKey" (fingerprint, "publicKeyPem", "afterCheckpointId", since, "previousFingerprint", signature)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (fingerprint) DO NOTHING RETURNING id::text`,
    [...Object.values(unsigned), signature],
  );
  // Listed at the same moment by another transaction (another instance starting with this key).
  if (inserted.rows.length === 0) return null;
  return { id: inserted.rows[0]!.id, ...unsigned, signature };
}

/**
 * Lists `key` in a transaction of its own under the checkpoint lock: at start, and by the rotation
 * script, so the key is listed (and the key it replaces retired) before its first checkpoint.
 */
export async function listSigningKeyNow(pool: pg.Pool, key: SigningKey, now: Date): Promise<ListedSigningKey | null> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // The writer's locks, in its order: its transaction may read one snapshot from before its
    // advisory lock, so it must wait on the table lock (a utility statement, no snapshot) instead.
    await client.query('LOCK TABLE "AuditCheckpoint" IN SHARE ROW EXCLUSIVE MODE');
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [AdvisoryLock.AuditCheckpoints]);
    const listed = await listSigningKey(client, key, now);
    await client.query('COMMIT');
    return listed;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
