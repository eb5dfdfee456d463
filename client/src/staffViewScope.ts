// A staff view's scope in words (SPEC 10): the portal sections as the portal names them, for the
// portal's own navigation (portal/PortalApp.tsx), the start dialog (admin/ScopeFields.tsx) and the
// staff banner (impersonation/StaffChrome.tsx).

import type { PortalSection } from './gql/graphql.ts';

/** A portal section a view may name: the schema's PortalSection without WHOLE_PORTAL (a new one needs a label). */
export type Section = Exclude<PortalSection, 'WHOLE_PORTAL'>;

/** The sections in the portal's order, named as the portal names them. */
export const SECTION_LABELS: Record<Section, string> = {
  APPOINTMENTS: 'Appointments',
  PETS: 'My Pets',
  REPORT_CARDS: 'Report Cards',
  BILLING: 'Billing',
  MESSAGES: 'Messages',
  SETTINGS: 'Settings',
};

export const SECTIONS = Object.keys(SECTION_LABELS) as Section[];

/** Sections are "Sections: Billing, Messages"; the whole portal is "Whole portal". */
export function scopeSummary(scope: readonly string[]): string {
  if (scope.includes('WHOLE_PORTAL')) return 'Whole portal';
  const names = SECTIONS.filter((s) => scope.includes(s)).map((s) => SECTION_LABELS[s]);
  return `Sections: ${names.join(', ')}`;
}

/** What "start a new view to see …" names: each section as a topic (SECTION_LABELS names pages). */
export const SECTION_TOPICS: Record<Section, string> = {
  APPOINTMENTS: 'Appointments',
  PETS: 'Pets',
  REPORT_CARDS: 'Report Cards',
  BILLING: 'Billing',
  MESSAGES: 'Messages',
  SETTINGS: 'Settings',
};

/**
 * The sections the portal shows: those of a scoped staff view, or null for everything (the
 * customer's own portal, a whole-portal view, or a view whose scope is not known yet).
 */
export type SectionsInView = readonly Section[] | null;

export function sectionsInView(scope: readonly string[] | null | undefined): SectionsInView {
  if (!scope || scope.length === 0 || scope.includes('WHOLE_PORTAL')) return null;
  return SECTIONS.filter((s) => scope.includes(s));
}

/** Whether the portal shows `section` (and so asks for it). */
export const showsSection = (sections: SectionsInView, section: Section): boolean =>
  sections === null || sections.includes(section);

/**
 * The page queries' section variables: a page declares those of the sections it reads beside its
 * own and puts `@include(if: $withBilling)` on them, so a scoped view asks for nothing outside its
 * scope with the same persisted documents (portal/pageQuery.tsx).
 */
export const SECTION_VARIABLES = {
  APPOINTMENTS: 'withAppointments',
  PETS: 'withPets',
  REPORT_CARDS: 'withReportCards',
  BILLING: 'withBilling',
  MESSAGES: 'withMessages',
  SETTINGS: 'withSettings',
} as const satisfies Record<Section, string>;

export type SectionVariable = (typeof SECTION_VARIABLES)[Section];

/** Every section variable, true where the portal shows the section. */
export function sectionVariables(sections: SectionsInView): Record<SectionVariable, boolean> {
  return Object.fromEntries(SECTIONS.map((s) => [SECTION_VARIABLES[s], showsSection(sections, s)])) as Record<
    SectionVariable,
    boolean
  >;
}

/** "Not part of this view: start a new view to see Pets" (staff only: the customer's portal shows every section). */
export function outsideViewText(sections: readonly Section[]): string {
  const topics = sections.map((s) => SECTION_TOPICS[s]);
  const list = topics.length > 1 ? `${topics.slice(0, -1).join(', ')} or ${topics.at(-1)}` : (topics[0] ?? '');
  return `Not part of this view: start a new view to see ${list}`;
}
