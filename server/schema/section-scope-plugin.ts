// Default-deny by section (SPEC 10): in a staff view, a field of portal data resolves only if its
// section (portal-sections.ts) is in the view's scope. Every field's resolver (and every subscription's
// subscribe) is wrapped once at build time with its section; a field outside the scope answers null
// and FORBIDDEN (reason OUTSIDE_SCOPE) at its path, so the operation is PARTIAL and its audit record
// lists the path as refused, on every transport. Outside a staff view the check is one property read.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { PortalSection } from '@prisma/client';
import type { GraphQLFieldResolver } from 'graphql';
import { ErrorCode, ErrorReason, appError } from '../errors.ts';
import { allowsSection, isWholePortal } from '../impersonation/scope.ts';
import { SHOWN_TO_EVERY_VIEW, sectionOf, type FieldSection } from './portal-sections.ts';

const pluginName = 'sectionScope';

/** The staff view's scope of an operation's context, or null (not a staff view). */
type ScopedContext = { impersonation?: { scope: readonly PortalSection[] } | null };

/** The refusal of a field outside the view's scope; the staff member reads it. */
export function outsideScope(section: FieldSection | undefined) {
  const name = section ?? 'no section';
  return appError(ErrorCode.Forbidden, `Not part of this view (${name}): start a new view that names it`, {
    reason: ErrorReason.OutsideScope,
    section: section ?? null,
  });
}

/** Whether a staff view of `scope` reads a field of `section` (undeclared portal fields: whole portal only). */
export function scopeAllows(scope: readonly PortalSection[], section: FieldSection | undefined): boolean {
  if (section === SHOWN_TO_EVERY_VIEW) return true;
  if (section === undefined) return isWholePortal(scope);
  return allowsSection(scope, section);
}

/** Refuses, in a staff view, every portal field outside the view's scope. */
export class SectionScopePlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  /** The field's section; null when the field is not portal data (never checked). */
  private sectionOf(fieldConfig: PothosOutputFieldConfig<Types>): FieldSection | undefined | null {
    const typeOptions = this.buildCache.getTypeConfig(fieldConfig.parentType).pothosOptions as {
      authScopes?: { readsPortal?: boolean };
    };
    const portal = typeOptions.authScopes?.readsPortal === true;
    const section = sectionOf(fieldConfig.parentType, fieldConfig.name, portal);
    return section === undefined && !portal ? null : section;
  }

  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const section = this.sectionOf(fieldConfig);
    if (section === null || section === SHOWN_TO_EVERY_VIEW) return resolver;
    return (parent, args, context, info) => {
      const view = (context as ScopedContext).impersonation;
      if (view && !scopeAllows(view.scope, section)) throw outsideScope(section);
      return resolver(parent, args, context, info);
    };
  }

  override wrapSubscribe(
    subscribe: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    const section = this.sectionOf(fieldConfig);
    if (!subscribe || section === null || section === SHOWN_TO_EVERY_VIEW) return subscribe;
    return (parent, args, context, info) => {
      const view = (context as ScopedContext).impersonation;
      if (view && !scopeAllows(view.scope, section)) throw outsideScope(section);
      return subscribe(parent, args, context, info);
    };
  }
}

declare global {
  // Pothos registers plugins by augmenting its global namespace.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    /** Registers the plugin's type with Pothos. */
    export interface Plugins<Types extends SchemaTypes> {
      sectionScope: SectionScopePlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, SectionScopePlugin);

export default pluginName;
