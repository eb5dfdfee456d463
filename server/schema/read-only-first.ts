// Pothos runs argument mappers (the validation plugin) before any resolver wrapper, so a
// mutation's input errors would answer before its auth scopes. This plugin evaluates the
// Mutation type's `mutatesCustomer` scope, through scope-auth's own request cache and refusal,
// *before* argument mapping: under impersonation every guarded mutation is refused as read-only
// whatever its arguments. Fields exempted with `skipTypeScopes` are left alone, as in scope-auth.
import SchemaBuilder, { BasePlugin, completeValue, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { RequestCache } from '@pothos/plugin-scope-auth';
import type { GraphQLFieldResolver } from 'graphql';

const pluginName = 'readOnlyFirst';

export class ReadOnlyFirstPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const options = fieldConfig.pothosOptions as { skipTypeScopes?: boolean };
    if (fieldConfig.parentType !== 'Mutation' || options.skipTypeScopes) return resolver;
    const scopeAuth = this.builder.options.scopeAuth!;
    return (parent, args, context, info) => {
      const cache = RequestCache.fromContext(context as object, this.builder as never);
      const failure = cache.evaluateScopeMap({ mutatesCustomer: true } as never, info);
      return completeValue(failure, (result) => {
        if (!result) return resolver(parent, args, context, info);
        throw scopeAuth.unauthorizedError!(parent as object, context as never, info, { message: 'read-only', failure: result });
      });
    };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      readOnlyFirst: ReadOnlyFirstPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, ReadOnlyFirstPlugin);

export default pluginName;
