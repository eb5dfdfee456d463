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
