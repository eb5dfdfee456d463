// The Pothos builder: plugins, context, scalars, auth scopes and root types. Configuration only.
//
// Read-only impersonation lives here: `mutatesCustomer` is a scope no impersonated context can
// satisfy, and it is set on the Mutation type itself, so every mutation field, including ones
// added later, needs it. The only way out is READ_ONLY_EXEMPTIONS below (see exemptFromReadOnly).
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import type { Customer, Staff } from '@prisma/client';
import { DateResolver, DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type { Context } from '../context.ts';
import { ErrorCode, ErrorReason, appError, badInput } from '../errors.ts';
import type PrismaTypes from '../generated/pothos-prisma-types.ts';
import { getDatamodel } from '../generated/pothos-prisma-types.ts';
import ReadOnlyFirstPlugin from './read-only-first.ts';

/**
 * Mutations allowed under impersonation. Each entry is reviewed: it must not change customer
 * data. A test fails if a mutation skips the read-only scope without being listed here.
 */
export const READ_ONLY_EXEMPTIONS = {
  endImpersonation: 'ends the staff member’s own impersonation session',
  extendImpersonation: 'extends the staff member’s own impersonation session within the limits',
} as const;

export type ReadOnlyExemption = keyof typeof READ_ONLY_EXEMPTIONS;

/** Field options that exempt one mutation from `mutatesCustomer`; only listed names compile. */
export function exemptFromReadOnly(_name: ReadOnlyExemption) {
  return { skipTypeScopes: true } as const;
}

export interface AuthScopes {
  /** Any valid session. */
  authenticated: boolean;
  /** A customer's portal: the customer, or staff impersonating one. */
  customer: boolean;
  /** Staff signed in as themselves (not impersonating). */
  staff: boolean;
  /** A manager signed in as themselves. */
  manager: boolean;
  /** May change customer data: never under impersonation. */
  mutatesCustomer: boolean;
  /** An impersonation token. */
  impersonating: boolean;
}

const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: AuthScopes;
  AuthContexts: {
    customer: Context & { customer: Customer };
    staff: Context & { actor: Staff };
    manager: Context & { actor: Staff };
    impersonating: Context & { actor: Staff; customer: Customer; impersonation: NonNullable<Context['impersonation']> };
  };
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin, ReadOnlyFirstPlugin, PrismaPlugin, ValidationPlugin],
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => {
      const staffSelf = ctx.actor !== null && ctx.impersonation === null;
      return {
        authenticated: ctx.authSession !== null,
        customer: ctx.customer !== null,
        staff: staffSelf,
        manager: staffSelf && ctx.actor!.role === 'MANAGER',
        mutatesCustomer: ctx.impersonation === null,
        impersonating: ctx.impersonation !== null,
      };
    },
    unauthorizedError: (_parent, ctx, info, result) => {
      const scopes = failedScopes(result.failure);
      if (ctx.impersonation && scopes.includes('mutatesCustomer')) {
        return appError(ErrorCode.Forbidden, `${info.fieldName} is not allowed while viewing as a customer`, {
          reason: ErrorReason.ImpersonationReadOnly,
        });
      }
      if (!ctx.authSession) return appError(ErrorCode.Unauthenticated, 'Sign in first');
      return appError(ErrorCode.Forbidden, `Not allowed to use ${info.parentType.name}.${info.fieldName}`);
    },
  },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  validation: {
    validationError: (result) =>
      badInput(
        result.issues
          .map(
            (issue) =>
              `${(issue.path ?? []).map((p) => (typeof p === 'object' ? p.key : p)).join('.') || 'input'}: ${issue.message}`,
          )
          .join('; '),
        {
          issues: result.issues.map((issue) => ({
            path: (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)),
            message: issue.message,
          })),
        },
      ),
  },
});

function failedScopes(failure: AuthFailure): string[] {
  switch (failure.kind) {
    case AuthScopeFailureType.AuthScope:
      return [failure.scope];
    case AuthScopeFailureType.AnyAuthScopes:
    case AuthScopeFailureType.AllAuthScopes:
      return failure.failures.flatMap(failedScopes);
    default:
      return [];
  }
}

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('Date', DateResolver);
builder.addScalarType('JSON', JSONResolver);

builder.queryType({});
builder.mutationType({ authScopes: { mutatesCustomer: true } });
builder.subscriptionType({});

export { builder };
