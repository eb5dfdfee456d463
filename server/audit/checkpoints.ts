// The checkpoint writer (SPEC 4, 11): every AUDIT_CHECKPOINT_INTERVAL_MS, and at shutdown, it signs
// the shard heads it recounted from the records since the previous checkpoint (checkpoint-store.ts),
// stores the checkpoint in the AuditCheckpoint table and then appends it, with every other
// instance's checkpoints it has not copied yet, to its file sink: each sink holds the log's whole
// stream. Held off (a lock on the table, the database refusing), it fails fast, signs a witness of
// the records into its sink instead and reports; when the records do not match it refuses to sign.
import type pg from 'pg';
import type { Config } from '../config.ts';
import type { Clock } from '../db/clock.ts';
import { createJsonLogger } from '../observability/logger.ts';
import { createCheckpointFileSink, readSink, type SinkLine } from './checkpoint-file.ts';
import { createCheckpointHealth, type CheckpointHealth } from './checkpoint-health.ts';
import { summarizeHeads, type AuditCheckpoint, type ShardHead } from './checkpoint-signature.ts';
import { CheckpointRefused, isTimeout, storeCheckpoint, withTimeouts } from './checkpoint-store.ts';
import type { AuditLogName } from './log-name.ts';
import { recountHeads, type RecountProblem, type WitnessedHead } from './recount.ts';
import type { SigningKey } from './signing-key.ts';
import { signLine, type AuditRefusal, type AuditWitness } from './witness.ts';

/** The signing key and where checkpoints go, as the server and the verifier resolve them. */
export interface AuditSigning {
  key: SigningKey;
  keyFile: string;
  /** This instance's append-only NDJSON file sink. */
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
  /** Whether the log is being signed (`/ready`, `/metrics`). */
  health: CheckpointHealth;
}

/** What the checkpoint writer needs from the app. */
export interface CheckpointWriterServices {
  pool: pg.Pool;
  clock: Clock;
  config: Config;
  auditSigning: AuditSigning;
}

/** The heads this instance last saw signed: in the database, or only in its sink (a witness). */
interface SignedBase {
  heads: ShardHead[];
  inDatabase: boolean;
}

/**
 * One writer per instance. Instances sharing a database take turns under the table lock, so the
 * checkpoints form one chain; they must share the signing key.
 */
