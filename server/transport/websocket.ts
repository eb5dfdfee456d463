// graphql-ws on the HTTP server's /graphql path, through the same Yoga pipeline as HTTP: each
// operation gets its envelope from `yoga.getEnveloped` (persisted operations, audit, identity,
// limits are its plugins' hooks), as in graphql-yoga's own graphql-ws example. This module connects
// the protocol's hooks (the connection's identity, the socket registry, the wait for a refusal's
// audit record) and holds what only a socket has: its size limit (MAX_REQUEST_BODY_BYTES, the same as
// HTTP bodies, `connection_init` included), and how many sockets a client address and a sign-in may
// hold and how many operations a socket may run (connection-limits.ts). A socket lives for hours: what
// it keeps is the origin of its upgrade request (not the request), and an operation's context only
// what the pipeline reads (issue 26: heap per banner socket).
import type { IncomingMessage, Server } from 'node:http';
import type { DocumentNode, ExecutionArgs, GraphQLError } from 'graphql';
import { RequestCache } from '@pothos/plugin-scope-auth';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AttemptWriter } from '../audit/attempts.ts';
import { auditUnavailable } from '../audit/outcome.ts';
import { refusalRecorded } from '../audit/use-audit.ts';
import { authenticateConnection } from '../auth/use-identity.ts';
import type { Context, Services } from '../context.ts';
import { ErrorCode, appError } from '../errors.ts';
import type { SessionSockets } from '../impersonation/session-sockets.ts';
import { originOf, type RequestInfoReader, type RequestOrigin } from '../request-info.ts';
import type { YogaApp } from '../yoga.ts';
import { createConnectionLimits, TOO_MANY_CONNECTIONS_CLOSE } from './connection-limits.ts';
import { createHeartbeat } from './heartbeat.ts';

interface SocketExtra {
  [key: PropertyKey]: unknown;
  socket: WebSocket;
  /** The upgrade request, until `connection_init` (then dropped: the socket keeps only its origin). */
  request: IncomingMessage;
}

type Enveloped = Pick<ExecutionArgs, 'rootValue'> & {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
};

/** The error `ws` emits (after closing the socket with 1009) for a message over `maxPayload`. */
const MESSAGE_TOO_BIG = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
/** The prefix of every frame error `ws` finds in what a client sent. */
const CLIENT_FRAME_ERROR = 'WS_ERR_';

/** What the WebSocket side needs from the app. */
export interface WebSocketOptions {
  yoga: YogaApp;
  attempts: AttemptWriter;
  sessionSockets: SessionSockets;
  requestInfo: RequestInfoReader;
}

