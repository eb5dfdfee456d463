// External timestamps of the audit checkpoints (RFC 3161): in the background, every checkpoint
// without a token is sent to the time-stamping authority (AUDIT_TSA_URL) and its token stored in
// "AuditCheckpointTimestamp". A TSA that is down or refuses is retried with a doubling wait; the
// app and the checkpoint writer never wait for it (the table is the queue, so a restart resumes).
import type pg from 'pg';
import { Counter, Gauge } from 'prom-client';
import type { Config } from '../config.ts';
import { processRegistry } from '../observability/process-metrics.ts';
import { timestampedBytes, timestampRequest, tokenFromResponse } from './tsa-token.ts';

/** Checkpoints stamped per pass before the next look (a backlog continues at once). */
const BATCH = 20;
/** A reply larger than this is no time-stamp response. */
const MAX_REPLY_BYTES = 256 * 1024;

const timestampedTotal = new Counter({
  name: 'salon_audit_checkpoints_timestamped_total',
  help: 'Audit checkpoints given an RFC 3161 token by the TSA (AUDIT_TSA_URL)',
  registers: [processRegistry],
});
const tsaFailures = new Counter({
  name: 'salon_audit_tsa_failures_total',
  help: 'Requests to the time-stamping authority that gave no usable token (down, refused, wrong reply)',
  registers: [processRegistry],
});
const oldestPending = new Gauge({
  name: 'salon_audit_timestamp_oldest_pending_seconds',
  help: 'Age of the oldest audit checkpoint this instance saw without a TSA token (0: none); alert when it grows',
  registers: [processRegistry],
});

/** What the timestamper needs from the app. */
export interface TimestamperServices {
  pool: pg.Pool;
  config: Pick<
    Config,
    'AUDIT_TSA_URL' | 'AUDIT_TSA_TIMEOUT_MS' | 'AUDIT_TSA_RETRY_MAX_MS' | 'AUDIT_CHECKPOINT_INTERVAL_MS'
  >;
  logger: { warn(message: string, ...args: unknown[]): void; info(message: string, ...args: unknown[]): void };
}

/** The background timestamper of one instance. */
export interface CheckpointTimestamper {
  /** Stamps every checkpoint still without a token; resolves with how many were stamped, rejects when the TSA fails. */
  stampPending(): Promise<number>;
  /** Looks for checkpoints to stamp every AUDIT_CHECKPOINT_INTERVAL_MS; after a failure, waits twice as long each time. */
  start(): void;
  stop(): Promise<void>;
}

interface PendingCheckpoint {
  id: string;
  signature: string;
  createdAt: Date;
}

/** Asks the TSA for a token over `data`. */
async function requestToken(url: string, data: Buffer, timeoutMs: number) {
  const request = timestampRequest(data);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
    body: new Uint8Array(request.der),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`the TSA answered HTTP ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_REPLY_BYTES) throw new Error(`the TSA's reply is ${body.length} bytes`);
  return tokenFromResponse(body, { data, nonce: request.nonce });
}

/** The timestamper (nothing runs until `start`; without AUDIT_TSA_URL it never stamps). */
export function createCheckpointTimestamper(services: TimestamperServices): CheckpointTimestamper {
  const { pool, config, logger } = services;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;
  let failures = 0;
  // Every checkpoint up to this id has a token: each look reads only the newer ones (checkpoints
  // commit in id order, under the writer's lock). The first look of a process reads them all.
  let stampedThrough = '0';

  async function pending(): Promise<PendingCheckpoint[]> {
    const { rows } = await pool.query<PendingCheckpoint>(
      `SELECT c.id::text, c.signature, c."createdAt" FROM "AuditCheckpoint" c
        WHERE c.id > $1::bigint
          AND NOT EXISTS (SELECT 1 FROM "AuditCheckpointTimestamp" t WHERE t."checkpointId" = c.id)
        ORDER BY c.id LIMIT ${BATCH}`,
      [stampedThrough],
    );
    const oldest = rows[0];
    oldestPending.set(oldest ? Math.max(0, (Date.now() - new Date(oldest.createdAt).getTime()) / 1000) : 0);
    return rows;
  }

  async function stampPending(): Promise<number> {
    const url = config.AUDIT_TSA_URL;
    if (!url) return 0;
    let stamped = 0;
    for (let batch = await pending(); batch.length > 0; batch = await pending()) {
      for (const checkpoint of batch) {
        const { token, genTime } = await requestToken(
          url,
          timestampedBytes(checkpoint.signature),
          config.AUDIT_TSA_TIMEOUT_MS,
        ).catch((error: unknown) => {
          tsaFailures.inc();
          throw new Error(`checkpoint ${checkpoint.id} could not be timestamped: ${(error as Error).message}`, {
            cause: error,
          });
        });
        // Another instance may have stamped it meanwhile: the first token stays (append-only).
        await pool.query(
          `INSERT INTO "AuditCheckpointTimestamp" ("checkpointId", token, "genTime", "tsaUrl")
           VALUES ($1, $2, $3, $4) ON CONFLICT ("checkpointId") DO NOTHING`,
          [checkpoint.id, token, genTime, url],
        );
        timestampedTotal.inc();
        stamped += 1;
        stampedThrough = checkpoint.id;
      }
    }
    return stamped;
  }

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = stampPending().then(
        () => {
          if (failures > 0) logger.info('audit timestamps: the TSA answers again', { after: failures });
          failures = 0;
          schedule(config.AUDIT_CHECKPOINT_INTERVAL_MS);
        },
        (error: unknown) => {
          failures += 1;
          const wait = Math.min(config.AUDIT_CHECKPOINT_INTERVAL_MS * 2 ** failures, config.AUDIT_TSA_RETRY_MAX_MS);
          logger.warn('audit timestamps: the TSA failed, retrying', {
            error: (error as Error).message,
            failures,
            retryInMs: wait,
          });
          schedule(wait);
        },
      );
    }, delay);
    timer.unref();
  };

  return {
    stampPending,
    start() {
      if (!config.AUDIT_TSA_URL || !stopped) return;
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running.catch(() => undefined);
    },
  };
}
