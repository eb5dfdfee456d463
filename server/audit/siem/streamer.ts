// The SIEM streamer: sends every audit record and signed checkpoint, in order and at least once,
// to the syslog receiver of AUDIT_SYSLOG_URL, and resumes from what the receiver acknowledged
// after any outage (receiver down, network cut, app restart). One instance sends at a time per
// stream: it holds the stream's lease (stream-cursor.ts), and each acknowledgement is fenced by it.
//
// "Acknowledged": syslog over TCP/TLS has no application-level answer, so a batch counts as
// delivered once its write was handed to the kernel AND the connection then stayed open, unreset,
// for AUDIT_SYSLOG_SETTLE_MS (a receiver that dies or drops the connection resets it). A batch
// not acknowledged is sent again from the stored position on the next connection: duplicates are
// possible, losses are not (but see docs/SECURITY.md on a receiver host that vanishes silently).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { YogaLogger } from 'graphql-yoga';
import type { Services } from '../../context.ts';
import {
  acknowledge,
  advancedBy,
  covers,
  readCheckpointsAfter,
  readRecordsAfter,
  releaseLease,
  streamLag,
  takeLease,
  type StreamPosition,
} from './stream-cursor.ts';
import { openSyslogConnection, syslogTarget, type SyslogConnection } from './syslog-connection.ts';
import { octetFramed, syslogMessage, type StreamItem, type SyslogIdentity } from './syslog-message.ts';

/** Items read and written per batch. */
const BATCH = 500;
/** A sender that stops renewing loses the stream to another instance after this long. */
const LEASE_MS = 15_000;
/** Longest wait between connection attempts while the receiver is unreachable. */
const MAX_RETRY_MS = 5_000;

/** The running streamer. */
export interface AuditStreamer {
  start(): void;
  /** Stops after the pass in progress, sends what is left once, and gives the lease up. */
  stop(): Promise<void>;
}

/** The stream's name in AuditSiemStream: one per destination, so a new receiver gets the whole log. */
export const siemStreamName = (url: string) => `syslog:${url}`;

