// The jobs every instance runs while it serves: the expiry sweeper, the socket watcher (closes
// sockets as sessions and sign-ins end anywhere), the audit checkpoint writer and its timestamper,
// the SIEM streamer (when AUDIT_SYSLOG_URL is set), the notification worker and the access reviews' job. Started once the server listens; stopped after the last request is done.
import type { CheckpointWriter } from './audit/checkpoints.ts';
import { createAuditStreamer } from './audit/siem/streamer.ts';
import { listSigningKeyNow } from './audit/key-ring.ts';
import { createCheckpointTimestamper } from './audit/timestamps.ts';
import type { Services } from './context.ts';
import { startExpirySweeper } from './impersonation/sweeper.ts';
import { startAuditMaintenance } from './audit/retention/job.ts';
import { startBreakGlassSweep } from './access/break-glass.ts';
import { startAccessReviews } from './access/reviews-job.ts';
import type { SessionSockets } from './impersonation/session-sockets.ts';
import type { YogaLogger } from 'graphql-yoga';
import { startNotificationWorker, type NotificationWorker } from './notifications/worker.ts';
import { startSystemAlertChecks } from './alerts/checks.ts';
import { startWebhookWorker } from './webhooks/worker.ts';
import { startRevocationPruning } from './auth/revocation-fence.ts';

/** The running jobs and what stops them. */
export interface BackgroundJobs {
  notifications: NotificationWorker;
  stop(): Promise<void>;
}

/** Starts the background jobs of one instance. */
export function startBackgroundJobs(
  services: Services,
  jobs: { sessionSockets: SessionSockets; auditCheckpoints: CheckpointWriter; logger: YogaLogger },
): BackgroundJobs {
  const stopSweeper = startExpirySweeper(services);
  // Audit partitions ahead, archive and retention (audit/retention/job.ts).
  const stopMaintenance = startAuditMaintenance(services, (message, error) =>
    jobs.logger.error(message, { error: String(error) }),
  );
  const stopWatcher = jobs.sessionSockets.watch();
  jobs.auditCheckpoints.start();
  const auditStream = createAuditStreamer(services, jobs.logger);
  auditStream?.start();
  // A rotated key is listed at once, so the instances still on the old key stop signing (key-ring.ts).
  const keyListed = listSigningKeyNow(services.pool, services.auditSigning.key, services.clock.now()).catch(
    (error: unknown) => jobs.logger.error('audit signing key could not be listed', { error: String(error) }),
  );
  const timestamps = createCheckpointTimestamper({ ...services, logger: jobs.logger });
  timestamps.start();
  const notifications = startNotificationWorker(services, services.mailer, jobs.logger);
  // Alerts on a stalled checkpoint writer and a lagging SIEM stream (alerts/checks.ts).
  const stopAlertChecks = startSystemAlertChecks(services, jobs.auditCheckpoints.health, jobs.logger);
  // Break-glass uses left unreviewed past their deadline are escalated, once (access/break-glass.ts).
  const stopBreakGlassSweep = startBreakGlassSweep(services, (error) =>
    jobs.logger.error('break-glass escalation sweep failed', { error: String(error) }),
  );
  // Alert webhooks (webhooks/worker.ts).
  const webhooks = startWebhookWorker(services, jobs.logger);
  // Periodic access reviews: opens the due one, applies a passed deadline (access/reviews-job.ts).
  const stopAccessReviews = startAccessReviews(services, jobs.logger);
  // Identity changes older than a day leave the fence's table (auth/revocation-fence.ts).
  const stopRevocationPruning = startRevocationPruning(services, jobs.logger);
  return {
    notifications,
    async stop() {
      stopSweeper();
      stopBreakGlassSweep();
      stopRevocationPruning();
      await stopMaintenance();
      await stopAccessReviews();
      await stopWatcher();
      await jobs.auditCheckpoints.stop();
      // After the last checkpoint, so the receiver gets it too.
      await auditStream?.stop();
      await timestamps.stop();
      await keyListed;
      await stopAlertChecks();
      await notifications.stop();
      await webhooks.stop();
    },
  };
}
