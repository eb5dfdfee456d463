// The one pipeline: the Yoga instance with the schema, the per-operation context and every
// cross-cutting plugin (routes, request ids, persisted operations, audit, identity, limits).
// Transport-free: HTTP (app.ts) and graphql-ws (transport/websocket.ts, through `getEnveloped`)
// both go through it, and tests call `yoga.fetch(...)` directly.
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, type CORSOptions, type YogaLogger } from 'graphql-yoga';
import type { Config } from './config.ts';
import { badInput } from './errors.ts';
import { createIdentityCache } from './auth/identity-cache.ts';
import { createRevocationFence } from './auth/revocation-fence.ts';
import { forgetReveals } from './impersonation/reveals.ts';
import { useIdentity } from './auth/use-identity.ts';
import type { Context, Services } from './context.ts';
import type { AttemptWriter } from './audit/attempts.ts';
import { useAudit } from './audit/use-audit.ts';
import { useAuditExport } from './audit/use-audit-export.ts';
import { createRequestInfo, type TransportContext } from './request-info.ts';
import type { CheckpointState } from './audit/checkpoint-health.ts';
import type { AppMetrics } from './observability/metrics.ts';
import { useOperationsEndpoints } from './observability/use-operations-endpoints.ts';
import { useBadInputCodes } from './plugins/use-bad-input-codes.ts';
import { useCsrfPrevention } from './plugins/use-csrf-prevention.ts';
import { useOperationLimits } from './plugins/use-operation-limits.ts';
import { usePersistedOperations } from './plugins/use-persisted-operations.ts';
import { useLeanSubscriptionEvents } from './plugins/use-lean-subscription-events.ts';
import { useRejectUnstorableText } from './plugins/use-reject-unstorable-text.ts';
import { useRequestId } from './plugins/use-request-id.ts';
import { schema } from './schema/index.ts';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * CORS from the CORS_ORIGINS allow-list: an allowed origin gets itself back, any other origin no
 * CORS header at all (same-origin requests need none). Never credentials: tokens are bearer
 * headers, not cookies. Without a list, development allows loopback origins (Vite's dev server).
 */
function corsFor(config: Config): (request: Request) => CORSOptions {
  const allowed = new Set(config.CORS_ORIGINS);
  const development = config.NODE_ENV !== 'production';
  const isAllowed = (origin: string) => {
    if (allowed.size > 0) return allowed.has(origin);
    if (!development) return false;
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
    } catch {
      return false;
    }
  };
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin || !isAllowed(origin)) return false;
    return { origin: [origin], credentials: false, exposedHeaders: ['x-request-id'] };
  };
}

/**
 * Yoga refuses some malformed requests (a multipart body without `operations`) with an error that
 * has no code, answered 200: BAD_REQUEST, 400. Variable errors are coded by useBadInputCodes.
 */
function codeRequestError(error: unknown): void {
  if (!(error instanceof GraphQLError) || error.extensions.code || error.path || error.originalError) return;
  if (error.message.startsWith('Variable "$')) return;
  const extensions = error.extensions as Record<string, unknown>;
  extensions.code = 'BAD_REQUEST';
  extensions.http = { ...(extensions.http as object | undefined), status: 400 };
}

/**
 * Pothos' own argument checks (connection cursors and sizes) throw PothosValidationError: bad input,
 * answered as BAD_USER_INPUT without echoing the value. Everything else is Yoga's masking.
 */
const maskPothosValidation: typeof maskError = (error, message, isDev) => {
  codeRequestError(error);
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (original instanceof PothosValidationError) {
    return badInput(original.message.startsWith('Invalid cursor') ? 'Not a cursor from this list' : original.message);
  }
  return maskError(error, message, isDev);
};

/**
 * In production no error carries `extensions.originalError`: Yoga puts the JSON parser's message
 * there for a malformed body, and Node's message quotes the body ("secretpass"... is not valid JSON).
 * The error is changed in place: a client's bad request is not a server error to log.
 */
