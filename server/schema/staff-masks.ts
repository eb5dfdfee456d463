// Masked until revealed (SPEC 10): which portal fields are sensitive for staff, declared once on the
// field (`...sensitiveForStaff(field)`, like `sensitive` for the audit), and what each maskable field
// is in the customer's words. In a staff view such a field answers its masked value, of the same
// GraphQL type, until the view reveals that field of that record (impersonation/reveals.ts); the
// customer's own portal is unchanged. Every String field of a portal type is either declared here or
// reviewed in NOT_MASKED_FOR_STAFF; a test fails otherwise. Why these fields: docs/SECURITY.md.
import { PortalSection, type StaffViewMaskedField } from '@prisma/client';

/** What a masked text shows: the value is there, staff see that it is hidden. */
export const MASKED_TEXT = 'hidden';
/** What a masked number shows; the record's `staffViewMasked` tells the client it is masked. */
export const MASKED_NUMBER = 0;

/** How a field's value is masked: same GraphQL type, no content. */
export enum MaskKind {
  /** A free text: "hidden". */
  Text = 'TEXT',
  /** A list of texts: one "hidden" (the list's length is not shown either). */
  TextList = 'TEXT_LIST',
  /** Card digits, alone or in a label ("Visa •••• 4242"): every digit becomes a dot. */
  Digits = 'DIGITS',
  /** A number (card expiry month or year): 0. */
  Number = 'NUMBER',
}

/** One maskable field: the record type it belongs to, its section, and its name for the customer. */
export interface StaffMask {
  /** The GraphQL (and Prisma) type of the record a reveal names. */
  type: 'Pet' | 'PaymentMethod' | 'Invoice' | 'Message' | 'Customer';
  /** The section a view must have to reveal it (the field's own section, portal-sections.ts). */
  section: Exclude<PortalSection, 'WHOLE_PORTAL'>;
  /** What was revealed, in the customer's words, with `{name}` for the record's name. */
  words: string;
}

/** Every maskable field, by the enum value a reveal names. */
export const STAFF_MASKS: Record<StaffViewMaskedField, StaffMask> = {
  PET_HEALTH_ALERTS: { type: 'Pet', section: PortalSection.PETS, words: 'the health alerts of {name}' },
  PET_GROOMING_NOTES: { type: 'Pet', section: PortalSection.PETS, words: 'the grooming notes of {name}' },
  CARD_LAST4: { type: 'PaymentMethod', section: PortalSection.BILLING, words: 'the last four digits of your {name}' },
  CARD_EXPIRY: { type: 'PaymentMethod', section: PortalSection.BILLING, words: 'the expiry date of your {name}' },
  INVOICE_PAID_WITH: { type: 'Invoice', section: PortalSection.BILLING, words: 'the card that paid invoice {name}' },
  MESSAGE_BODY: { type: 'Message', section: PortalSection.MESSAGES, words: 'a message of your conversation ({name})' },
  CUSTOMER_ADDRESS: { type: 'Customer', section: PortalSection.SETTINGS, words: 'your address' },
};

/** What a field declared sensitive for staff carries in its extensions. */
export interface SensitiveForStaff {
  field: StaffViewMaskedField;
  kind: MaskKind;
}

/** Field options that declare an output field sensitive for staff: masked in a staff view until revealed. */
export function sensitiveForStaff(field: StaffViewMaskedField, kind: MaskKind) {
  return { extensions: { sensitiveForStaff: { field, kind } satisfies SensitiveForStaff } } as const;
}

/** Whether a value has content to hide (null and empty lists are shown as they are). */
export function hasContent(value: unknown): boolean {
  return value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0);
}

/** The masked form of a value with content. */
export function maskValue(kind: MaskKind, value: unknown): unknown {
  switch (kind) {
    case MaskKind.Text:
      return MASKED_TEXT;
    case MaskKind.TextList:
      return [MASKED_TEXT];
    case MaskKind.Digits:
      return String(value).replace(/\d/g, '•');
    case MaskKind.Number:
      return MASKED_NUMBER;
  }
}

/** The maskable fields of a record type (what its `staffViewMasked` field can list). */
export function masksOfType(type: StaffMask['type']): StaffViewMaskedField[] {
  return (Object.keys(STAFF_MASKS) as StaffViewMaskedField[]).filter((field) => STAFF_MASKS[field].type === type);
}

/**
 * String fields of portal types that stay unmasked in a staff view, by schema coordinate, each with
 * why the question a view answers needs it, or why it is no secret from staff.
 */
export const NOT_MASKED_FOR_STAFF: Record<string, string> = {
  // What the staff directory already shows every staff member (SPEC 2): masking it in a view hides nothing.
  'Customer.name': 'in the staff directory',
  'Customer.email': 'in the staff directory',
  'Customer.phone': 'in the staff directory (the salon calls her back on it)',
  'Pet.name': 'in the staff directory; names the pet every question is about',
  'Customer.timeZone': 'an IANA zone name: when her notices are written, no personal detail',
  'Pet.species': 'what kind of animal: booking and pricing questions need it',
  'Pet.breed': 'booking and pricing questions need it',
  'Pet.coatType': 'booking and pricing questions need it',
  'Pet.cutStyle': 'the service asked for: what an appointment question is about',
  'Vaccination.name': 'whether a visit may go ahead: the salon checks vaccinations itself',
  'ReportCard.mood': 'the salon’s own words about the visit, written by its groomer',
  'ReportCard.conditionNotes': 'the salon’s own groomer’s notes about the visit, what a report-card question is about',
  'Appointment.customerNotes': 'her note to the groomer for one visit: what an appointment question is about',
  'PaymentMethod.brand': 'the brand alone names no card (PCI DSS shows more: the last four)',
  'Invoice.number': 'the salon’s own invoice number: what a billing question names',
  'Message.staffName': 'which staff member wrote: the salon’s own staff',
  'CustomerAccessRequest.staffName': 'staff names and the staff member’s own reason: written for her',
  'CustomerAccessRequest.reason': 'staff names and the staff member’s own reason: written for her',
  'StaffAccess.staffName': 'her access log: about staff views, written for her',
  'StaffAccess.reason': 'her access log: about staff views, written for her',
  'StaffAccess.endReason': 'her access log: about staff views, written for her',
  'StaffAccess.emergency': 'her access log: whether the view was an emergency, written for her',
  'StaffAccess.summary': 'her access log: about staff views, written for her (reveals name the field, never its value)',
  'StaffPresence.staffName': 'who is viewing: about the view itself',
  'StaffPresence.salonName': 'the salon’s name',
  'StaffPresence.reason': 'why the view: about the view itself',
  'StaffViewBlock.staffName': 'whom she stopped: about staff views',
  'SafeguardChange.text': 'a change to her safeguards, in the salon’s words',
  // Inputs the audit declares sensitive (sensitive.ts): never stored as given, never an output.
  'AddPaymentMethodInput.cardNumber': 'never stored nor shown; what is kept of it (last4) is CARD_LAST4',
  'Mutation.changePassword(currentPassword:)': 'a password: stored as a hash, never an output',
  'Mutation.changePassword(newPassword:)': 'a password: stored as a hash, never an output',
  'Mutation.signIn(password:)': 'a password: stored as a hash, never an output',
  'Mutation.startImpersonation(password:)': 'a manager’s password (step-up): never an output',
  'Mutation.stepUp(password:)': 'a manager’s password: never an output',
  'Mutation.addWebhookEndpoint(url:)': 'a manager’s webhook endpoint: no portal data, never in a staff view',
};