export function createCheckpointWriter(services: CheckpointWriterServices): CheckpointWriter {
  const { key, checkpointFile } = services.auditSigning;
  const { AUDIT_CHECKPOINT_INTERVAL_MS: intervalMs, AUDIT_CHECKPOINT_TIMEOUT_MS: timeoutMs } = services.config;
  const sink = createCheckpointFileSink(checkpointFile);
  const health = createCheckpointHealth(services.clock, intervalMs);
  const logger = createJsonLogger(services.config.LOG_LEVEL);
  const now = () => services.clock.now();
  let log: AuditLogName | null = null;
  /** The newest checkpoint id the sink holds of this log; null until read. */
  let sinkLastId: string | null = null;
  let base: SignedBase | null = null;
  /** Per shard, the newest head this instance witnessed in its sink and no checkpoint has covered since. */
  const witnessed = new Map<number, WitnessedHead>();
  let refusedWith: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  let pending = 0;
  // Timer, tests and shutdown may ask at once: one checkpoint at a time per instance.
  let queue: Promise<unknown> = Promise.resolve();

  const withLog = (line: AuditCheckpoint): SinkLine => ({ ...line, log: log ?? undefined });

  async function lastIdInSink(of: AuditLogName): Promise<string> {
    const contents = await readSink(checkpointFile, of);
    return (contents?.checkpoints ?? []).reduce((max, line) => (BigInt(line.id) > BigInt(max) ? line.id : max), '0');
  }

  async function store(): Promise<AuditCheckpoint | null> {
    const client = await services.pool.connect();
    let stored;
    try {
      stored = await storeCheckpoint(client, {
        key,
        now,
        timeoutMs,
        sinkLastId: sinkLastId ?? (log ? await lastIdInSink(log) : '0'),
        log,
        witnessed,
      });
    } finally {
      client.release();
    }
    if (sinkLastId === null) {
      // The first tick learns the log's name in its transaction: the sink is read for it now, and
      // what it already holds is not appended twice.
      log = stored.log;
      sinkLastId = await lastIdInSink(log);
      stored.forSink = stored.forSink.filter((line) => BigInt(line.id) > BigInt(sinkLastId!));
    }
    log = stored.log;
    // After the commit: a sink never names a checkpoint the database did not have.
    await sink.append(stored.forSink.map(withLog));
    sinkLastId = stored.forSink.at(-1)?.id ?? sinkLastId;
    base = { heads: stored.heads, inDatabase: true };
    witnessed.clear();
    if (refusedWith) logger.warn('audit checkpoints signed again', { checkpoint: stored.checkpoint?.id ?? null });
    refusedWith = null;
    health.signed();
    return stored.checkpoint;
  }

  /** Signs and appends a refusal to the sink (once per distinct problem), and reports it. */
  async function refuse(problem: RecountProblem) {
    health.failed('refused');
    if (refusedWith === problem.detail) return;
    refusedWith = problem.detail;
    logger.error('audit checkpoint refused: the records do not match the heads', { ...problem });
    if (!log) return;
    const refusal = signLine<AuditRefusal>({ type: 'refusal', log, createdAt: now().toISOString(), ...problem }, key);
    await sink.append([refusal]);
  }

  /**
   * The database would not take the checkpoint: recount from the heads last signed, in a read-only
   * transaction that does not touch AuditCheckpoint, and sign what was recounted into the sink.
   */
  async function witness(): Promise<void> {
    if (!base || !log) return;
    const client = await services.pool.connect();
    let recount;
    try {
      await withTimeouts(client, timeoutMs, true);
      recount = await recountHeads(client, base.heads, witnessed);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    if (recount.problem) return refuse(recount.problem);
    if (summarizeHeads(recount.heads).count === summarizeHeads(base.heads).count) {
      // Nothing was added since the heads last signed.
      if (base.inDatabase) health.signed();
      return;
    }
    const createdAt = now().toISOString();
    const line = signLine<AuditWitness>({ type: 'witness', log, createdAt, shards: recount.heads }, key);
    await sink.append([line]);
    const added = summarizeHeads(recount.heads).count - summarizeHeads(base.heads).count;
    base = { heads: recount.heads, inDatabase: false };
    for (const head of recount.heads) witnessed.set(head.shard, { ...head, witnessedAt: createdAt });
    logger.warn('audit checkpoint witnessed in the file sink only', { witnessedRecords: added, createdAt });
  }

  async function tick(): Promise<AuditCheckpoint | null> {
    health.attempt();
    try {
      return await store();
    } catch (error) {
      if (error instanceof CheckpointRefused) {
        await refuse(error.problem);
        throw error;
      }
      health.failed(isTimeout(error) ? 'lock_timeout' : 'error');
      logger.error('audit checkpoint could not be stored', error as Error, {
        unsignedSeconds: health.unsignedMs() / 1000,
        state: health.state(),
      });
      await witness().catch((witnessError: unknown) =>
        logger.error('audit checkpoint could not be witnessed either', witnessError as Error),
      );
      throw error;
    }
  }

  const checkpointNow = () => {
    pending += 1;
    const next = queue.then(tick).finally(() => (pending -= 1));
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    checkpointNow,
    health,
    start() {
      let reported = health.state();
      timer ??= setInterval(() => {
        // Said once as it happens, even if a tick hangs: the failures themselves are logged as they come.
        const state = health.state();
        if (state !== reported)
          logger[state === 'stalled' ? 'error' : 'info'](`audit checkpoints ${state}`, {
            unsignedSeconds: health.unsignedMs() / 1000,
          });
        reported = state;
        // A tick still running (held off for its timeouts) is not queued behind again.
        if (pending === 0) void checkpointNow().catch(() => undefined);
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await checkpointNow().catch(() => undefined);
      await sink.close();
    },
  };
}
