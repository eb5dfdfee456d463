// Feeds each operation's AuditTrace (audit/trace.ts) as fields resolve: every field's resolver is
// wrapped to report its path and, on portal types (portal-read.ts), the record it reads from. The
// check is one property read when the operation is not a staff view.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import type { AuditTrace } from '../audit/trace.ts';

const pluginName = 'auditTrace';

/** Reports every resolved field to the operation's audit trace. */
export class AuditTracePlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const typeOptions = this.buildCache.getTypeConfig(fieldConfig.parentType).pothosOptions as {
      authScopes?: { readsPortal?: boolean };
    };
    const portal = typeOptions.authScopes?.readsPortal === true;
    return (parent, args, context, info) => {
      (context as { auditTrace?: AuditTrace | null }).auditTrace?.fieldResolved(
        info,
        portal ? (parent as { id?: unknown }) : null,
      );
      return resolver(parent, args, context, info);
    };
  }
}

declare global {
  // Pothos registers plugins by augmenting its global namespace.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    /** Registers the plugin's type with Pothos. */
    export interface Plugins<Types extends SchemaTypes> {
      auditTrace: AuditTracePlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, AuditTracePlugin);

export default pluginName;