/** The streamer of AUDIT_SYSLOG_URL; null when it is unset (streaming off). */
export function createAuditStreamer(
  services: Pick<Services, 'pool' | 'clock' | 'config'>,
  logger: YogaLogger,
): AuditStreamer | null {
  const { config, pool } = services;
  if (!config.AUDIT_SYSLOG_URL) return null;
  const target = syslogTarget(config.AUDIT_SYSLOG_URL, config.AUDIT_SYSLOG_CA_FILE);
  const stream = siemStreamName(config.AUDIT_SYSLOG_URL);
  const identity: SyslogIdentity = {
    facility: config.AUDIT_SYSLOG_FACILITY,
    hostname: config.AUDIT_SYSLOG_HOSTNAME ?? hostname(),
    appName: config.AUDIT_SYSLOG_APP_NAME,
    procId: String(process.pid),
  };
  const settleMs = config.AUDIT_SYSLOG_SETTLE_MS;
  const pollMs = Math.min(1000, settleMs);
  const holder = randomUUID();

  let connection: SyslogConnection | null = null;
  /** Stored in AuditSiemStream; null while another instance holds the lease. */
  let acked: StreamPosition | null = null;
  /** Written on this connection (ahead of `acked` by the batches still settling). */
  let sent: StreamPosition | null = null;
  let settling: { position: StreamPosition; writtenAt: number }[] = [];
  let failures = 0;
  let behind = false;
  let lagCheckedAt = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  const drop = (why: string | null) => {
    if (why && failures === 0)
      logger.warn('audit syslog stream: connection lost, resending from the last acknowledged record', { why });
    connection?.close();
    connection = null;
    settling = [];
    sent = acked;
  };

  /** Acknowledges the batches that settled on a healthy connection. */
  async function acknowledgeSettled(): Promise<void> {
    if (!connection?.healthy()) return drop(connection?.failure() ?? null);
    let position: StreamPosition | null = null;
    while (settling[0] && Date.now() - settling[0].writtenAt >= settleMs) position = settling.shift()!.position;
    if (!position) return;
    if (await acknowledge(pool, stream, holder, position, LEASE_MS)) acked = position;
    else loseLease();
  }

  function loseLease() {
    acked = null;
    drop(null);
  }

  /** One pass: lease, connection, acknowledgements, then one batch written. True: it read a full batch. */
  async function pass(): Promise<boolean> {
    const stored = await takeLease(pool, stream, holder, LEASE_MS);
    if (!stored) {
      loseLease();
      return false;
    }
    if (!acked) sent = acked = stored;
    if (!connection) {
      try {
        connection = await openSyslogConnection(target, Math.max(settleMs, 2000));
        if (failures > 0) logger.info('audit syslog stream: receiver reachable again', { failures });
        failures = 0;
        sent = acked;
      } catch (error) {
        if (failures++ === 0)
          logger.warn('audit syslog stream: receiver unreachable, retrying', { why: (error as Error).message });
        return false;
      }
    }
    await acknowledgeSettled();
    if (!connection || !sent) return false;
    const records = await readRecordsAfter(pool, sent, BATCH);
    const through = advancedBy(sent, records);
    const checkpoints = [];
    for (const checkpoint of await readCheckpointsAfter(pool, sent.checkpointId, BATCH)) {
      if (!covers(through, checkpoint)) break;
      checkpoints.push(checkpoint);
      through.checkpointId = checkpoint.id;
    }
    const items: StreamItem[] = [
      ...records.map((record) => ({ kind: 'record' as const, record })),
      ...checkpoints.map((checkpoint) => ({ kind: 'checkpoint' as const, checkpoint })),
    ];
    if (items.length === 0) return false;
    try {
      await connection.write(Buffer.concat(items.map((item) => octetFramed(syslogMessage(item, identity)))));
    } catch {
      drop(connection.failure());
      return false;
    }
    settling.push({ position: through, writtenAt: Date.now() });
    sent = through;
    return records.length === BATCH;
  }

  /**
   * Logs once when the oldest record the receiver has not acknowledged is older than
   * AUDIT_SYSLOG_LAG_WARN_SECONDS (what salon_audit_siem_lag_seconds shows), and once when it caught
   * up. Under steady traffic that age stays near the settle time; it grows only when delivery stalls.
   */
  async function watchLag(): Promise<void> {
    const limitMs = config.AUDIT_SYSLOG_LAG_WARN_SECONDS * 1000;
    if (Date.now() - lagCheckedAt < Math.min(5000, limitMs / 2)) return;
    lagCheckedAt = Date.now();
    const lag = await streamLag(pool, stream);
    const late =
      lag.oldestCreatedAt !== null && services.clock.now().getTime() - lag.oldestCreatedAt.getTime() > limitMs;
    if (late && !behind) {
      logger.error('audit syslog stream is behind: records are not reaching the SIEM', {
        records: lag.records,
        checkpoints: lag.checkpoints,
        oldestCreatedAt: lag.oldestCreatedAt?.toISOString() ?? null,
      });
    } else if (!late && behind) logger.info('audit syslog stream caught up');
    behind = late;
  }

  function schedule(delayMs: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass()
        .catch((error: unknown) => {
          logger.warn('audit syslog stream: pass failed', error as Error);
          return false;
        })
        .then(async (more) => {
          if (acked) await watchLag().catch(() => undefined);
          schedule(more ? 0 : failures > 0 ? Math.min(MAX_RETRY_MS, pollMs * 2 ** failures) : pollMs);
        });
    }, delayMs);
    timer.unref();
  }

  return {
    start() {
      if (!timer) schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      try {
        if (acked && connection) {
          await pass();
          await new Promise((resolve) => setTimeout(resolve, settleMs));
          await acknowledgeSettled();
        }
        await releaseLease(pool, stream, holder);
      } catch (error) {
        logger.warn('audit syslog stream: stop could not finish', error as Error);
      }
      drop(null);
    },
  };
}
