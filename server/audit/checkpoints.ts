// Signed checkpoints of the audit hash chains (SPEC 4; cf. AWS CloudTrail's signed digest files).
// Every few seconds when records were added, and at shutdown, the server signs every shard's head
// {shard, last id, head hash, count} with the previous checkpoint's signature, using an Ed25519 key
// kept outside the database, and writes the checkpoint to the AuditCheckpoint table and to an
// append-only NDJSON file. Someone who can rewrite the database cannot sign; server/audit/verify.ts
// checks the log against both copies. Checkpoints signed before the shards (migration 0010, v1)
// have no `shards`: they signed the single chain, which is shard 0's beginning.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { mkdir, open, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type pg from 'pg';
import type { Config } from '../config.ts';
import type { Clock } from '../db/clock.ts';
import { AdvisoryLock } from '../db/locks.ts';

/** What verifies checkpoints: the public half of the signing key. */
export interface AuditPublicKey {
  publicKey: KeyObject;
  /** SPKI PEM, what an auditor keeps to run the verifier elsewhere. */
  publicKeyPem: string;
  /** `SHA256:` and the base64 SHA-256 of the DER public key (the form `ssh-keygen -l` prints). */
  fingerprint: string;
}

/** The private key that signs checkpoints, with its public half. */
export interface SigningKey extends AuditPublicKey {
  privateKey: KeyObject;
}

/** The signing key and where checkpoints go, as the server and the verifier resolve them. */
export interface AuditSigning {
  key: SigningKey;
  keyFile: string;
  /** The append-only NDJSON file sink. */
  checkpointFile: string;
}

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

/** Anything that runs SQL: the pool, or one client inside a transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** Where the key and the file sink live: settings, else next to DATA_DIR (or in `root`, for tests). */
export function auditSigningFiles(config: Config, root = dirname(config.DATA_DIR)) {
  return {
    keyFile: config.AUDIT_SIGNING_KEY_FILE ?? join(root, 'audit-signing-key.pem'),
    checkpointFile: join(config.AUDIT_CHECKPOINT_DIR ?? join(root, 'audit-checkpoints'), 'audit-checkpoints.ndjson'),
  };
}

