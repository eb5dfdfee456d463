// The jobs every instance runs while it serves: the expiry sweeper, the socket watcher (closes
// sockets as sessions and sign-ins end anywhere), the audit checkpoint writer, the SIEM streamer
// (when AUDIT_SYSLOG_URL is set) and the notification worker. Started once the server listens; stopped after the last request is done.
import type { CheckpointWriter } from './audit/checkpoints.ts';
import { createAuditStreamer } from './audit/siem/streamer.ts';
import type { Services } from './context.ts';
import { startExpirySweeper } from './impersonation/sweeper.ts';
import type { SessionSockets } from './impersonation/session-sockets.ts';
import type { YogaLogger } from 'graphql-yoga';
import { startNotificationWorker, type NotificationWorker } from './notifications/worker.ts';

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
  const stopWatcher = jobs.sessionSockets.watch();
  jobs.auditCheckpoints.start();
  const auditStream = createAuditStreamer(services, jobs.logger);
  auditStream?.start();
  const notifications = startNotificationWorker(services, services.mailer, jobs.logger);
  return {
    notifications,
    async stop() {
      stopSweeper();
      await stopWatcher();
      await jobs.auditCheckpoints.stop();
      // After the last checkpoint, so the receiver gets it too.
      await auditStream?.stop();
      await notifications.stop();
    },
  };
}
