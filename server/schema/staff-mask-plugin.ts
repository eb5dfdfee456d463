// Masked until revealed (SPEC 10): in a staff view, a field declared `sensitiveForStaff`
// (staff-masks.ts) answers its masked value unless the view revealed that field of that record.
// Every such field's resolver is wrapped once at build time, so HTTP, graphql-ws and subscription
// events mask alike. The view's reveals are taken once per operation (per event for a subscription),
// and only when a masked field has content, from the process's cache of them (reveals.ts). Outside a
// staff view the check is one property read.
import SchemaBuilder, { BasePlugin, completeValue, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { PrismaClient } from '@prisma/client';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import { cachedReveals, revealKey, settledReveals } from '../impersonation/reveals.ts';
import { hasContent, maskValue, type SensitiveForStaff } from './staff-masks.ts';

const pluginName = 'staffMask';

/** What the plugin reads of the context: the view, and the database to read its reveals from. */
type MaskContext = { impersonation?: { id: string } | null; prisma: Pick<PrismaClient, 'staffViewReveal'> };

/** Reveals read per context, for one root value (an operation, or one event of a subscription). */
const revealsRead = new WeakMap<object, { root: unknown; reveals: Promise<Set<string>> }>();

/** The view's reveals as this operation (or subscription event) sees them. */
export function revealsSeen(context: MaskContext, sessionId: string, info: GraphQLResolveInfo): Promise<Set<string>> {
  const read = revealsRead.get(context);
  if (read && read.root === info.rootValue) return read.reveals;
  const reveals = cachedReveals(context.prisma, sessionId);
  revealsRead.set(context, { root: info.rootValue, reveals });
  return reveals;
}

/** Masks, in a staff view, every field declared sensitive for staff that the view has not revealed. */
export class StaffMaskPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const mask = (fieldConfig.extensions as { sensitiveForStaff?: SensitiveForStaff } | undefined)?.sensitiveForStaff;
    if (!mask) return resolver;
    return (parent, args, context, info) => {
      const view = (context as MaskContext).impersonation;
      if (!view) return resolver(parent, args, context, info);
      return completeValue(resolver(parent, args, context, info), (value) => {
        if (!hasContent(value)) return value;
        const recordId = (parent as { id?: unknown }).id;
        const decide = (reveals: Set<string>) =>
          typeof recordId === 'string' && reveals.has(revealKey(mask.field, recordId))
            ? value
            : maskValue(mask.kind, value);
        const read = revealsSeen(context as MaskContext, view.id, info);
        // Once the view's reveals have arrived, the field is decided at once (no promise per field).
        const reveals = settledReveals(read);
        return reveals ? decide(reveals) : read.then(decide);
      });
    };
  }
}

declare global {
  // Pothos registers plugins by augmenting its global namespace.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    /** Registers the plugin's type with Pothos. */
    export interface Plugins<Types extends SchemaTypes> {
      staffMask: StaffMaskPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, StaffMaskPlugin);

export default pluginName;
