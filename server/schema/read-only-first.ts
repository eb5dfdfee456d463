// Pothos runs argument mappers (the validation plugin) before any resolver wrapper, so a root
// field's input errors would answer before its auth scopes: an anonymous caller would learn the
// validation rules, and under impersonation a mutation with a bad argument would say
// BAD_USER_INPUT instead of the read-only refusal. This plugin evaluates, *before* argument
// mapping and through scope-auth's own request cache and refusal, the Mutation type's
// `mutatesCustomer` scope (unless the field is exempted with `skipTypeScopes`) and then the root
// field's own scope map. scope-auth still runs its checks afterwards, from the same cache.
import SchemaBuilder, { BasePlugin, completeValue, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { RequestCache } from '@pothos/plugin-scope-auth';
import type { GraphQLFieldResolver } from 'graphql';

const pluginName = 'readOnlyFirst';
const ROOT_TYPES = new Set(['Query', 'Mutation']);

export class ReadOnlyFirstPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (!ROOT_TYPES.has(fieldConfig.parentType as string)) return resolver;
    const options = fieldConfig.pothosOptions as { skipTypeScopes?: boolean; authScopes?: unknown };
    const scopeMaps: object[] = [];
    if (fieldConfig.parentType === 'Mutation' && !options.skipTypeScopes) scopeMaps.push({ mutatesCustomer: true });
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
    export interface Plugins<Types extends SchemaTypes> {
      readOnlyFirst: ReadOnlyFirstPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, ReadOnlyFirstPlugin);

export default pluginName;