/** The PEM and fingerprint of a public key. */
export function describePublicKey(publicKey: KeyObject): AuditPublicKey {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`,
  };
}

/**
 * Reads the Ed25519 private key; with `create`, a missing file is created (mode 0600, never
 * overwriting one written concurrently).
 */
export async function loadSigningKey(file: string, options: { create: boolean }): Promise<SigningKey> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !options.create) {
      throw new Error(
        `Audit signing key ${file} cannot be read (create one with: openssl genpkey -algorithm ed25519 -out ${file})`,
        { cause: error },
      );
    }
    pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, pem, { mode: 0o600, flag: 'wx' }).catch(async (writeError: NodeJS.ErrnoException) => {
      if (writeError.code !== 'EEXIST') throw writeError;
      pem = await readFile(file, 'utf8');
    });
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`Audit signing key ${file} is not an Ed25519 key`);
  return { privateKey, ...describePublicKey(createPublicKey(privateKey)) };
}

/** The public key from a public or private key PEM file (the verifier needs only the public half). */
export async function loadPublicKey(file: string): Promise<AuditPublicKey> {
  return describePublicKey(createPublicKey(await readFile(file, 'utf8')));
}

/** Shard heads as signed: [shard, lastId, headHash, count] tuples in shard order. */
const headTuples = (shards: ShardHead[]) =>
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

const CHECKPOINT_COLUMNS = `id::text, to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  "lastId"::text AS "lastId", "headHash", count, "prevSignature", signature, "keyFingerprint", shards`;

/** The database's checkpoints, oldest first. */
export async function readDatabaseCheckpoints(db: Queryable): Promise<AuditCheckpoint[]> {
  const { rows } = await db.query<AuditCheckpoint>(
    `SELECT ${CHECKPOINT_COLUMNS} FROM "AuditCheckpoint" ORDER BY "AuditCheckpoint".id`,
  );
  return rows;
}

/** The file sink's checkpoints in file order, and the numbers of lines that are not checkpoints; null: no file. */
export async function readFileCheckpoints(
  file: string,
): Promise<{ checkpoints: AuditCheckpoint[]; unreadableLines: number[] } | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const checkpoints: AuditCheckpoint[] = [];
  const unreadableLines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    try {
      const parsed = JSON.parse(line) as AuditCheckpoint;
      if (typeof parsed.signature !== 'string' || typeof parsed.lastId !== 'string')
        throw new Error('not a checkpoint');
      checkpoints.push(parsed);
    } catch {
      unreadableLines.push(index + 1);
    }
  });
  return { checkpoints, unreadableLines };
}

/** The periodic writer the app starts and stops (server/app.ts). */
export interface CheckpointWriter {
  /** Signs and stores a checkpoint if records were added since the last one; resolves with it, else null. */
  checkpointNow(): Promise<AuditCheckpoint | null>;
  /** Checkpoints every AUDIT_CHECKPOINT_INTERVAL_MS. */
  start(): void;
  /** Stops the timer, writes a last checkpoint and closes the file sink. */
  stop(): Promise<void>;
}

/** What the checkpoint writer needs from the app. */
export interface CheckpointWriterServices {
  pool: pg.Pool;
  clock: Clock;
  config: Config;
  auditSigning: AuditSigning;
}

/**
 * One writer per instance. Instances sharing a database take turns under a per-schema advisory
 * lock, so the checkpoints form one chain; they must share the signing key.
 */
export function createCheckpointWriter(services: CheckpointWriterServices): CheckpointWriter {
  const { key, checkpointFile } = services.auditSigning;
  let sink: FileHandle | null = null;
  let timer: NodeJS.Timeout | null = null;
  // Timer, tests and shutdown may ask at once: one checkpoint at a time per instance.
  let queue: Promise<unknown> = Promise.resolve();

  async function appendToSink(checkpoint: AuditCheckpoint) {
    if (!sink) {
      await mkdir(dirname(checkpointFile), { recursive: true });
      sink = await open(checkpointFile, 'a', 0o640);
    }
    await sink.write(`${JSON.stringify(checkpoint)}\n`);
    await sink.datasync();
  }

  async function writeCheckpoint(): Promise<AuditCheckpoint | null> {
    const client = await services.pool.connect();
    let checkpoint: AuditCheckpoint;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [
        AdvisoryLock.AuditCheckpoints,
      ]);
      const [previous] = (
        await client.query<AuditCheckpoint>(
          `SELECT ${CHECKPOINT_COLUMNS} FROM "AuditCheckpoint" ORDER BY "AuditCheckpoint".id DESC LIMIT 1`,
        )
      ).rows;
      // One statement, one snapshot: each head moves in the transaction that appends its record,
      // so the heads read here name committed records, with their shard's count.
      const { rows } = await client.query<ShardHead>(
        `SELECT shard, "lastId"::text AS "lastId", hash AS "headHash", count::int AS count
           FROM "AuditChainHead" WHERE count > 0 ORDER BY shard`,
      );
      const summary = summarizeHeads(rows);
      if (summary.count === (previous?.count ?? 0)) {
        await client.query('ROLLBACK');
        return null;
      }
      const unsigned = {
        createdAt: services.clock.now().toISOString(),
        ...summary,
        prevSignature: previous?.signature ?? null,
        shards: rows,
      };
      const signature = signCheckpoint(unsigned, key.privateKey);
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO "AuditCheckpoint" ("createdAt", "lastId", "headHash", count, "prevSignature", signature, "keyFingerprint", shards)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::text`,
        [
          unsigned.createdAt,
          unsigned.lastId,
          unsigned.headHash,
          unsigned.count,
          unsigned.prevSignature,
          signature,
          key.fingerprint,
          JSON.stringify(unsigned.shards),
        ],
      );
      await client.query('COMMIT');
      checkpoint = { id: inserted.rows[0]!.id, ...unsigned, signature, keyFingerprint: key.fingerprint };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    // After the commit: the file never names a checkpoint the database does not have.
    await appendToSink(checkpoint);
    return checkpoint;
  }

  const checkpointNow = () => {
    const next = queue.then(writeCheckpoint);
    queue = next.catch(() => undefined);
    return next;
  };
  const logFailure = (error: unknown) => console.error('Audit checkpoint failed', error);

  return {
    checkpointNow,
    start() {
      timer ??= setInterval(() => void checkpointNow().catch(logFailure), services.config.AUDIT_CHECKPOINT_INTERVAL_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await checkpointNow().catch(logFailure);
      await sink?.close();
      sink = null;
    },
  };
}
