// Which portal section each portal field belongs to (SPEC 10), declared once: per portal type
// (portal-read.ts), with the fields that differ from their type's section, and the fields of other
// types that lead into portal data. A staff view reads a field only if its section is in the view's
// scope (impersonation/scope.ts; enforced by section-scope-plugin.ts); SHOWN_TO_EVERY_VIEW fields
// are what the staff directory already shows any staff member (SPEC 2). A test fails when a field
// of a portal type, or a field leading into one, belongs to no section. Why these sections: docs/SECURITY.md.
import { PortalSection } from '@prisma/client';

/** A field's section: a portal section, or shown to every view (what the directory already shows). */
export type FieldSection = Exclude<PortalSection, 'WHOLE_PORTAL'> | typeof SHOWN_TO_EVERY_VIEW;

/** The mark of a field every staff view reads whatever its scope. */
export const SHOWN_TO_EVERY_VIEW = 'EVERY_VIEW' as const;

const { APPOINTMENTS, PETS, REPORT_CARDS, BILLING, MESSAGES, SETTINGS } = PortalSection;

/** The section of every field of a portal type, by GraphQL type name (Customer: field by field). */
export const TYPE_SECTIONS: Record<string, FieldSection> = {
  Pet: PETS,
  Vaccination: PETS,
  Appointment: APPOINTMENTS,
  ReportCard: REPORT_CARDS,
  Invoice: BILLING,
  PaymentMethod: BILLING,
  Message: MESSAGES,
  NotificationPreference: SETTINGS,
  NotificationSwitch: SETTINGS,
  StaffAccess: SETTINGS,
  StaffPresence: SETTINGS,
  AccessGrant: SETTINGS,
  CustomerAccessRequest: SETTINGS,
  StaffViewBlock: SETTINGS,
  SafeguardChange: SETTINGS,
};

/**
 * Fields whose section is not their type's, by schema coordinate: the customer's own fields, the
 * names every view shows, and the fields of non-portal types (roots, the viewer) that lead into
 * portal data.
 */
export const FIELD_SECTIONS: Record<string, FieldSection> = {
  'Query.me': SHOWN_TO_EVERY_VIEW,
  'Viewer.customer': SHOWN_TO_EVERY_VIEW,
  'Query.reportCards': REPORT_CARDS,
  'Query.staffPresence': SETTINGS,
  'Subscription.staffPresence': SETTINGS,
  'Subscription.myStaffAccess': SETTINGS,
  // What the staff directory shows every staff member: the customer's name, contact, status, pet names.
  'Customer.id': SHOWN_TO_EVERY_VIEW,
  'Customer.name': SHOWN_TO_EVERY_VIEW,
  'Customer.email': SHOWN_TO_EVERY_VIEW,
  'Customer.phone': SHOWN_TO_EVERY_VIEW,
  'Customer.status': SHOWN_TO_EVERY_VIEW,
  'Pet.id': SHOWN_TO_EVERY_VIEW,
  'Pet.name': SHOWN_TO_EVERY_VIEW,
  'Customer.address': SETTINGS,
  'Customer.staffViewMasked': SETTINGS,
  'Customer.timeZone': SETTINGS,
  'Customer.createdAt': SETTINGS,
  'Customer.pets': PETS,
  'Customer.appointments': APPOINTMENTS,
  'Customer.invoices': BILLING,
  'Customer.paymentMethods': BILLING,
  'Customer.messages': MESSAGES,
  'Customer.notificationPreferences': SETTINGS,
  'Customer.notificationSwitches': SETTINGS,
  'Customer.staffAccess': SETTINGS,
  'Customer.staffAccessLog': SETTINGS,
  'Customer.accessGrants': SETTINGS,
  'Customer.accessRequests': SETTINGS,
  'Customer.staffViewBlocks': SETTINGS,
  'Customer.safeguardChanges': SETTINGS,
};

/** The section of a field (undefined: not portal data, or declared nowhere: the test's finding). */
export function sectionOf(typeName: string, fieldName: string, portal: boolean): FieldSection | undefined {
  return FIELD_SECTIONS[`${typeName}.${fieldName}`] ?? (portal ? TYPE_SECTIONS[typeName] : undefined);
}
