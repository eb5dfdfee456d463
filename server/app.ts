// The whole server on one port: Yoga over HTTP at /graphql (GraphiQL on GET), graphql-ws on the
// same path, and the built client (client/dist) everywhere else. `buildApp` returns start/stop
// so tests run the real thing.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import { resolveIdentity, type Identity } from './auth/identity.ts';
import { bearerToken } from './auth/tokens.ts';
import type { Services } from './context.ts';
import { startExpirySweeper } from './impersonation/sessions.ts';
import { createYogaApp, type YogaApp } from './yoga.ts';

/** Lets the banner subscription push the end (with its reason) before its socket is closed. */
const SOCKET_CLOSE_GRACE_MS = 250;

const CLIENT_DIST = fileURLToPath(new URL('../client/dist/', import.meta.url));

interface SocketExtra {
  [key: PropertyKey]: unknown;
  socket: WebSocket;
  request: IncomingMessage;
  identity?: Identity;
}

export interface App {
  yoga: YogaApp;
  httpServer: Server;
  /** Listens on the port (0: any free one) and resolves with the port. */
  start(port: number): Promise<number>;
  stop(): Promise<void>;
  /**
   * Closes every socket of this instance opened with a token of the given impersonation
   * session, with close code 4403: its subscriptions end and the client must not retry.
   */
  closeImpersonationSockets(sessionId: string, reason: string): number;
}

export function buildApp(services: Services, options: { serveClient?: boolean } = {}): App {
  const yoga = createYogaApp(services);
  const serveStatic =
    options.serveClient && existsSync(CLIENT_DIST)
      ? sirv(CLIENT_DIST, { single: true, etag: true, gzip: false })
      : null;

  const httpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith(yoga.graphqlEndpoint) || !serveStatic) {
      void yoga.handle(req, res, { req });
      return;
    }
    serveStatic(req, res, () => {
      res.statusCode = 404;
      res.end('Not found');
    });
  });

  const wsServer = new WebSocketServer({ server: httpServer, path: yoga.graphqlEndpoint });
  const sockets = new Set<SocketExtra>();

  const wsHandle = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
      // Refusing here closes the socket with 4403; the client must not retry on it.
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        const token = bearerToken(typeof authorization === 'string' ? authorization : null);
        if (token) {
          try {
            ctx.extra.identity = await resolveIdentity(services.prisma, token, services.clock.now());
          } catch {
            return false;
          }
        }
        sockets.add(ctx.extra);
        return true;
      },
      onClose: (ctx) => void sockets.delete(ctx.extra),
      onSubscribe: async (ctx, _id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          connectionParams: ctx.connectionParams,
        });
        let contextValue: unknown;
        try {
          contextValue = await contextFactory();
        } catch (error) {
          // The token stopped being valid since the socket opened: nothing more is served on it.
          ctx.extra.socket.close(CloseCode.Forbidden, 'Session ended');
          return [error instanceof GraphQLError ? error : new GraphQLError('Session ended')];
        }
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
          variableValues: payload.variables,
          contextValue,
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
    },
    wsServer,
  );

  function closeImpersonationSockets(sessionId: string, reason: string) {
    let closed = 0;
    for (const extra of sockets) {
      if (extra.identity?.impersonation?.id === sessionId) {
        extra.socket.close(CloseCode.Forbidden, reason.slice(0, 120));
        sockets.delete(extra);
        closed += 1;
      }
    }
    return closed;
  }

  /** Closes this instance's sockets of every session that ends, wherever it was ended. */
  function watchEndedSessions(): () => Promise<void> {
    const events = services.pubsub.subscribe('impersonation:active');
    void (async () => {
      for await (const event of events) {
        if (event.ended)
          setTimeout(
            () => closeImpersonationSockets(event.sessionId, 'Impersonation session ended'),
            SOCKET_CLOSE_GRACE_MS,
          );
      }
    })();
    return async () => void (await events.return?.());
  }

  let stopBackground: (() => Promise<void>) | null = null;

  return {
    yoga,
    httpServer,
    start: (port) =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, () => {
          const stopSweeper = startExpirySweeper(services);
          const stopWatcher = watchEndedSessions();
          stopBackground = async () => {
            stopSweeper();
            await stopWatcher();
          };
          resolve((httpServer.address() as AddressInfo).port);
        });
      }),
    async stop() {
      await stopBackground?.();
      await wsHandle.dispose();
      wsServer.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
    closeImpersonationSockets,
  };
}
