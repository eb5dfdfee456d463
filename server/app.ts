// The whole server on one port: Yoga over HTTP at /graphql (GraphiQL on GET outside production),
// graphql-ws on the same path, /health, /ready and /metrics for operations, the audit export
// (/audit/export, managers, audit/export.ts), and the built client (client/dist) everywhere else.
// `buildApp` returns start/stop so tests run the real thing.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { GraphQLError, type DocumentNode, type ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { createAuditWriter } from './audit/use-audit.ts';
import { AUDIT_EXPORT_PATH, handleAuditExport } from './audit/export.ts';
import { createCheckpointWriter, type CheckpointWriter } from './audit/checkpoints.ts';
import { identityFor } from './auth/use-identity.ts';
import type { Context, Services } from './context.ts';
import { startExpirySweeper } from './impersonation/live.ts';
import { createSessionSockets } from './impersonation/session-sockets.ts';
import { startNotificationWorker, type NotificationWorker } from './notifications/worker.ts';
import { createRequestInfo } from './request-info.ts';
import { readiness } from './observability/health.ts';
import { createJsonLogger } from './observability/logger.ts';
import { createAppMetrics } from './observability/metrics.ts';
import { createPersistedOperations } from './plugins/use-persisted-operations.ts';
import { createYogaApp, type YogaApp } from './yoga.ts';

const CLIENT_DIST = fileURLToPath(new URL('../client/dist/', import.meta.url));

interface SocketExtra {
  [key: PropertyKey]: unknown;
  socket: WebSocket;
  request: IncomingMessage;
}

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
  const metrics = createAppMetrics(services);
  const persistedOperations = createPersistedOperations({
    allowArbitraryOperations: services.config.ALLOW_ARBITRARY_OPERATIONS,
  });
  const yoga = createYogaApp(services, { logger, metrics, persistedOperations });
  let draining = false;
  // A browser test may serve a build of its own, so that two test files building at once never
  // serve each other's half-written client/dist.
  const clientDir = options.clientDir ?? CLIENT_DIST;
  const serveStatic =
    options.serveClient && existsSync(clientDir) ? sirv(clientDir, { single: true, etag: true, gzip: false }) : null;

  /** The operations endpoints: plain HTTP, outside GraphQL (no context, no audit). */
  const operations: Record<string, (res: ServerResponse) => Promise<void>> = {
    '/health': async (res) => sendJson(res, 200, { status: 'ok' }),
    '/ready': async (res) => {
      const status = await readiness(services, draining);
      sendJson(res, status.ready ? 200 : 503, status);
    },
    '/metrics': async (res) => {
      const { body, contentType } = await metrics.scrape();
      res.writeHead(200, { 'content-type': contentType }).end(body);
    },
  };

  const requestInfo = createRequestInfo(services.config);
  const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === AUDIT_EXPORT_PATH) {
      handleAuditExport(services, req, res, { requestInfo }).catch((error: unknown) => {
        logger.error('audit export failed', { path: AUDIT_EXPORT_PATH }, error);
        if (res.headersSent) res.destroy();
        else sendJson(res, 500, { status: 'error' });
      });
      return;
    }
    const operation = req.method === 'GET' ? operations[req.url?.split('?')[0] ?? ''] : undefined;
    if (operation) {
      operation(res).catch((error: unknown) => {
        logger.error('operations endpoint failed', { path: req.url }, error);
        if (!res.headersSent) sendJson(res, 500, { status: 'error' });
      });
      return;
    }
    if (req.url?.startsWith(yoga.graphqlEndpoint) || !serveStatic) {
      void yoga.handle(req, res, { req });
      return;
    }
    serveStatic(req, res, () => {
      res.statusCode = 404;
      res.end('Not found');
    });
  });

  // No per-message deflate: a zlib context per socket costs ~300 KB and CPU on every tick.
  const wsServer = new WebSocketServer({ server: httpServer, path: yoga.graphqlEndpoint, perMessageDeflate: false });
  const sessionSockets = createSessionSockets(services);
  const audit = createAuditWriter(services);

  const wsHandle = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
      // Refusing here closes the socket with 4403; the client must not retry on it.
      onConnect: async (ctx) => {
        const identity = await identityFor(services, { connectionParams: ctx.connectionParams });
        if (identity.tokenRefusal) {
          await audit.recordRefusedConnection({ ...requestInfo({ req: ctx.extra.request }), ...identity });
          return false;
        }
        sessionSockets.track(ctx.extra.socket, identity);
        return true;
      },
      onClose: (ctx) => sessionSockets.untrack(ctx.extra.socket),
      onOperation: (ctx, id, _payload, args) => void sessionSockets.operationStarted(ctx.extra.socket, id, args),
      onComplete: (ctx, id) => sessionSockets.operationOver(ctx.extra.socket, id),
      onSubscribe: async (ctx, _id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          connectionParams: ctx.connectionParams,
        });
        const contextValue = (await contextFactory()) as unknown as Context;
        // The token stopped being valid since the socket opened: the operation is refused (and
        // audited) by the identity plugin, and nothing more is served on this socket.
        if (contextValue.tokenRefusal) setImmediate(() => ctx.extra.socket.close(CloseCode.Forbidden, 'Session ended'));
        // Yoga's onParams (where HTTP maps persisted hashes) does not run for sockets.
        const query = persistedOperations.queryForSocket(payload);
        if (query instanceof GraphQLError) {
          await audit.recordUnexecuted(contextValue, schema, payload, [query]);
          return [query];
        }
        const params = { ...payload, query };
        let document: DocumentNode;
        try {
          document = parse(query);
        } catch (error) {
          // The codes Yoga gives the same refusals over HTTP.
          const message = error instanceof GraphQLError ? error.message : 'Syntax error';
          const errors = [new GraphQLError(message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
          await audit.recordUnexecuted(contextValue, schema, params, errors);
          return errors;
        }
        const errors = validate(schema, document).map(
          (error: GraphQLError) =>
            new GraphQLError(error.message, {
              nodes: error.nodes,
              extensions: { ...error.extensions, code: error.extensions.code ?? 'GRAPHQL_VALIDATION_FAILED' },
            }),
        );
        if (errors.length) {
          await audit.recordUnexecuted(contextValue, schema, params, errors);
          return errors;
        }
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue,
          rootValue: { execute, subscribe },
        };
        return args;
      },
    },
    wsServer,
  );

  let stopBackground: (() => Promise<void>) | null = null;
  let notifications: NotificationWorker | null = null;
  const auditCheckpoints = createCheckpointWriter(services);
  let stopping: Promise<void> | undefined;

  return {
    yoga,
    httpServer,
    start: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const stopSweeper = startExpirySweeper(services);
          const stopWatcher = sessionSockets.watch();
          auditCheckpoints.start();
          const worker = startNotificationWorker(services, services.mailer, logger);
          notifications = worker;
          stopBackground = async () => {
            stopSweeper();
            await stopWatcher();
            await auditCheckpoints.stop();
            await worker.stop();
          };
          resolve((httpServer.address() as AddressInfo).port);
        });
      }),
    stop(options = {}) {
      stopping ??= drainAndClose(options.drainMs ?? 0);
      return stopping;
    },
    closeImpersonationSockets: sessionSockets.closeSession,
    auditCheckpoints,
    notifications: () => notifications,
  };

  async function drainAndClose(drainMs: number): Promise<void> {
    draining = true;
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    httpServer.closeIdleConnections();
    await wsHandle.dispose();
    wsServer.close();
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
    await stopBackground?.();
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
