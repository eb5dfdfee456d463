// Envelop plugin: every operation run with an impersonation token is recorded (name, type, root
// fields, redacted variables, outcome, error code, who, whom, which session, request id, IP,
// user agent), allowed or denied. Fail closed: the response waits for its record, and if the
// record cannot be written the client gets AUDIT_UNAVAILABLE and no data.
import type { PrismaClient } from '@prisma/client';
import { getOperationAST, GraphQLError, parse, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { TokenRefused } from '../auth/identity.ts';
import type { Context, RequestInfo } from '../context.ts';
import { ErrorCode } from '../errors.ts';
import { AuditAction, AuditOutcome, appendAudit, type AuditEntry } from './chain.ts';
import { redactVariables } from './redact.ts';

export interface ImpersonationAuditOptions {
  /**
   * Called when a record could not be written (the operation is refused either way).
   * @default console.error
   */
  onWriteError?: (error: unknown) => void;
}

const DENIED_CODES = new Set<string>([ErrorCode.Forbidden, ErrorCode.Unauthenticated]);

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
  return { outcome: denied ? AuditOutcome.Denied : AuditOutcome.Allowed, errorCode: denied ?? codes[0] ?? null };
}

/**
 * Records an operation refused because its impersonation token no longer authenticates (the
 * session ended): such attempts happen before any context exists, so the plugin hooks never see
 * them. Called by the context factory; a failed write is reported and the refusal stands.
 */
export async function auditRefusedImpersonationToken(
  prisma: PrismaClient,
  refusal: TokenRefused & { impersonation: NonNullable<TokenRefused['impersonation']> },
  request: { query?: string; operationName?: string | null; variables?: unknown; createdAt: Date } & RequestInfo,
): Promise<void> {
  let document: DocumentNode | null = null;
  try {
    document = request.query ? parse(request.query) : null;
  } catch {
    // An unparsable operation is recorded without its name and fields.
  }
  await appendAudit(prisma, {
    action: AuditAction.Operation,
    outcome: AuditOutcome.Denied,
    errorCode: ErrorCode.Unauthenticated,
    reason: refusal.message,
    createdAt: request.createdAt,
    staffId: refusal.impersonation.staffId,
    customerId: refusal.impersonation.customerId,
    sessionId: refusal.impersonation.id,
    ...(document
      ? describeOperation(document, request.operationName)
      : { operationName: request.operationName ?? null }),
    variables: (document
      ? redactVariables(document, request.variables as Record<string, unknown>)
      : {}) as AuditEntry['variables'],
    requestId: request.requestId,
    ip: request.ip,
    userAgent: request.userAgent,
  }).catch((error: unknown) => console.error('Audit write failed', error));
}

const auditUnavailable = (): ExecutionResult => ({
  data: null,
  errors: [
    new GraphQLError('The audit record could not be written; nothing was served', {
      extensions: { code: ErrorCode.AuditUnavailable },
    }),
  ],
});

export function useImpersonationAudit(options: ImpersonationAuditOptions = {}): Plugin<Context> {
  const onWriteError = options.onWriteError ?? ((error: unknown) => console.error('Audit write failed', error));

  const entryFor = (
    ctx: Context,
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: unknown,
    outcome: Pick<AuditEntry, 'outcome' | 'errorCode'>,
  ): AuditEntry => ({
    action: AuditAction.Operation,
    createdAt: ctx.clock.now(),
    staffId: ctx.actor?.id,
    customerId: ctx.customer?.id,
    sessionId: ctx.impersonation?.id,
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
      if (!ctx.impersonation) return;
      return {
        async onExecuteDone({ result, setResult }) {
          if (!('errors' in result) && !('data' in result)) return; // incremental delivery is not enabled
          const executed = result as ExecutionResult;
          const entry = entryFor(
            ctx,
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
      if (!ctx.impersonation) return;
      return {
        onSubscribeResult({ result }) {
          const refused = !(Symbol.asyncIterator in Object(result));
          const errors = refused ? (result as ExecutionResult).errors : undefined;
          const recorded = write(
            ctx,
            entryFor(ctx, args.document, args.operationName, args.variableValues, outcomeOf(errors)),
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
