// The Yoga instance: schema, per-request context, and the cross-cutting plugins (audit, limits).
// Transport-free: HTTP and graphql-ws both go through it (see app.ts), and tests call
// `yoga.fetch(...)` directly.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createYoga, type YogaInitialContext } from 'graphql-yoga';
import { anonymous, resolveIdentity, TokenRefused } from './auth/identity.ts';
import { bearerToken } from './auth/tokens.ts';
import type { Context, RequestInfo, Services } from './context.ts';
import { auditRefusedImpersonationToken, useImpersonationAudit } from './audit/use-impersonation-audit.ts';
import { useOperationLimits } from './plugins/use-operation-limits.ts';
import { useRejectNulCharacters } from './plugins/use-reject-nul-characters.ts';
import { schema } from './schema/index.ts';

/** What a transport hands to the context factory besides Yoga's own initial context. */
export interface TransportContext {
  /** Node's request (HTTP server or the WebSocket upgrade request). */
  req?: IncomingMessage;
  /** graphql-ws `connectionParams`; `authorization` carries the bearer token. */
  connectionParams?: Record<string, unknown>;
}

function requestInfo(initial: YogaInitialContext & TransportContext): RequestInfo {
  const header = (name: string) =>
    initial.request?.headers.get(name) ?? (initial.req?.headers[name] as string | undefined) ?? null;
  return {
    requestId: header('x-request-id')?.slice(0, 100) || randomUUID(),
    ip: initial.req?.socket.remoteAddress ?? null,
    userAgent: header('user-agent')?.slice(0, 500) ?? null,
  };
}

export function createYogaApp(services: Services) {
  return createYoga<TransportContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    batching: { limit: 10 },
    maxRequestBodySize: services.config.MAX_REQUEST_BODY_BYTES,
    landingPage: false,
    graphiql: { title: 'Salon portal API', subscriptionsProtocol: 'WS' },
    logging: process.env.NODE_ENV === 'test' ? 'warn' : 'info',
    // The audit comes first so that refusals by later plugins are recorded too.
    plugins: [useImpersonationAudit(), useOperationLimits(), useRejectNulCharacters()],
    context: async (initial): Promise<Context> => {
      const info = requestInfo(initial);
      const authorization = initial.request?.headers.get('authorization') ?? initial.connectionParams?.authorization;
      const token = bearerToken(typeof authorization === 'string' ? authorization : null);
      if (!token) return { ...services, ...info, ...anonymous };
      try {
        return { ...services, ...info, ...(await resolveIdentity(services.prisma, token, services.clock.now())) };
      } catch (error) {
        if (error instanceof TokenRefused && error.impersonation) {
          const { query, operationName, variables } = initial.params ?? {};
          await auditRefusedImpersonationToken(
            services.prisma,
            error as Parameters<typeof auditRefusedImpersonationToken>[1],
            {
              query,
              operationName,
              variables,
              createdAt: services.clock.now(),
              ...info,
            },
          );
        }
        throw error;
      }
    },
  });
}

export type YogaApp = ReturnType<typeof createYogaApp>;
