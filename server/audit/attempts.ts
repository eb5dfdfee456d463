// The one writer of per-attempt audit records (SPEC 4), shared by every transport and route: the
// audit plugin (operations over HTTP and graphql-ws), the identity module (a refused graphql-ws
// connection) and the audit export. It knows what a record of an attempt holds (who, whom, which
// session, the operation, the outcome, what was seen) and writes it through group commit
// (group-commit.ts); nothing else appends an attempt's record.
import { AuditAction, AuditOutcome, type Prisma } from '@prisma/client';
import type { DocumentNode, ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import type { Context, RequestInfo, Services } from '../context.ts';
import { ErrorCode } from '../errors.ts';
import { auditRequestContext, type AuditEntry } from './chain.ts';
import { auditedSession, describeOperation, outcomeOf, parsed, type AuditedSession } from './outcome.ts';
import { createAuditBatcher } from './group-commit.ts';
import { redactionKey, redactVariables } from './redact.ts';
import type { AuditTrace } from './trace.ts';

/** An operation's parameters as a transport received them. */
export type OperationParams = {
  query?: string | null;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
};

/** Options of {@link createAttemptWriter}. */
export interface AttemptWriterOptions {
  /**
   * Called when a record could not be written (the attempt is refused either way).
   * @default console.error
   */
  onWriteError?: (error: unknown) => void;
  /**
   * Called once records were written, before the attempt is answered: the alert rule on refused
   * attempts (alerts/evaluate.ts) counts a staff view's refusals here. Its failure is only reported.
   * @default nothing
   */
  onWritten?: (entries: readonly AuditEntry[]) => Promise<unknown>;
}

/** Writes the per-attempt records of one app instance. */
export function createAttemptWriter(
  services: Pick<Services, 'prisma' | 'pool' | 'clock' | 'auditSigning'>,
  options: AttemptWriterOptions = {},
) {
  const onWriteError = options.onWriteError ?? ((error: unknown) => console.error('Audit write failed', error));
  // Records written on their own go through group commit (audit/group-commit.ts).
  const batcher = createAuditBatcher(services.pool);
  const key = redactionKey(services.auditSigning.key.privateKey);
  /** An operation's variables as its record keeps them (redact.ts). */
  const redact = (schema: GraphQLSchema, document: DocumentNode, variables: OperationParams['variables']) =>
    redactVariables(schema, document, variables, key) as Prisma.InputJsonValue;

  const written = (entries: readonly AuditEntry[]) =>
    options.onWritten?.(entries).catch((error: unknown) => console.error('After-write hook failed', error));

  const write = async (entries: AuditEntry[]) => {
    try {
      // Submitted together, so they go in one batch, in this order.
      await Promise.all(entries.map((entry) => batcher.append(entry)));
      await written(entries);
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
    ...auditRequestContext(request),
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
      await written(entries);
      return 'written' as const;
    } catch (error) {
      onWriteError(error);
      return 'failed' as const;
    }
  };

  return {
    write,
    writeIfLive,
    redact,
    sessionEntry,

    /**
     * Records an attempt that never executed (parse, validation or limit refusal), when it was made
     * with an impersonation token. Resolves false when the record could not be written.
     */
    async recordUnexecuted(
      ctx: Partial<Context>,
      schema: GraphQLSchema,
      params: OperationParams,
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
          variables: document ? redact(schema, document, params.variables) : {},
          seen: null,
        }),
      ]);
    },

    /**
     * Records a request answered outside GraphQL (the audit export): who asked, as which staff view
     * if any, and the answer. Resolves false when the record could not be written.
     */
    recordRequest(
      ctx: Partial<Context>,
      fields: Pick<AuditEntry, 'action' | 'outcome' | 'errorCode' | 'variables' | 'operationType'>,
    ): Promise<boolean> {
      const session = auditedSession(ctx);
      return write([
        {
          createdAt: services.clock.now(),
          staffId: ctx.actor?.id ?? session?.staffId ?? null,
          customerId: session?.customerId ?? null,
          sessionId: session?.id ?? null,
          ...auditRequestContext(ctx),
          ...fields,
        },
      ]);
    },

    /**
     * Records a graphql-ws connection of a staff view refused or closed by a rule: its token no
     * longer authenticates (the default), or a limit (a message too large, too many connections).
     */
    async recordRefusedConnection(
      ctx: Partial<Context>,
      refusal: { errorCode: string; reason: string | null } = {
        errorCode: ErrorCode.Unauthenticated,
        reason: ctx.tokenRefusal?.message ?? null,
      },
    ): Promise<boolean> {
      const session = auditedSession(ctx);
      if (!session) return true;
      return write([
        sessionEntry(
          session,
          ctx,
          { operationName: null, operationType: 'connection', rootFields: [] },
          {
            outcome: AuditOutcome.DENIED,
            ...refusal,
            variables: null,
            seen: null,
          },
        ),
      ]);
    },
  };
}

/** The per-attempt record writer of one app instance. */
export type AttemptWriter = ReturnType<typeof createAttemptWriter>;

/** The records of an executed operation: its staff-view record, directory searches, notes. */
export function executedEntries(
  writer: AttemptWriter,
  ctx: Context,
  schema: GraphQLSchema,
  document: DocumentNode,
  params: OperationParams,
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
  const variables = writer.redact(schema, document, params.variables);
  const { outcome, errorCode, refused } = outcomeOf(result);
  const request = auditRequestContext(ctx);
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
