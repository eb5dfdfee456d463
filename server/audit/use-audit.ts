// Envelop/Yoga plugin: the audit of every attempt (SPEC 4). Register it first, so that refusals by
// later plugins (identity, limits) are recorded too.
//
// - Every attempt under an impersonation token leaves exactly one record: executed operations
//   (onExecuteDone / onSubscribeResult), and attempts refused before execution (parse, validation,
//   limits, unknown operation: onExecutionResult; a refused request: onResponse; over graphql-ws the
//   socket server calls `recordUnexecuted` and `recordRefusedConnection`). Outcome ALLOWED (all
//   served), PARTIAL (some fields refused: which), DENIED (nothing served).
// - A record says what was seen: field paths and portal record ids (audit/trace.ts).
// - Staff outside a staff view leave records for directory searches (fields declaring
//   `extensions.auditAs`) and for the notes resolvers leave (sign-ins, administrative changes).
// - Fail closed: a response waits for its record; if it cannot be written the client gets
//   AUDIT_UNAVAILABLE and no data.
// - A staff view's query (whose identity may come from the in-process cache, auth/identity-cache.ts)
//   is recorded with its sign-in to confirm (audit/group-commit.ts): if its sign-in is no longer live at the database, nothing
//   of the execution is served, the client gets UNAUTHENTICATED (401) as for an ended token, the
//   refusal is recorded and the cache entry dropped. Mutations are not confirmed this way: their
//   identity is never cached, and the exempt ones (endImpersonation) end the view themselves.
import { AuditAction, AuditOutcome, type ImpersonationSession, type Prisma } from '@prisma/client';
import {
  getOperationAST,
  GraphQLError,
  parse,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { IdentityCache } from '../auth/identity-cache.ts';
import { TokenRefused } from '../auth/identity.ts';
import { identityFor } from '../auth/use-identity.ts';
import type { Context, RequestInfo, Services } from '../context.ts';
import type { RequestInfoReader } from '../request-info.ts';
import { ErrorCode } from '../errors.ts';
import type { AuditEntry } from './chain.ts';
import { createAuditBatcher } from './group-commit.ts';
import { redactVariables } from './redact.ts';
import { AuditTrace } from './trace.ts';

/** Options of {@link useAudit}. */
export interface AuditOptions {
  /**
   * Called when a record could not be written (the operation is refused either way).
   * @default console.error
   */
  onWriteError?: (error: unknown) => void;
  /** Reads where a request came from, for attempts refused before a context exists. */
  requestInfo: RequestInfoReader;
  /** The cache useIdentity takes staff views' identities from; entries found ended are dropped. */
  identityCache?: IdentityCache;
}

type AuditedSession = Pick<ImpersonationSession, 'id' | 'staffId' | 'customerId'>;
type Params = { query?: string | null; operationName?: string | null; variables?: Record<string, unknown> | null };

const REFUSAL_CODES = new Set<string>([ErrorCode.Forbidden, ErrorCode.Unauthenticated]);

/** The operation's name, type and root field names, as recorded. */
export function describeOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
): { operationName: string | null; operationType: string | null; rootFields: string[] } {
  const operation = getOperationAST(document, operationName);
  return {
    operationName: operation?.name?.value ?? operationName ?? null,
    operationType: operation?.operation ?? null,
    rootFields:
      operation?.selectionSet.selections.flatMap((selection) =>
        selection.kind === 'Field' ? [selection.name.value] : [],
      ) ?? [],
  };
}

/** ALLOWED, PARTIAL or DENIED, the first error code, and the paths refused. */
function outcomeOf(result: ExecutionResult | null, errors: readonly GraphQLError[] = result?.errors ?? []) {
  const codes = errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
  const data = result?.data as Record<string, unknown> | null | undefined;
  const served = !!data && Object.values(data).some((value) => value !== null && value !== undefined);
  const outcome = !served ? AuditOutcome.DENIED : errors.length ? AuditOutcome.PARTIAL : AuditOutcome.ALLOWED;
  return {
    outcome,
    errorCode: codes.find((code) => REFUSAL_CODES.has(code)) ?? codes[0] ?? null,
    refused: errors.flatMap((error) =>
      error.path ? [error.path.filter((key) => typeof key === 'string').join('.')] : [],
    ),
  };
}

/** The staff view an operation belongs to: the live session, or the one whose token was refused. */
function auditedSession(ctx: Partial<Context>): AuditedSession | null {
  return ctx.impersonation ?? ctx.tokenRefusal?.impersonation ?? null;
}

const auditUnavailable = (): ExecutionResult => ({
  data: null,
  errors: [
    // 503 like SERVICE_UNAVAILABLE: the audit store is a dependency that failed; try again shortly.
    new GraphQLError('The audit record could not be written; nothing was served', {
      extensions: { code: ErrorCode.AuditUnavailable, http: { status: 503 } },
    }),
  ],
});

