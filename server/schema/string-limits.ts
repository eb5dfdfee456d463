// How long each text argument and input field may be (issue "Bounded input everywhere"): one entry
// per schema coordinate, every ID at most ID_MAX_LENGTH. string-limits-plugin.ts enforces them and
// shows each as `extensions.maxLength`; a test fails when a String argument or input field has none.
import { REASON_MAX } from '../impersonation/policy.ts';
import { TICKET_MAX_LENGTH } from '../impersonation/ticket.ts';
import { TIME_ZONE_MAX } from '../notifications/customer-texts.ts';
import { NOTES_MAX_LENGTH } from './appointments.ts';
import type { StringLimitOptions } from './string-limits-plugin.ts';
import { WEBHOOK_NAME_MAX, WEBHOOK_URL_MAX } from '../webhooks/endpoints.ts';

/** The longest ID: ids are cuids (25 characters) or numbers; anything longer is not one of ours. */
export const ID_MAX_LENGTH = 100;
/** The longest page cursor: an opaque token the server handed out (about 130 at most), with room. */
export const CURSOR_MAX_LENGTH = 256;
/** The longest directory search: part of a name, an email or a phone number. */
export const SEARCH_MAX_LENGTH = 100;
/** The longest email address (RFC 5321's path limit). */
export const EMAIL_MAX_LENGTH = 254;
/** The longest password: enough for any passphrase, short enough to bound each scrypt check. */
export const PASSWORD_MAX_LENGTH = 200;
/** The longest message a customer sends to the salon. */
export const MESSAGE_MAX_LENGTH = 2000;

/** The pet fields, the same when adding and updating (pets.ts); `healthAlerts` bounds each alert. */
const PET_TEXT = {
  name: 60,
  species: 40,
  breed: 80,
  coatType: 60,
  groomingNotes: 1000,
  cutStyle: 200,
  healthAlerts: 200,
};

function petLimits(input: 'AddPetInput' | 'UpdatePetInput'): Record<string, number> {
  return Object.fromEntries(Object.entries(PET_TEXT).map(([field, max]) => [`${input}.${field}`, max]));
}

/** The longest value of each String argument and input field, by schema coordinate. */
export const STRING_LIMITS: Readonly<Record<string, number>> = {
  'Query.customers(search:)': SEARCH_MAX_LENGTH,
  'Query.auditEvents(before:)': CURSOR_MAX_LENGTH,
  'Query.auditEvents(after:)': CURSOR_MAX_LENGTH,
  'Query.auditSessions(before:)': CURSOR_MAX_LENGTH,
  'Query.auditSessions(after:)': CURSOR_MAX_LENGTH,
  'AuditSession.timeline(before:)': CURSOR_MAX_LENGTH,
  'AuditSession.timeline(after:)': CURSOR_MAX_LENGTH,
  'Mutation.signIn(email:)': EMAIL_MAX_LENGTH,
  'Mutation.signIn(password:)': PASSWORD_MAX_LENGTH,
  'Mutation.changePassword(currentPassword:)': PASSWORD_MAX_LENGTH,
  'Mutation.changePassword(newPassword:)': PASSWORD_MAX_LENGTH,
  'Mutation.startImpersonation(password:)': PASSWORD_MAX_LENGTH,
  'Mutation.stepUp(password:)': PASSWORD_MAX_LENGTH,
  'Mutation.startImpersonation(reason:)': REASON_MAX,
  'StaffViewScopeInput.need': REASON_MAX,
  'EmergencyAccessInput.reason': REASON_MAX,
  'Mutation.reviewBreakGlass(note:)': REASON_MAX,
  'Mutation.startImpersonation(ticket:)': TICKET_MAX_LENGTH,
  'AuditSessionFilter.ticket': TICKET_MAX_LENGTH,
  'AuditEventFilter.ticket': TICKET_MAX_LENGTH,
  'Mutation.terminateImpersonation(reason:)': REASON_MAX,
  'Mutation.terminateImpersonation(customerMessage:)': REASON_MAX,
  'Mutation.disableStaffViews(reason:)': REASON_MAX,
  'Mutation.placeAuditLegalHold(reason:)': REASON_MAX,
  'Mutation.releaseAuditLegalHold(reason:)': REASON_MAX,
  'Query.webhookDeliveries(before:)': CURSOR_MAX_LENGTH,
  'Query.webhookDeliveries(after:)': CURSOR_MAX_LENGTH,
  'Mutation.addWebhookEndpoint(name:)': WEBHOOK_NAME_MAX,
  'Mutation.addWebhookEndpoint(url:)': WEBHOOK_URL_MAX,
  'GovernanceChangeInput.reason': REASON_MAX,
  'Mutation.declineGovernanceChange(note:)': REASON_MAX,
  'Mutation.confirmAccessReviewItem(note:)': REASON_MAX,
  'Mutation.removeAccessReviewItem(note:)': REASON_MAX,
  'Mutation.stopStaffView(message:)': REASON_MAX,
  'Mutation.acknowledgeAlert(note:)': REASON_MAX,
  // HH:MM (alerts/manage.ts checks the form).
  'Mutation.updateAlertRule(businessHoursStart:)': 5,
  'Mutation.updateAlertRule(businessHoursEnd:)': 5,
  'Mutation.revealStaffViewField(reason:)': REASON_MAX,
  'Mutation.sendMessage(body:)': MESSAGE_MAX_LENGTH,
  'Mutation.updateAppointmentNotes(notes:)': NOTES_MAX_LENGTH,
  'BookAppointmentInput.customerNotes': NOTES_MAX_LENGTH,
  // 19 digits with a space or dash between any two; the digits themselves are checked in billing.ts.
  'AddPaymentMethodInput.cardNumber': 40,
  'UpdateProfileInput.name': 100,
  'UpdateProfileInput.phone': 30,
  'UpdateProfileInput.address': 300,
  'UpdateProfileInput.timeZone': TIME_ZONE_MAX,
  ...petLimits('AddPetInput'),
  ...petLimits('UpdatePetInput'),
};

/** What the schema is built with (index.ts): the limits above and the one for every ID. */
export const stringLimits: StringLimitOptions = { id: ID_MAX_LENGTH, coordinates: STRING_LIMITS };
