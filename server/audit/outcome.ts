// What an attempt was and how it ended, as its audit record says: the operation's name, type and
// root fields, ALLOWED / PARTIAL / DENIED with the first error code and the refused paths, and the
// staff view it belongs to. Pure functions of the operation and its result.
import type { ImpersonationSession } from '@prisma/client';
import { AuditOutcome } from '@prisma/client';
import { getOperationAST, GraphQLError, parse, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Context } from '../context.ts';
import { ErrorCode } from '../errors.ts';

/** The ids of the staff view an attempt belongs to. */
export type AuditedSession = Pick<ImpersonationSession, 'id' | 'staffId' | 'customerId'>;

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
export function outcomeOf(result: ExecutionResult | null, errors: readonly GraphQLError[] = result?.errors ?? []) {
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
export function auditedSession(ctx: Partial<Context>): AuditedSession | null {
  return ctx.impersonation ?? ctx.tokenRefusal?.impersonation ?? null;
}

/** The answer when an attempt's record could not be written: nothing is served. */
export const auditUnavailable = (): ExecutionResult => ({
  data: null,
  errors: [
    // 503 like SERVICE_UNAVAILABLE: the audit store is a dependency that failed; try again shortly.
    new GraphQLError('The audit record could not be written; nothing was served', {
      extensions: { code: ErrorCode.AuditUnavailable, http: { status: 503 } },
    }),
  ],
});

/** The parsed query, or null when there is none or it does not parse. */
export function parsed(query: string | null | undefined): DocumentNode | null {
  try {
    return query ? parse(query) : null;
  } catch {
    return null;
  }
}