function parsed(query: string | null | undefined): DocumentNode | null {
  try {
    return query ? parse(query) : null;
  } catch {
    return null;
  }
}

/** Writes audit records for one app instance; shared by the plugin and the WebSocket server. */
export function createAuditWriter(
  services: Pick<Services, 'prisma' | 'pool' | 'clock'>,
  options: Partial<AuditOptions> = {},
) {
  const onWriteError = options.onWriteError ?? ((error: unknown) => console.error('Audit write failed', error));
  // Records written on their own go through group commit (audit/group-commit.ts).
  const batcher = createAuditBatcher(services.pool);

  const write = async (entries: AuditEntry[]) => {
    try {
      // Submitted together, so they go in one batch, in this order.
      await Promise.all(entries.map((entry) => batcher.append(entry)));
      return true;
    } catch (error) {
      onWriteError(error);
      return false;
    }
  };

  /** The record of an attempt in a staff view. */
  const sessionEntry = (
    session: AuditedSession,
    request: Partial<RequestInfo>,
    operation: ReturnType<typeof describeOperation>,
    fields: Pick<AuditEntry, 'outcome' | 'errorCode' | 'variables' | 'seen' | 'reason'>,
  ): AuditEntry => ({
    action: AuditAction.OPERATION,
    createdAt: services.clock.now(),
    staffId: session.staffId,
    customerId: session.customerId,
    sessionId: session.id,
    requestId: request.requestId ?? null,
    ip: request.ip ?? null,
    userAgent: request.userAgent ?? null,
    ...operation,
    ...fields,
  });

  /**
   * Writes an executed operation's records when its identity came from the cache: the first (the
   * staff view's record) only if the sign-in is still live. Resolves `not-live` having written nothing.
   */
  const writeIfLive = async (entries: AuditEntry[], authSessionId: string) => {
    try {
      const [first, ...rest] = entries;
      if ((await batcher.append(first!, authSessionId)) === null) return 'not-live' as const;
      await Promise.all(rest.map((entry) => batcher.append(entry)));
      return 'written' as const;
    } catch (error) {
      onWriteError(error);
      return 'failed' as const;
    }
  };

  return {
    write,
    writeIfLive,
    sessionEntry,

    /**
     * Records an attempt that never executed (parse, validation or limit refusal), when it was made
     * with an impersonation token. Resolves false when the record could not be written.
     */
    async recordUnexecuted(
      ctx: Partial<Context>,
      schema: GraphQLSchema,
      params: Params,
      errors: readonly GraphQLError[],
    ): Promise<boolean> {
      const session = auditedSession(ctx);
      if (!session) return true;
      const document = parsed(params.query);
      const operation = document
        ? describeOperation(document, params.operationName)
        : { operationName: params.operationName ?? null, operationType: null, rootFields: [] };
      const { outcome, errorCode } = outcomeOf(null, errors);
      return write([
        sessionEntry(session, ctx, operation, {
          outcome,
          errorCode,
          reason: ctx.tokenRefusal?.message ?? errors[0]?.message.slice(0, 200) ?? null,
          variables: (document ? redactVariables(schema, document, params.variables) : {}) as Prisma.InputJsonValue,
          seen: null,
        }),
      ]);
    },

    /** Records a graphql-ws connection refused because its staff-view token no longer authenticates. */
    async recordRefusedConnection(ctx: Partial<Context>): Promise<boolean> {
      const session = auditedSession(ctx);
      if (!session) return true;
      return write([
        sessionEntry(
          session,
          ctx,
          { operationName: null, operationType: 'connection', rootFields: [] },
          {
            outcome: AuditOutcome.DENIED,
            errorCode: ErrorCode.Unauthenticated,
            reason: ctx.tokenRefusal?.message ?? null,
            variables: null,
            seen: null,
          },
        ),
      ]);
    },
  };
}

