// Envelop plugin: every operation run with an impersonation token is recorded (name, type, root
// fields, redacted variables, outcome, error code, who, whom, which session, request id, IP,
// user agent), allowed or denied, including operations refused because the session's token no
// longer authenticates (use-identity stops them; this plugin runs first and records them). Fail
// closed: the response waits for its record, and if the record cannot be written the client gets
// AUDIT_UNAVAILABLE and no data.
import { AuditAction, AuditOutcome, type ImpersonationSession } from '@prisma/client';
import { getOperationAST, GraphQLError, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.ts';
import { ErrorCode } from '../errors.ts';
import { appendAudit, type AuditEntry } from './chain.ts';
import { redactVariables } from './redact.ts';

/** Options of {@link useImpersonationAudit}. */
export interface ImpersonationAuditOptions {
  /**
   * Called when a record could not be written (the operation is refused either way).
   * @default console.error
   */
  onWriteError?: (error: unknown) => void;
}

const DENIED_CODES = new Set<string>([ErrorCode.Forbidden, ErrorCode.Unauthenticated]);

/** The operation's name, type and root field names, as recorded. */
export function describeOperation(document: DocumentNode, operationName: string | null | undefined) {
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

function outcomeOf(errors: readonly GraphQLError[] | undefined): Pick<AuditEntry, 'outcome' | 'errorCode'> {
  const codes = (errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
  const denied = codes.find((code) => DENIED_CODES.has(code));
  return { outcome: denied ? AuditOutcome.DENIED : AuditOutcome.ALLOWED, errorCode: denied ?? codes[0] ?? null };
}

const auditUnavailable = (): ExecutionResult => ({
  data: null,
  errors: [
    new GraphQLError('The audit record could not be written; nothing was served', {
      extensions: { code: ErrorCode.AuditUnavailable },
    }),
  ],
});

/** The staff view an operation belongs to: the live session, or the one whose token was refused. */
function auditedSession(ctx: Context): Pick<ImpersonationSession, 'id' | 'staffId' | 'customerId'> | null {
  return ctx.impersonation ?? ctx.tokenRefusal?.impersonation ?? null;
}

/** Records every operation of a staff view; register it first so later plugins' refusals are recorded. */
export function useImpersonationAudit(options: ImpersonationAuditOptions = {}): Plugin<Context> {
  const onWriteError = options.onWriteError ?? ((error: unknown) => console.error('Audit write failed', error));

  const entryFor = (
    ctx: Context,
    session: Pick<ImpersonationSession, 'id' | 'staffId' | 'customerId'>,
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: unknown,
    outcome: Pick<AuditEntry, 'outcome' | 'errorCode'>,
  ): AuditEntry => ({
    action: AuditAction.OPERATION,
    createdAt: ctx.clock.now(),
    staffId: session.staffId,
    customerId: session.customerId,
    sessionId: session.id,
    reason: ctx.tokenRefusal?.message ?? null,
    ...describeOperation(document, operationName),
    variables: redactVariables(document, variables as Record<string, unknown> | undefined) as AuditEntry['variables'],
    requestId: ctx.requestId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    ...outcome,
  });

  const write = (ctx: Context, entry: AuditEntry) =>
    appendAudit(ctx.prisma, entry).then(
      () => true,
      (error: unknown) => {
        onWriteError(error);
        return false;
      },
    );

  return {
    onExecute({ args }) {
      const ctx = args.contextValue;
      const session = auditedSession(ctx);
      if (!session) return;
      return {
        async onExecuteDone({ result, setResult }) {
          if (!('errors' in result) && !('data' in result)) return; // incremental delivery is not enabled
          const executed = result as ExecutionResult;
          const entry = entryFor(
            ctx,
            session,
            args.document,
            args.operationName,
            args.variableValues,
            outcomeOf(executed.errors),
          );
          if (!(await write(ctx, entry))) setResult(auditUnavailable());
        },
      };
    },
    onSubscribe({ args }) {
      const ctx = args.contextValue;
      const session = auditedSession(ctx);
      if (!session) return;
      return {
        onSubscribeResult({ result }) {
          const refused = !(Symbol.asyncIterator in Object(result));
          const errors = refused ? (result as ExecutionResult).errors : undefined;
          const recorded = write(
            ctx,
            entryFor(ctx, session, args.document, args.operationName, args.variableValues, outcomeOf(errors)),
          );
          if (refused) return;
          return {
            // Nothing is pushed before the subscription's record is durably written.
            async onNext({ setResult }) {
              if (!(await recorded)) setResult(auditUnavailable());
            },
          };
        },
      };
    },
  };
}
