// The Yoga instance: schema, per-request context, and the cross-cutting plugins (audit, limits).
// Transport-free: HTTP and graphql-ws both go through it (see app.ts), and tests call
// `yoga.fetch(...)` directly.
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { createYoga, maskError } from 'graphql-yoga';
import { badInput } from './errors.ts';
import { useIdentity } from './auth/use-identity.ts';
import type { Context, Services } from './context.ts';
import { requestInfo, type TransportContext } from './request-info.ts';
import { useAudit } from './audit/use-audit.ts';
import { useOperationLimits } from './plugins/use-operation-limits.ts';
import { useRejectNulCharacters } from './plugins/use-reject-nul-characters.ts';
import { schema } from './schema/index.ts';

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
    plugins: [useAudit(services, schema), useIdentity(services), useOperationLimits(), useRejectNulCharacters()],
    // Identity (and any token refusal) is added by useIdentity.
    context: (initial) => ({ ...services, ...requestInfo(initial) }) as Context,
  });
}

/** The app's Yoga instance. */
export type YogaApp = ReturnType<typeof createYogaApp>;