/** The records of an executed operation: its staff-view record, directory searches, notes. */
function executedEntries(
  writer: ReturnType<typeof createAuditWriter>,
  ctx: Context,
  schema: GraphQLSchema,
  document: DocumentNode,
  params: Params,
  result: ExecutionResult | null,
  trace: AuditTrace,
  now: Date,
): AuditEntry[] {
  const operation = describeOperation(document, params.operationName);
  const session = auditedSession(ctx);
  const rootType = operation.operationType === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  const searchActions =
    session || !ctx.actor
      ? []
      : operation.rootFields.flatMap((name) => {
          const action = rootType?.getFields()[name]?.extensions?.auditAs as AuditAction | undefined;
          return action ? [action] : [];
        });
  // Most operations (a customer reading their portal) leave no record: redact nothing for them.
  if (!session && searchActions.length === 0 && trace.notes.length === 0) return [];
  const variables = redactVariables(schema, document, params.variables) as Prisma.InputJsonValue;
  const { outcome, errorCode, refused } = outcomeOf(result);
  const request = { requestId: ctx.requestId, ip: ctx.ip, userAgent: ctx.userAgent };
  const notes = trace.notes.map((note): AuditEntry => ({
    action: note.action,
    outcome: note.outcome ?? AuditOutcome.ALLOWED,
    createdAt: now,
    staffId: note.staffId ?? ctx.actor?.id ?? null,
    customerId: note.customerId ?? null,
    sessionId: session?.id ?? null,
    reason: note.reason ?? null,
    errorCode: note.outcome === AuditOutcome.DENIED ? errorCode : null,
    seen: note.change ? { change: note.change } : null,
    variables,
    ...operation,
    ...request,
  }));
  if (session) {
    const seen = { fields: [...trace.fieldPaths], records: trace.served(), refused };
    return [
      writer.sessionEntry(session, ctx, operation, {
        outcome,
        errorCode,
        variables,
        seen,
        reason: ctx.tokenRefusal?.message ?? null,
      }),
      ...notes,
    ];
  }
  const searches = searchActions.map((action): AuditEntry => ({
    action,
    outcome,
    errorCode,
    staffId: ctx.actor!.id,
    variables,
    ...operation,
    ...request,
    createdAt: now,
  }));
  return [...searches, ...notes];
}

/** Records every attempt of a staff view, directory searches and administrative actions. */
export function useAudit(
  services: Pick<Services, 'prisma' | 'pool' | 'clock'>,
  schema: GraphQLSchema,
  options: AuditOptions,
): Plugin<Context> {
  const { requestInfo } = options;
  const writer = createAuditWriter(services, options);
  /** The parameters of each operation, for attempts refused before a context exists. */
  const paramsOf = new WeakMap<object, Params>();
  /** Contexts whose operation was executed and recorded (batched operations each have their own). */
  const executed = new WeakSet<object>();
  /** HTTP requests that left at least one record. */
  const recordedRequests = new WeakSet<Request>();

  return {
    onExecute({ args, extendContext }) {
      const ctx = args.contextValue;
      const trace = new AuditTrace(auditedSession(ctx) !== null);
      extendContext({ auditTrace: trace });
      executed.add(ctx);
      return {
        async onExecuteDone({ result, setResult }) {
          if (!('errors' in result) && !('data' in result)) return; // incremental delivery is not enabled
          const params = { operationName: args.operationName, variables: args.variableValues };
          const entries = executedEntries(
            writer,
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
            if (!(await writer.write(entries))) setResult(auditUnavailable());
            return;
          }
          const written = await writer.writeIfLive(entries, ctx.authSession.id);
          if (written === 'failed') setResult(auditUnavailable());
          if (written !== 'not-live') return;
          // The staff view ended (since its identity was resolved or cached): answered and recorded as an ended token.
          options.identityCache?.forget(ctx.authSession.id);
          const refusal = new TokenRefused('Impersonation session has ended', session);
          const refused = { errors: [refusal] };
          const refusalEntries = executedEntries(
            writer,
            { ...ctx, impersonation: null, tokenRefusal: refusal },
            args.schema,
            args.document,
            params,
            refused,
            new AuditTrace(true),
            services.clock.now(),
          );
          setResult((await writer.write(refusalEntries)) ? refused : auditUnavailable());
        },
      };
    },
    onSubscribe({ args, extendContext }) {
      const ctx = args.contextValue;
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
            writer,
            ctx,
            args.schema,
            args.document,
            params,
            outcome,
            trace,
            services.clock.now(),
          );
          const recorded = writer.write(entries);
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
    async onExecutionResult({ result, setResult, context, request }) {
      if (executed.has(context) || Array.isArray(result)) return;
      const errors = (result as ExecutionResult).errors ?? [];
      if (errors.length === 0) return;
      const ctx = context as Partial<Context>;
      // No identity in the context: context building failed (the database is down, say). Nothing
      // was served, and with no identity there is no staff view to record.
      const identity = ctx.authSession === undefined ? await identityFor(services, { request }).catch(() => null) : ctx;
      if (!identity) return;
      const info = ctx.requestId ? ctx : requestInfo({ request, ...(context as object) });
      const ok = await writer.recordUnexecuted({ ...info, ...identity }, schema, paramsOf.get(context) ?? {}, errors);
      recordedRequests.add(request);
      if (!ok) setResult(auditUnavailable());
    },
    async onResponse({ request, response, serverContext }) {
      // A request refused before any operation (body too large, malformed, too many operations).
      if (recordedRequests.has(request) || response.status < 400) return;
      const identity = await identityFor(services, { request }).catch(() => null);
      if (!identity || !auditedSession(identity)) return;
      await writer.recordUnexecuted(
        { ...requestInfo({ request, ...(serverContext as object) }), ...identity },
        schema,
        {},
        [new GraphQLError(`HTTP ${response.status}`, { extensions: { code: `HTTP_${response.status}` } })],
      );
    },
  };
}
