// The periodic check each instance runs (background.ts): its checkpoint writer stalled
// (audit/checkpoint-health.ts), and the SIEM stream lagging past the rule's threshold
// (audit/siem/). One alert per episode: a stall is named by when the log was last signed, a lag by
// the oldest record the receiver had not acknowledged when it began; the episode ends when the
// writer signs again or the stream catches up below the threshold.
import type { YogaLogger } from 'graphql-yoga';
import type { CheckpointHealth } from '../audit/checkpoint-health.ts';
import { streamLag } from '../audit/siem/stream-cursor.ts';
import { siemStreamName } from '../audit/siem/streamer.ts';
import type { Services } from '../context.ts';
import { publishAlerts, raiseAlert } from './raise.ts';
import { loadRule } from './rules.ts';

type CheckServices = Pick<Services, 'prisma' | 'pool' | 'pubsub' | 'config' | 'clock'>;

/** One instance's check; each call raises what began since the last one. */
export function createSystemAlertCheck(
  services: CheckServices,
  checkpointHealth: Pick<CheckpointHealth, 'state' | 'unsignedMs'>,
): () => Promise<string[]> {
  let stallKey: string | null = null;
  let lagKey: string | null = null;

  const stalled = async (now: Date) => {
    if (checkpointHealth.state() !== 'stalled') {
      stallKey = null;
      return null;
    }
    const unsignedMs = checkpointHealth.unsignedMs();
    stallKey ??= `CHECKPOINT_STALLED:${new Date(now.getTime() - unsignedMs).toISOString()}`;
    const key = stallKey;
    const minutes = Math.floor(unsignedMs / 60_000);
    return services.prisma.$transaction((tx) =>
      raiseAlert(
        tx,
        {
          rule: 'CHECKPOINT_STALLED',
          summary: `The audit checkpoint writer has not signed the log for ${minutes} minute${minutes === 1 ? '' : 's'}`,
          details: { unsignedSeconds: Math.round(unsignedMs / 1000) },
          dedupeKey: key,
        },
        now,
      ),
    );
  };

  const lagging = async (now: Date) => {
    const url = services.config.AUDIT_SYSLOG_URL;
    if (!url) return null;
    const rule = await loadRule(services.prisma, 'SIEM_LAG', services.config);
    if (!rule.enabled || rule.threshold === null) return null;
    const stream = siemStreamName(url);
    const lag = await streamLag(services.pool, stream);
    const seconds = lag.oldestCreatedAt ? (now.getTime() - lag.oldestCreatedAt.getTime()) / 1000 : 0;
    if (seconds < rule.threshold) {
      lagKey = null;
      return null;
    }
    lagKey ??= `SIEM_LAG:${stream}:${lag.oldestCreatedAt!.toISOString()}`;
    const key = lagKey;
    return services.prisma.$transaction((tx) =>
      raiseAlert(
        tx,
        {
          rule: 'SIEM_LAG',
          summary: `The audit stream to the SIEM lags ${Math.round(seconds)} seconds behind (${lag.records} records unacknowledged; alert at ${rule.threshold} s)`,
          details: { lagSeconds: Math.round(seconds), records: lag.records, threshold: rule.threshold },
          dedupeKey: key,
        },
        now,
      ),
    );
  };

  return async () => {
    const now = services.clock.now();
    const raised = [await stalled(now), await lagging(now)];
    publishAlerts(services, raised);
    return raised.flatMap((alert) => (alert ? [alert.id] : []));
  };
}

/** Runs the check every ALERT_CHECK_INTERVAL_MS; resolves the returned stop after the run in progress. */
export function startSystemAlertChecks(
  services: CheckServices,
  checkpointHealth: Pick<CheckpointHealth, 'state' | 'unsignedMs'>,
  logger: YogaLogger,
): () => Promise<void> {
  const check = createSystemAlertCheck(services, checkpointHealth);
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running
      .then(check)
      .catch((error: unknown) => logger.error('alert check failed', { error: String(error) }));
  }, services.config.ALERT_CHECK_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
