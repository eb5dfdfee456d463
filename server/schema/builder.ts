// The Pothos builder: plugins, context, scalars, auth scopes and root types. Configuration only;
// read-only impersonation (the `mutatesCustomer` scope, its exemptions and refusal) is read-only.ts;
// step-up before privileged fields (the list: privileged.ts) is step-up-plugin.ts; a staff view's
// sections (portal-sections.ts) are section-scope-plugin.ts.
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import type { AuthSession, Customer, Staff } from '@prisma/client';
import { DateResolver, DateTimeResolver, JSONResolver } from 'graphql-scalars';
import type { Context } from '../context.ts';
import { ErrorCode, appError, badInput } from '../errors.ts';
import type PrismaTypes from '../generated/pothos-prisma-types.ts';
import { getDatamodel } from '../generated/pothos-prisma-types.ts';
import { isManager } from '../auth/identity.ts';
import AuditTracePlugin from './audit-trace.ts';
import { readsPortal } from './portal-read.ts';
import ReadOnlyFirstPlugin, { MUTATES_CUSTOMER, mutatesCustomer, readOnlyRefusal } from './read-only.ts';
import SectionScopePlugin from './section-scope-plugin.ts';
import StaffMaskPlugin from './staff-mask-plugin.ts';
import StepUpPlugin from './step-up-plugin.ts';
import StringLimitsPlugin from './string-limits-plugin.ts';

/** The auth scopes fields declare; each is computed once per request from the context. */
export interface AuthScopes {
  /** Any valid session. */
  authenticated: boolean;
  /** A customer's portal: the customer, or staff impersonating one. */
  customer: boolean;
  /** Staff signed in as themselves (not impersonating). */
  staff: boolean;
  /** A manager signed in as themselves: the staff who may impersonate (policy.ts) and administer. */
  manager: boolean;
  /** Reads portal data: the customer, or an impersonation of that customer (portal-read.ts). */
  readsPortal: boolean;
  /** May change customer data: never under impersonation. */
  mutatesCustomer: boolean;
  /** An impersonation token. */
  impersonating: boolean;
}

const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: AuthScopes;
  AuthContexts: {
    authenticated: Context & { authSession: AuthSession };
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
  // StringLimitsPlugin after ValidationPlugin: Pothos runs config hooks last plugin first, so the
  // limits are in place when the validation plugin builds each field's validator.
  // SectionScopePlugin right after the scopes: a field outside a staff view's sections is refused
  // before anything else of it runs, the audit trace included.
  plugins: [
    ScopeAuthPlugin,
    SectionScopePlugin,
    StaffMaskPlugin,
    ReadOnlyFirstPlugin,
    StepUpPlugin,
    RelayPlugin,
    PrismaPlugin,
    ValidationPlugin,
    StringLimitsPlugin,
    AuditTracePlugin,
  ],
  // Connections only: no `node`/`nodes` root fields, which would bypass each type's own read rules.
  relay: { clientMutationId: 'omit', cursorType: 'String', nodeQueryOptions: false, nodesQueryOptions: false },
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => {
      const staffSelf = ctx.actor !== null && ctx.impersonation === null;
      return {
        authenticated: ctx.authSession !== null,
        customer: ctx.customer !== null,
        staff: staffSelf,
        manager: isManager(ctx),
        readsPortal: readsPortal(ctx),
        mutatesCustomer: mutatesCustomer(ctx),
        impersonating: ctx.impersonation !== null,
      };
    },
    unauthorizedError: (_parent, ctx, info, result) => {
      const readOnly = readOnlyRefusal(ctx, info.fieldName, result.failure);
      if (readOnly) return readOnly;
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

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('Date', DateResolver);
builder.addScalarType('JSON', JSONResolver);

builder.queryType({});
builder.mutationType({ authScopes: MUTATES_CUSTOMER });
builder.subscriptionType({});

export { builder };