const maskForProduction: typeof maskError = (error, message, isDev) => {
  const masked = maskPothosValidation(error, message, isDev);
  if (masked instanceof GraphQLError) delete (masked.extensions as Record<string, unknown>).originalError;
  return masked;
};

/** Options of {@link createYogaApp}. */
export interface YogaAppOptions {
  logger: YogaLogger;
  metrics: AppMetrics;
  /** The app's attempt writer: the audit plugin, the export and refused connections write through it. */
  attempts: AttemptWriter;
  /** Whether the instance is shutting down (`/ready`). */
  draining: () => boolean;
  /** Whether the checkpoint writer keeps the audit log signed (`/ready`); unset: not checked. */
  checkpoints?: () => CheckpointState;
}

/** Yoga over the app's services; transport-free. */
export function createYogaApp(
  services: Services,
  { logger, metrics, attempts, draining, checkpoints }: YogaAppOptions,
) {
  const { config } = services;
  const production = config.NODE_ENV === 'production';
  const requestInfo = createRequestInfo(config);
  const identityCache = createIdentityCache();
  // A customer's cached identity waits for this fence (auth/revocation-fence.ts); the first read
  // starts now, so customers are cached from the first requests on.
  const fence = createRevocationFence(
    services.pool,
    identityCache,
    Boolean(config.DATABASE_URL) && config.DATABASE_PREPARED_STATEMENTS,
  );
  void fence.sync().catch(() => undefined);
  // A live staff view changed on any instance (extended): its cached identity is read again, so what
  // the view shows of its own session (expiresAt, extendedAt) is not stale. Ends are left to the rule
  // that does not depend on pub/sub: the audit append refuses an ended view (identity-cache.ts).
  const sessionChanges = services.pubsub.subscribe('impersonation:active');
  void (async () => {
    for await (const event of sessionChanges) {
      if (event.ended) continue;
      identityCache.forgetSession(event.sessionId);
      // It may have revealed a field (impersonation/reveals.ts).
      forgetReveals(event.sessionId);
    }
  })().catch(() => undefined);
  return createYoga<TransportContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    batching: { limit: 10 },
    maxRequestBodySize: config.MAX_REQUEST_BODY_BYTES,
    landingPage: false,
    // Yoga's own liveness answer (an empty 200) would shadow ours at /health, which says so in JSON.
    healthCheckEndpoint: '/.yoga-health',
    cors: corsFor(config),
    maskedErrors: production ? { maskError: maskForProduction, isDev: false } : { maskError: maskPothosValidation },
    graphiql: config.GRAPHIQL ? { title: 'Salon portal API', subscriptionsProtocol: 'WS' } : false,
    logging: logger,
    // Operations endpoints answer first (no log line, no audit). Bad-input codes come before the
    // audit, whose hooks run after theirs: a record keeps the code the client gets (BAD_USER_INPUT for
    // a variable that does not coerce) and, in production, not the literal's text. The audit comes
    // before identity and limits so that their refusals are recorded too. Persisted operations map
    // the hash to its query (onParams over HTTP, onEnveloped over graphql-ws) before the audit keeps
    // the params.
    plugins: [
      useOperationsEndpoints(services, { metrics, draining, checkpoints }),
      useRequestId({ logger }),
      useCsrfPrevention(),
      useAuditExport(services, { attempts, requestInfo }),
      usePersistedOperations({ allowArbitraryOperations: config.ALLOW_ARBITRARY_OPERATIONS }),
      useBadInputCodes({ hideValues: production }),
      useAudit(services, schema, { attempts, requestInfo, identityCache }),
      useIdentity(services, { cache: identityCache, fence }),
      useOperationLimits(),
      useRejectUnstorableText(),
      useLeanSubscriptionEvents(),
      ...(config.INTROSPECTION ? [] : [useDisableIntrospection()]),
      ...metrics.plugins,
    ],
    // Identity (and any token refusal) is added by useIdentity.
    context: (initial) => ({ ...services, ...requestInfo(initial) }) as Context,
  });
}

/** The app's Yoga instance. */
export type YogaApp = ReturnType<typeof createYogaApp>;
