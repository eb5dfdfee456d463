// graphql-ws on the HTTP server's /graphql path, through the same Yoga pipeline as HTTP: each
// operation gets its envelope from `yoga.getEnveloped` (persisted operations, audit, identity,
// limits are its plugins' hooks), as in graphql-yoga's own graphql-ws example. This module only
// connects the protocol's hooks: the connection's identity (auth/use-identity.ts), the socket
// registry (impersonation/session-sockets.ts), and the wait for a refusal's audit record.
import type { IncomingMessage, Server } from 'node:http';
import type { DocumentNode, ExecutionArgs, GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AttemptWriter } from '../audit/attempts.ts';
import { refusalRecorded } from '../audit/use-audit.ts';
import { auditUnavailable } from '../audit/outcome.ts';
import { authenticateConnection } from '../auth/use-identity.ts';
import type { Context, Services } from '../context.ts';
import type { SessionSockets } from '../impersonation/session-sockets.ts';
import type { RequestInfoReader } from '../request-info.ts';
import type { YogaApp } from '../yoga.ts';

interface SocketExtra {
  [key: PropertyKey]: unknown;
  socket: WebSocket;
  request: IncomingMessage;
}

type Enveloped = Pick<ExecutionArgs, 'rootValue'> & {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
};

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
  // No per-message deflate: a zlib context per socket costs ~300 KB and CPU on every tick.
  const wsServer = new WebSocketServer({ server: httpServer, path: yoga.graphqlEndpoint, perMessageDeflate: false });
  const handle = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args) as never,
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args) as never,
      // Refusing here closes the socket with 4403; the client must not retry on it.
      onConnect: async (ctx) => {
        const request = requestInfo({ req: ctx.extra.request });
        const identity = await authenticateConnection(services, attempts, {
          connectionParams: ctx.connectionParams,
          request,
        });
        if (!identity) return false;
        sessionSockets.track(ctx.extra.socket, identity);
        return true;
      },
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
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
      onOperation: (ctx, id, _params, args) => void sessionSockets.operationStarted(ctx.extra.socket, id, args),
      onComplete: (ctx, id) => sessionSockets.operationOver(ctx.extra.socket, id),
      onClose: (ctx) => sessionSockets.untrack(ctx.extra.socket),
    },
    wsServer,
  );
  return {
    /** Closes every socket (1001) and stops accepting new ones. */
    async close(): Promise<void> {
      await handle.dispose();
      wsServer.close();
    },
  };
}
