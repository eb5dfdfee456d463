// The Yoga instance: schema, per-request context, and the cross-cutting plugins (audit, limits).
// Transport-free: HTTP and graphql-ws both go through it (see app.ts), and tests call
// `yoga.fetch(...)` directly.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type YogaInitialContext } from 'graphql-yoga';
import { badInput } from './errors.ts';
import { useIdentity } from './auth/use-identity.ts';
import type { Context, RequestInfo, Services } from './context.ts';
import { useImpersonationAudit } from './audit/use-impersonation-audit.ts';
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

/**
 * Pothos' own argument checks (connection cursors and sizes) throw PothosValidationError: bad input,
 * answered as BAD_USER_INPUT without echoing the value. Everything else is Yoga's masking.
 */
const maskPothosValidation: typeof maskError = (error, message, isDev) => {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof PothosValidationError) {
    return badInput(original.message.startsWith('Invalid cursor') ? 'Not a cursor from this list' : original.message);
  }
  return maskError(error, message, isDev);
};

/** Yoga over the app's services; transport-free. */
export function createYogaApp(services: Services) {
  return createYoga<TransportContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    batching: { limit: 10 },
    maxRequestBodySize: services.config.MAX_REQUEST_BODY_BYTES,
    landingPage: false,
    maskedErrors: { maskError: maskPothosValidation },
    graphiql: { title: 'Salon portal API', subscriptionsProtocol: 'WS' },
    logging: process.env.NODE_ENV === 'test' ? 'warn' : 'info',
    // The audit comes first so that refusals by later plugins (identity, limits) are recorded too.
    plugins: [useImpersonationAudit(), useIdentity(services), useOperationLimits(), useRejectNulCharacters()],
    // Identity (and any token refusal) is added by useIdentity.
    context: (initial) => ({ ...services, ...requestInfo(initial) }) as Context,
  });
}

/** The app's Yoga instance. */
export type YogaApp = ReturnType<typeof createYogaApp>;
