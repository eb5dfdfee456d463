// What a staff view may read (SPEC 10): the portal sections its question needs, or the whole portal
// with a stated need. Pure rules of a scope: how a start's scope is checked, whether a section is in
// it, and what narrowing may do. Which portal field belongs to which section is declared in
// schema/portal-sections.ts; the schema refuses the rest (schema/section-scope-plugin.ts).
import { PortalSection } from '@prisma/client';
import { badInput } from '../errors.ts';
import { startReason } from './policy.ts';

/** A stored scope: sections, or WHOLE_PORTAL alone (with its need on the session). */
export type Scope = readonly PortalSection[];

/** The sections a scope may name, in the portal's order (WHOLE_PORTAL aside). */
export const SECTIONS = [
  PortalSection.APPOINTMENTS,
  PortalSection.PETS,
  PortalSection.REPORT_CARDS,
  PortalSection.BILLING,
  PortalSection.MESSAGES,
  PortalSection.SETTINGS,
] as const;

/** A start's scope as it arrives: sections (or WHOLE_PORTAL) and, for the whole portal, the need. */
export interface ScopeInput {
  sections: readonly PortalSection[];
  need?: string | null;
}

/** A checked scope: sections in the portal's order, without repeats; the need trimmed (whole portal only). */
export interface CheckedScope {
  scope: PortalSection[];
  need: string | null;
}

/** Refinements of BAD_USER_INPUT for a scope (extensions.reason). */
export enum ScopeRefusal {
  /** The start names no scope: every start names its sections, or WHOLE_PORTAL with a need. */
  Required = 'SCOPE_REQUIRED',
  /** WHOLE_PORTAL named with sections, or no section at all. */
  Invalid = 'SCOPE_INVALID',
  /** WHOLE_PORTAL without a valid need, or a need given for named sections. */
  NeedRequired = 'SCOPE_NEED_REQUIRED',
  /** A narrowing that names a section outside the view's scope, or all of it. */
  NotNarrower = 'SCOPE_NOT_NARROWER',
}

/** Whether the scope is the whole portal. */
export const isWholePortal = (scope: Scope): boolean => scope.includes(PortalSection.WHOLE_PORTAL);

/** Whether a view of `scope` may read `section`. */
export function allowsSection(scope: Scope, section: PortalSection): boolean {
  return isWholePortal(scope) || scope.includes(section);
}

/** Checks a start's scope: sections alone, or WHOLE_PORTAL alone with a need held to the reason's rules. */
export function checkScope(input: ScopeInput | null | undefined): CheckedScope {
  if (!input) {
    throw badInput('scope: name the portal sections this view needs, or WHOLE_PORTAL with a need', {
      reason: ScopeRefusal.Required,
    });
  }
  const named = new Set(input.sections);
  const need = input.need?.trim() ? input.need : null;
  if (named.has(PortalSection.WHOLE_PORTAL)) {
    if (named.size > 1) throw badInput('scope: WHOLE_PORTAL stands alone', { reason: ScopeRefusal.Invalid });
    const parsed = startReason.safeParse(need ?? '');
    if (!parsed.success) {
      throw badInput(`scope.need: the whole portal needs a stated need (${parsed.error.issues[0]?.message})`, {
        reason: ScopeRefusal.NeedRequired,
      });
    }
    return { scope: [PortalSection.WHOLE_PORTAL], need: parsed.data };
  }
  if (named.size === 0) throw badInput('scope: name at least one section', { reason: ScopeRefusal.Invalid });
  if (need !== null) {
    throw badInput('scope.need: a need is stated for WHOLE_PORTAL only', { reason: ScopeRefusal.NeedRequired });
  }
  return { scope: SECTIONS.filter((section) => named.has(section)), need: null };
}

/** Whether `inner` is within `outer` (an approval for `outer` lets a start of `inner` through). */
export function isWithin(inner: Scope, outer: Scope): boolean {
  return isWholePortal(outer) || (!isWholePortal(inner) && inner.every((section) => outer.includes(section)));
}

/**
 * The scope after narrowing `current` to `sections`: a non-empty subset of it, strictly smaller.
 * Narrowing a whole-portal view names its sections. Widening is never a narrowing: it is a new start.
 */
export function narrowedScope(current: Scope, sections: readonly PortalSection[]): PortalSection[] {
  const next = SECTIONS.filter((section) => sections.includes(section));
  const within = next.length > 0 && !sections.includes(PortalSection.WHOLE_PORTAL) && isWithin(next, current);
  const smaller = isWholePortal(current) || next.length < current.length;
  if (!within || !smaller) {
    throw badInput(
      'sections: a narrowing keeps some, but not all, of the view’s sections; a wider view is a new start',
      {
        reason: ScopeRefusal.NotNarrower,
      },
    );
  }
  return next;
}

/** Whether a stored scope and need are this very scope (a pending request of the same start). */
export function sameScope(stored: { scope: Scope; scopeNeed: string | null }, checked: CheckedScope): boolean {
  return stored.scope.join() === checked.scope.join() && stored.scopeNeed === checked.need;
}
