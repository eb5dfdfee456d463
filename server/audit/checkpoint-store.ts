// One checkpoint, stored in the database: in a REPEATABLE READ transaction that first takes the
// "AuditCheckpoint" table lock (SHARE ROW EXCLUSIVE: one writer at a time on any instance, readers
// never wait) under lock_timeout, so its snapshot is taken after any checkpoint committed before it.
// In that one snapshot it reads the previous checkpoint, recounts the records from its heads
// (recount.ts) and signs the heads it recounted, and reads what this instance's sink still lacks.
import type pg from 'pg';
import { AdvisoryLock } from '../db/locks.ts';
import {
  signCheckpoint,
  signedHeads,
  summarizeHeads,
  type AuditCheckpoint,
  type ShardHead,
} from './checkpoint-signature.ts';
import { readCheckpointsAfter, readLatestCheckpoint } from './checkpoint-table.ts';
import { listSigningKey } from './key-ring.ts';
import { readLogName, type AuditLogName } from './log-name.ts';
import { recountHeads, type RecountProblem, type WitnessedHead } from './recount.ts';
import type { SigningKey } from './signing-key.ts';

/** At most this many checkpoints are copied to a sink per tick (a new instance catching up). */
export const MIRROR_BATCH = 1000;

/** The recount found the records do not match: nothing was signed. */
export class CheckpointRefused extends Error {
  constructor(readonly problem: RecountProblem) {
    super(`Audit checkpoint refused: ${problem.detail}`);
    this.name = 'CheckpointRefused';
  }
}

/** What one stored tick leaves: the checkpoint (null: nothing new), what the sink lacked, the heads now signed. */
export interface StoredTick {
  checkpoint: AuditCheckpoint | null;
  /** The database's checkpoints after the sink's last one (this tick's own included, when it is the next). */
  forSink: AuditCheckpoint[];
  /** Whether `forSink` reaches the newest checkpoint (else the sink catches up over the next ticks). */
  caughtUp: boolean;
  heads: ShardHead[];
  log: AuditLogName;
}

/** Session settings of the writer's transactions: it fails fast rather than wait. */
export async function withTimeouts(client: pg.ClientBase, timeoutMs: number, readOnly: boolean) {
  await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ${readOnly ? ' READ ONLY' : ''}`);
  await client.query(`SET LOCAL lock_timeout = ${Math.trunc(timeoutMs)}`);
  await client.query(`SET LOCAL statement_timeout = ${Math.trunc(timeoutMs * 5)}`);
}

/** Whether an error is PostgreSQL's lock_timeout (55P03) or statement_timeout (57014). */
export const isTimeout = (error: unknown) => ['55P03', '57014'].includes((error as { code?: string })?.code ?? '');

/** Stores the next checkpoint (if records were added), or throws CheckpointRefused / the database's error. */
export async function storeCheckpoint(
  client: pg.ClientBase,
  options: {
    key: SigningKey;
    now: () => Date;
    timeoutMs: number;
    sinkLastId: string;
    log: AuditLogName | null;
    witnessed: ReadonlyMap<number, WitnessedHead>;
  },
): Promise<StoredTick> {
  const { key } = options;
  await withTimeouts(client, options.timeoutMs, false);
  try {
    // A utility statement: the snapshot is taken by the next one, after the lock is held.
    await client.query('LOCK TABLE "AuditCheckpoint" IN SHARE ROW EXCLUSIVE MODE');
    // Instances of the previous release take turns under this lock only.
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [AdvisoryLock.AuditCheckpoints]);
    const log = options.log ?? (await readLogName(client, key.fingerprint));
    const forSink = await readCheckpointsAfter(client, options.sinkLastId, MIRROR_BATCH);
    const previous = await readLatestCheckpoint(client);
    const recount = await recountHeads(client, previous ? signedHeads(previous) : [], options.witnessed);
    if (recount.problem) throw new CheckpointRefused(recount.problem);
    const summary = summarizeHeads(recount.heads);
    let checkpoint: AuditCheckpoint | null = null;
    if (summary.count !== (previous?.count ?? 0)) {
      const unsigned = {
        createdAt: options.now().toISOString(),
        ...summary,
        prevSignature: previous?.signature ?? null,
        shards: recount.heads,
      };
      // A new key takes over here; a key a newer one retired signs nothing more (key-ring.ts).
      await listSigningKey(client, key, options.now());
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
      checkpoint = { id: inserted.rows[0]!.id, ...unsigned, signature, keyFingerprint: key.fingerprint };
    }
    await client.query('COMMIT');
    const caughtUp = forSink.length < MIRROR_BATCH;
    return {
      checkpoint,
      forSink: caughtUp && checkpoint ? [...forSink, checkpoint] : forSink,
      caughtUp,
      heads: recount.heads,
      log,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
