// Envelop/Yoga plugin: the audit of every attempt (SPEC 4), on every transport. Register it first,
// so that refusals by later plugins (identity, limits) are recorded too. Records are written by the
// one attempt writer (attempts.ts).
//
// - Every attempt under an impersonation token leaves exactly one record: executed operations
//   (onExecuteDone / onSubscribeResult); attempts refused at parse or validation (onParse /
//   onValidate, on both transports: the graphql-ws transport awaits `refusalRecorded` before it
//   answers); other refusals before execution (limits, unknown operation: onExecutionResult; a
//   refused request: onResponse). Outcome ALLOWED (all served), PARTIAL (some fields refused:
//   which), DENIED (nothing served).
// - A record says what was seen: field paths and portal record ids (audit/trace.ts).
// - Staff outside a staff view leave records for directory searches (fields declaring
//   `extensions.auditAs`) and for the notes resolvers leave (sign-ins, administrative changes).
// - Fail closed: a response waits for its record; if it cannot be written the client gets
//   AUDIT_UNAVAILABLE and no data.
// - A staff view's query (whose identity may come from the in-process cache, auth/identity-cache.ts)
//   is recorded with its sign-in to confirm (audit/group-commit.ts): if its sign-in is no longer
//   live at the database, nothing of the execution is served, the client gets UNAUTHENTICATED (401)
//   as for an ended token, the refusal is recorded and the cache entry dropped. Mutations are not
//   confirmed this way: their identity is never cached, and the exempt ones end the view themselves.
import { getOperationAST, GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { IdentityCache } from '../auth/identity-cache.ts';
import { TokenRefused } from '../auth/identity.ts';
import { identityOf, type TokenSource } from '../auth/use-identity.ts';
import type { Context, Services } from '../context.ts';
import { isSocketOperation, type RequestInfoReader } from '../request-info.ts';
import { executedEntries, type AttemptWriter, type OperationParams } from './attempts.ts';
import { auditedSession, auditUnavailable } from './outcome.ts';
import { AuditTrace } from './trace.ts';

/** Options of {@link useAudit}. */
export interface AuditOptions {
  /** The app's attempt writer (shared with the connection check and the export route). */
  attempts: AttemptWriter;
  /** Reads where a request came from, for attempts refused before a context exists. */
  requestInfo: RequestInfoReader;
  /** The cache useIdentity takes staff views' identities from; entries found ended are dropped. */
  identityCache?: IdentityCache;
}

/** Parse and validation refusals being recorded, by their operation's envelope context. */
const refusalRecords = new WeakMap<object, Promise<boolean>>();
/** The plugin's recorder for each graphql-ws operation not executed yet, by its envelope context. */
const socketRecorders = new WeakMap<object, (context: object, errors: readonly GraphQLError[]) => void>();

/**
 * Whether the record of a graphql-ws operation refused before execution is written (true when
 * nothing needed recording); the transport answers the refusal only after this. The plugin's hooks
 * record it as it happens; a refusal no hook saw (Yoga's parser cache throws a source's known parse
 * error before any hook) is recorded here.
 */
export function refusalRecorded(context: object, errors: readonly GraphQLError[]): Promise<boolean> {
  socketRecorders.get(context)?.(context, errors);
  return refusalRecords.get(context) ?? Promise.resolve(true);
}

/** Records every attempt of a staff view, directory searches and administrative actions. */
export function useAudit(
  services: Pick<Services, 'prisma' | 'pool' | 'clock'>,
  schema: GraphQLSchema,
  options: AuditOptions,
): Plugin<Context> {
  const { requestInfo, attempts } = options;
  /** The parameters of each HTTP operation, for attempts refused before a context exists. */
  const paramsOf = new WeakMap<object, OperationParams>();
  /** Contexts whose operation was executed and recorded (batched operations each have their own). */
  const executed = new WeakSet<object>();
  /** HTTP requests that left at least one record. */
  const recordedRequests = new WeakSet<Request>();

  /** Records an attempt refused before execution; the identity is resolved if no context has it yet. */
  const recordRefusal = async (context: object, errors: readonly GraphQLError[]) => {
    const ctx = context as Partial<Context> & { params?: OperationParams };
    const request = ctx.request;
    // No identity in the context: it was not built yet (HTTP parses first) or building failed (the
    // database is down: nothing was served, and with no identity there is no staff view to record).
    const identity =
      ctx.authSession === undefined ? await identityOf(services, context as TokenSource).catch(() => null) : ctx;
    if (!identity) return true;
    const info = ctx.requestId ? ctx : requestInfo({ ...context, request });
    const params = ctx.params ?? paramsOf.get(context) ?? {};
    if (request) recordedRequests.add(request);
    return attempts.recordUnexecuted({ ...info, ...identity }, schema, params, errors);
  };
  const noteRefusal = (context: object, errors: readonly GraphQLError[]) => {
    if (!refusalRecords.has(context)) refusalRecords.set(context, recordRefusal(context, errors));
  };

  return {
    onEnveloped({ context }) {
      if (context && isSocketOperation(context)) socketRecorders.set(context, noteRefusal);
    },
    onParse({ context }) {
      return ({ result, replaceParseResult }) => {
        if (!(result instanceof Error)) return;
        // The code Yoga gives a syntax error over HTTP (its own hook skips graphql-ws operations).
        const error = result instanceof GraphQLError ? result : new GraphQLError('Syntax error');
        (error.extensions as Record<string, unknown>).code ??= 'GRAPHQL_PARSE_FAILED';
        if (error !== result) replaceParseResult(error);
        noteRefusal(context, [error]);
      };
    },
    onValidate({ context }) {
      return ({ valid, result }) => {
        if (valid) return;
        // The code Yoga gives a validation error over HTTP, where its own hook runs after this one.
        for (const error of result as readonly GraphQLError[])
          (error.extensions as Record<string, unknown>).code ??= 'GRAPHQL_VALIDATION_FAILED';
        noteRefusal(context, result as readonly GraphQLError[]);
      };
    },
    onExecute({ args, extendContext }) {
      const ctx = args.contextValue;
      socketRecorders.delete(ctx);
      const trace = new AuditTrace(auditedSession(ctx) !== null);
      extendContext({ auditTrace: trace });
      executed.add(ctx);
      return {
        async onExecuteDone({ result, setResult }) {
          if (!('errors' in result) && !('data' in result)) return; // incremental delivery is not enabled
          const params = { operationName: args.operationName, variables: args.variableValues };
          const entries = executedEntries(
            attempts,
            ctx,
            args.schema,
            args.document,
            params,
            result as ExecutionResult,
            trace,
            services.clock.now(),
          );
          if (entries.length === 0) return;
          if (ctx.request) recordedRequests.add(ctx.request);
          const session = auditedSession(ctx);
          const query = getOperationAST(args.document, args.operationName)?.operation === 'query';
          if (!query || !ctx.impersonation || !session || !ctx.authSession) {
            if (!(await attempts.write(entries))) setResult(auditUnavailable());
            return;
          }
          const written = await attempts.writeIfLive(entries, ctx.authSession.id);
          if (written === 'failed') setResult(auditUnavailable());
          if (written !== 'not-live') return;
          // The staff view ended (since its identity was resolved or cached): answered and recorded as an ended token.
          options.identityCache?.forget(ctx.authSession.id);
          const refusal = new TokenRefused('Impersonation session has ended', session);
          const refused = { errors: [refusal] };
          const refusalEntries = executedEntries(
            attempts,
            { ...ctx, impersonation: null, tokenRefusal: refusal },
            args.schema,
            args.document,
            params,
            refused,
            new AuditTrace(true),
            services.clock.now(),
          );
          setResult((await attempts.write(refusalEntries)) ? refused : auditUnavailable());
        },
      };
    },
    onSubscribe({ args, extendContext }) {
      const ctx = args.contextValue;
      socketRecorders.delete(ctx);
      const trace = new AuditTrace(false);
      extendContext({ auditTrace: trace });
      executed.add(ctx);
      if (!auditedSession(ctx)) return;
      return {
        onSubscribeResult({ result, setResult }) {
          const refused = !(Symbol.asyncIterator in Object(result));
          const params = { operationName: args.operationName, variables: args.variableValues };
          const outcome = refused ? (result as ExecutionResult) : { data: { subscribed: true } };
          const entries = executedEntries(
            attempts,
            ctx,
            args.schema,
            args.document,
            params,
            outcome,
            trace,
            services.clock.now(),
          );
          const recorded = attempts.write(entries);
          if (refused) {
            // The refusal reaches the client only once its record is written (graphql-ws awaits it).
            setResult(recorded.then((ok) => (ok ? result : auditUnavailable())) as never);
            return;
          }
          // Known once the record is written: later events (a banner ticks every second) skip the await.
          let written = false;
          void recorded.then(
            (ok) => (written = ok),
            () => undefined,
          );
          return {
            // Nothing is pushed before the subscription's record is durably written.
            onNext({ setResult }) {
              if (written) return;
              return recorded.then((ok) => void (ok || setResult(auditUnavailable())));
            },
          };
        },
      };
    },
    onParams({ params, context }) {
      paramsOf.set(context, params);
    },
    async onExecutionResult({ result, setResult, context }) {
      if (executed.has(context) || Array.isArray(result)) return;
      const errors = (result as ExecutionResult).errors ?? [];
      if (errors.length === 0) return;
      noteRefusal(context, errors);
      if (!(await refusalRecords.get(context))) setResult(auditUnavailable());
    },
    async onResponse({ request, response, serverContext }) {
      // A request refused before any operation (body too large, malformed, too many operations).
      if (recordedRequests.has(request) || response.status < 400) return;
      const identity = await identityOf(services, { request }).catch(() => null);
      if (!identity || !auditedSession(identity)) return;
      await attempts.recordUnexecuted(
        { ...requestInfo({ request, ...(serverContext as object) }), ...identity },
        schema,
        {},
        [new GraphQLError(`HTTP ${response.status}`, { extensions: { code: `HTTP_${response.status}` } })],
      );
    },
  };
}
