// The whole server on one port: the Yoga pipeline over HTTP (yoga.ts: /graphql, the operations
// endpoints and the audit export are its plugins), graphql-ws on the same path through the same
// pipeline (transport/websocket.ts), and the built client (client/dist) everywhere else.
// `buildApp` returns start/stop so tests run the real thing.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import { raiseRefusedAttemptAlerts } from './alerts/evaluate.ts';
import { createAttemptWriter } from './audit/attempts.ts';
import { createCheckpointWriter, type CheckpointWriter } from './audit/checkpoints.ts';
import { AUDIT_EXPORT_PATH } from './audit/use-audit-export.ts';
import { startBackgroundJobs, type BackgroundJobs } from './background.ts';
import type { Services } from './context.ts';
import { createSessionSockets } from './impersonation/session-sockets.ts';
import type { NotificationWorker } from './notifications/worker.ts';
import { createJsonLogger } from './observability/logger.ts';
import { createAppMetrics } from './observability/metrics.ts';
import { OPERATIONS_PATHS } from './observability/use-operations-endpoints.ts';
import { createRequestInfo } from './request-info.ts';
import { serveWebSocket } from './transport/websocket.ts';
import { createYogaApp, type YogaApp } from './yoga.ts';

const CLIENT_DIST = fileURLToPath(new URL('../client/dist/', import.meta.url));

/** Paths Yoga answers besides its GraphQL endpoint (the rest is the client's when it is served). */
const YOGA_PATHS = new Set<string>([...OPERATIONS_PATHS, AUDIT_EXPORT_PATH]);

/** The running server: Yoga, the HTTP server it listens on, and its lifecycle. */
export interface App {
  yoga: YogaApp;
  httpServer: Server;
  /** Listens on the port (0: any free one) of `host` (default 127.0.0.1) and resolves with the port. */
  start(port: number, host?: string): Promise<number>;
  /**
   * Stops accepting connections, closes WebSockets (1001), and gives requests in flight (and so
   * their audit writes, which they await) up to `drainMs` to finish before cutting the rest.
   * `/ready` answers 503 from the first moment.
   */
  stop(options?: { drainMs?: number }): Promise<void>;
  /**
   * Closes every socket of this instance opened with a token of the given impersonation
   * session, with close code 4403: its subscriptions end and the client must not retry.
   */
  closeImpersonationSockets(sessionId: string, reason: string): number;
  /** Signs audit checkpoints while the app runs, and once more at stop. */
  auditCheckpoints: CheckpointWriter;
  /** Delivers staff-access notices from the outbox while the app runs (null before `start`). */
  notifications(): NotificationWorker | null;
}

/** Builds the whole app over shared services; nothing listens until `start`. */
export function buildApp(services: Services, options: { serveClient?: boolean; clientDir?: string } = {}): App {
  const logger = createJsonLogger(services.config.LOG_LEVEL);
  // Refused attempts of a staff view raise an alert at the rule's threshold (alerts/evaluate.ts).
  const attempts = createAttemptWriter(services, {
    onWritten: (entries) => raiseRefusedAttemptAlerts(services, entries),
  });
  const auditCheckpoints = createCheckpointWriter(services);
  let draining = false;
  const yoga = createYogaApp(services, {
    logger,
    metrics: createAppMetrics(services, [auditCheckpoints.health.registry]),
    attempts,
    draining: () => draining,
    checkpoints: auditCheckpoints.health.state,
  });
  // A browser test may serve a build of its own, so that two test files building at once never
  // serve each other's half-written client/dist.
  const clientDir = options.clientDir ?? CLIENT_DIST;
  const serveStatic =
    options.serveClient && existsSync(clientDir) ? sirv(clientDir, { single: true, etag: true, gzip: false }) : null;

  const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url?.split('?')[0] ?? '';
    if (!serveStatic || path.startsWith(yoga.graphqlEndpoint) || YOGA_PATHS.has(path)) {
      void yoga.handle(req, res, { req });
      return;
    }
    serveStatic(req, res, () => {
      res.statusCode = 404;
      res.end('Not found');
    });
  });

  const sessionSockets = createSessionSockets(services);
  const requestInfo = createRequestInfo(services.config);
  const webSocket = serveWebSocket(services, httpServer, { yoga, attempts, sessionSockets, requestInfo });
  let background: BackgroundJobs | null = null;
  let stopping: Promise<void> | undefined;

  return {
    yoga,
    httpServer,
    start: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          background = startBackgroundJobs(services, { sessionSockets, auditCheckpoints, logger });
          resolve((httpServer.address() as AddressInfo).port);
        });
      }),
    stop(options = {}) {
      stopping ??= drainAndClose(options.drainMs ?? 0);
      return stopping;
    },
    closeImpersonationSockets: sessionSockets.closeSession,
    auditCheckpoints,
    notifications: () => background?.notifications ?? null,
  };

  async function drainAndClose(drainMs: number): Promise<void> {
    draining = true;
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    httpServer.closeIdleConnections();
    await webSocket.close();
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      closed.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), drainMs);
      }),
    ]);
    clearTimeout(timer);
    if (!drained) {
      if (drainMs > 0) logger.warn('shutdown: requests still in flight were cut', { drainMs });
      httpServer.closeAllConnections();
      await closed;
    }
    // The expiry sweeper and the session watcher run until the last request is done.
    await background?.stop();
  }
}