/** Serves graphql-ws on `httpServer`; returns what stops it. */
export function serveWebSocket(services: Services, httpServer: Server, options: WebSocketOptions) {
  const { yoga, attempts, sessionSockets, requestInfo } = options;
  const { config } = services;
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: yoga.graphqlEndpoint,
    // No per-message deflate: a zlib context per socket costs ~300 KB and CPU on every tick.
    perMessageDeflate: false,
    maxPayload: config.MAX_REQUEST_BODY_BYTES,
  });
  const limits = createConnectionLimits(config);
  // One shared heartbeat (heartbeat.ts) instead of graphql-ws' timers per socket (keepAlive 0 below).
  const heartbeat = createHeartbeat(config.WS_KEEPALIVE_MS);
  /** Each socket's origin, read once as it opens: its upgrade request is not kept. */
  const origins = new WeakMap<WebSocket, RequestOrigin>();
  /**
   * The keys of a socket operation's context, learnt from the first one that ran. Each operation's
   * initial context starts with all of them (undefined): filled in by the plugins' Object.assign
   * (services, request info, identity, audit trace: ~25 properties), an object that starts small
   * becomes a V8 hash table, ~1.6 KB per subscription where a fixed shape takes ~0.2 KB.
   */
  let contextKeys: Record<string, undefined> | null = null;
  // One listener for every socket (ws calls it with the socket as `this`), not a closure per socket.
  const release = function (this: WebSocket) {
    limits.release(this);
  };
  // graphql-ws logs every socket error as an internal one and closes with 1011. The frame errors of
  // `ws` (WS_ERR_*: a message over the limit, invalid UTF-8, a bad frame) are the client's doing, and
  // `ws` has already closed the socket with the right code (1009, 1007, 1002): recorded for a staff
  // view, not logged. Anything else is a fault of ours.
  const socketError = function (this: WebSocket, error: Error & { code?: string }) {
    if (!error.code?.startsWith(CLIENT_FRAME_ERROR)) {
      console.error(JSON.stringify({ level: 'error', event: 'websocket.error', error: String(error) }));
      this.close(CloseCode.InternalServerError, 'Internal server error');
      return;
    }
    const session = sessionSockets.staffViewOf(this);
    if (!session) return;
    const tooLarge = error.code === MESSAGE_TOO_BIG;
    void attempts.recordRefusedConnection(
      { impersonation: session as Context['impersonation'], ...requestInfo({ origin: origins.get(this) }) },
      {
        errorCode: tooLarge ? ErrorCode.RequestEntityTooLarge : 'BAD_REQUEST',
        reason: tooLarge ? `a message over ${config.MAX_REQUEST_BODY_BYTES} bytes` : error.code,
      },
    );
  };

  const handle = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args) as never,
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args) as never,
      // Refusing here closes the socket with 4403; the client must not retry on it.
      onConnect: async (ctx) => {
        // graphql-ws holds `extra` for the socket's life: not the request (its headers, raw headers).
        (ctx.extra as Partial<SocketExtra>).request = undefined;
        const request = requestInfo({ origin: origins.get(ctx.extra.socket) });
        const identity = await authenticateConnection(services, attempts, {
          connectionParams: ctx.connectionParams,
          request,
        });
        if (!identity) return false;
        if (!limits.admitSignIn(ctx.extra.socket, identity.authSession?.id ?? null)) {
          await attempts.recordRefusedConnection(
            { ...request, ...identity },
            { errorCode: ErrorCode.TooManyConnections, reason: 'too many sockets for one sign-in' },
          );
          ctx.extra.socket.close(TOO_MANY_CONNECTIONS_CLOSE, ErrorCode.TooManyConnections);
          return false;
        }
        sessionSockets.track(ctx.extra.socket, identity);
        return true;
      },
      onSubscribe: async (ctx, _id, params) => {
        // Counted before the first await: graphql-ws registers each operation as its message arrives.
        const tooMany = Object.keys(ctx.subscriptions).length > config.WS_SUBSCRIPTIONS_PER_CONNECTION;
        // Only what the pipeline reads: a subscription keeps its context (and so this) for its life.
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...contextKeys,
          origin: origins.get(ctx.extra.socket),
          params,
          connectionParams: ctx.connectionParams,
        });
        // The context first, so that a refusal at parse or validation is recorded with its identity.
        const contextValue = (await contextFactory()) as unknown as Context;
        // The token stopped being valid since the socket opened: the operation is refused (and
        // audited) by the identity plugin, and nothing more is served on this socket.
        if (contextValue.tokenRefusal) setImmediate(() => ctx.extra.socket.close(CloseCode.Forbidden, 'Session ended'));
        const refused = async (errors: readonly GraphQLError[]) =>
          (await refusalRecorded(contextValue, errors)) ? [...errors] : [...auditUnavailable().errors!];
        if (tooMany)
          return refused([
            appError(
              ErrorCode.TooManySubscriptions,
              `At most ${config.WS_SUBSCRIPTIONS_PER_CONNECTION} operations per socket`,
            ),
          ]);
        let document: DocumentNode;
        try {
          document = parse(params.query);
        } catch (error) {
          return refused([error as GraphQLError]);
        }
        const errors = validate(schema, document);
        if (errors.length) return refused(errors);
        return {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue,
          rootValue: { execute, subscribe },
        };
      },
      onOperation: (ctx, id, _params, args) => {
        sessionSockets.operationStarted(ctx.extra.socket, id, args);
        // The scope checks of the operation (authorizeOnSubscribe) are done: their per-context cache
        // (six maps) need not live as long as a subscription; a check on a later event builds it again.
        RequestCache.clearForContext(args.contextValue as object);
        // Learnt once the operation runs: the audit trace is in the context by then.
        contextKeys ??= Object.fromEntries(Object.keys(args.contextValue as object).map((key) => [key, undefined]));
      },
      onComplete: (ctx, id) => sessionSockets.operationOver(ctx.extra.socket, id),
      onClose: (ctx) => sessionSockets.untrack(ctx.extra.socket),
    },
    wsServer,
    0,
  );
  // Registered after graphql-ws's own listeners (useServer below attaches first).
  wsServer.on('connection', (socket, request) => {
    const origin = originOf(requestInfo({ req: request }));
    origins.set(socket, origin);
    if (!limits.admitAddress(socket, origin.ip)) socket.close(TOO_MANY_CONNECTIONS_CLOSE, ErrorCode.TooManyConnections);
    else heartbeat.watch(socket);
    // `ws` emits 'close' once: `on` spares the wrapper `once` makes per socket.
    socket.on('close', release);
    socket.removeAllListeners('error');
    socket.once('error', socketError);
  });

  return {
    /** Closes every socket (1001) and stops accepting new ones. */
    async close(): Promise<void> {
      heartbeat.stop();
      await handle.dispose();
      wsServer.close();
    },
  };
}
