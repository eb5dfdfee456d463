// The checkpoint writer (SPEC 4): every few seconds when records were added, and at shutdown, signs
// every shard's head with the previous checkpoint's signature, so the log can later be proven whole
// (verify.ts); each checkpoint goes to the AuditCheckpoint table, then to the file sink.
import type pg from 'pg';
import type { Config } from '../config.ts';
import type { Clock } from '../db/clock.ts';
import { AdvisoryLock } from '../db/locks.ts';
import { createCheckpointFileSink } from './checkpoint-file.ts';
import { signCheckpoint, summarizeHeads, type AuditCheckpoint, type ShardHead } from './checkpoint-signature.ts';
import { readLatestCheckpoint } from './checkpoint-table.ts';
import { listSigningKey } from './key-ring.ts';
import type { SigningKey } from './signing-key.ts';

/** The signing key and where checkpoints go, as the server and the verifier resolve them. */
export interface AuditSigning {
  key: SigningKey;
  keyFile: string;
  /** The append-only NDJSON file sink. */
  checkpointFile: string;
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
  const sink = createCheckpointFileSink(checkpointFile);
  let timer: NodeJS.Timeout | null = null;
  // Timer, tests and shutdown may ask at once: one checkpoint at a time per instance.
  let queue: Promise<unknown> = Promise.resolve();

  async function writeCheckpoint(): Promise<AuditCheckpoint | null> {
    const client = await services.pool.connect();
    let checkpoint: AuditCheckpoint;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [
        AdvisoryLock.AuditCheckpoints,
      ]);
      const previous = await readLatestCheckpoint(client);
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
      // A new key takes over here; a key a newer one retired signs nothing more (key-ring.ts).
      await listSigningKey(client, key, services.clock.now());
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
    await sink.append(checkpoint);
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
      await sink.close();
    },
  };
}
