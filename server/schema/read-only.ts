// Read-only impersonation, in one place (SPEC 3). `mutatesCustomer` is an auth scope no
// impersonated context satisfies; builder.ts sets it on the Mutation type itself, so every mutation,
// including ones added later, needs it. The only way out is an entry in READ_ONLY_EXEMPTIONS.
//
// Pothos runs argument mappers (the validation plugin) before any resolver wrapper, so a root
// field's input errors would answer before its auth scopes: an anonymous caller would learn the
// validation rules, and under impersonation a mutation with a bad argument would say
// BAD_USER_INPUT instead of the read-only refusal. The plugin below evaluates, *before* argument
// mapping and through scope-auth's own request cache and refusal, the Mutation type's
// `mutatesCustomer` scope (unless the field is exempted) and then the root field's own scope map.
// scope-auth still runs its checks afterwards, from the same cache.
import SchemaBuilder, { BasePlugin, completeValue, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { RequestCache } from '@pothos/plugin-scope-auth';
import { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import type { GraphQLError, GraphQLFieldResolver } from 'graphql';
import { ErrorCode, ErrorReason, appError } from '../errors.ts';

/**
 * Mutations allowed under impersonation. Each entry is reviewed: it must not change customer
 * data. A test fails if a mutation skips the read-only scope without being listed here.
 */
export const READ_ONLY_EXEMPTIONS = {
  endImpersonation: 'ends the staff member’s own impersonation session',
  extendImpersonation: 'extends the staff member’s own impersonation session within the limits',
  narrowImpersonationScope: 'narrows the staff member’s own impersonation session to fewer sections',
  revealStaffViewField:
    'unmasks one field of one record for the staff member’s own view (recorded, told to the customer); changes no customer data',
  reportStaffViewTampering: 'records that the staff view’s marks were hidden or removed; changes no customer data',
} as const;

/** The name of a reviewed exemption. */
export type ReadOnlyExemption = keyof typeof READ_ONLY_EXEMPTIONS;

/** Field options that exempt one mutation from `mutatesCustomer`; only listed names compile. */
export function exemptFromReadOnly(_name: ReadOnlyExemption) {
  return { skipTypeScopes: true } as const;
}

/** The scope map every Mutation field needs unless exempted. */
export const MUTATES_CUSTOMER = { mutatesCustomer: true } as const;

/** The `mutatesCustomer` scope: satisfied by anything but an impersonation token. */
export function mutatesCustomer(ctx: { impersonation: unknown }): boolean {
  return ctx.impersonation === null;
}

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

/**
 * The refusal of a mutation under impersonation (FORBIDDEN, reason IMPERSONATION_READ_ONLY), or
 * null when the failure is not about `mutatesCustomer` or the caller is not impersonating.
 */
export function readOnlyRefusal(
  ctx: { impersonation: unknown },
  fieldName: string,
  failure: AuthFailure,
): GraphQLError | null {
  if (!ctx.impersonation || !failedScopes(failure).includes('mutatesCustomer')) return null;
  return appError(ErrorCode.Forbidden, `${fieldName} is not allowed while viewing as a customer`, {
    reason: ErrorReason.ImpersonationReadOnly,
  });
}

const pluginName = 'readOnlyFirst';
const ROOT_TYPES = new Set(['Query', 'Mutation']);

/** Evaluates root fields' scopes (and `mutatesCustomer`) before argument validation. */
export class ReadOnlyFirstPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (!ROOT_TYPES.has(fieldConfig.parentType as string)) return resolver;
    const options = fieldConfig.pothosOptions as { skipTypeScopes?: boolean; authScopes?: unknown };
    const scopeMaps: object[] = [];
    if (fieldConfig.parentType === 'Mutation' && !options.skipTypeScopes) scopeMaps.push(MUTATES_CUSTOMER);
    if (options.authScopes && typeof options.authScopes === 'object') scopeMaps.push(options.authScopes);
    if (scopeMaps.length === 0) return resolver;
    const scopeAuth = this.builder.options.scopeAuth!;
    return (parent, args, context, info) => {
      const cache = RequestCache.fromContext(context as object, this.builder as never);
      const check = (index: number): unknown => {
        if (index === scopeMaps.length) return resolver(parent, args, context, info);
        return completeValue(cache.evaluateScopeMap(scopeMaps[index] as never, info), (failure) => {
          if (failure)
            throw scopeAuth.unauthorizedError!(parent as object, context as never, info, {
              message: 'unauthorized',
              failure,
            });
          return check(index + 1);
        });
      };
      return check(0);
    };
  }
}

declare global {
  // Pothos registers plugins by augmenting its global namespace.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    /** Registers the plugin's type with Pothos. */
    export interface Plugins<Types extends SchemaTypes> {
      readOnlyFirst: ReadOnlyFirstPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, ReadOnlyFirstPlugin);

export default pluginName;
