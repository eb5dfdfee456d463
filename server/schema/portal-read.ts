// Default-deny reads of portal data (SPEC 2): every portal type carries the `readsPortal` scope,
// which only the customer, or an impersonation of that customer, satisfies. Staff signed in as
// themselves reach customers through the directory type only. Every object type of the schema is
// either a portal type or listed in NOT_PORTAL_TYPES with a reviewed reason; a test fails otherwise.

/** Type options that make an object type portal data. */
export const portalType = { authScopes: { readsPortal: true } } as const;

/** The `readsPortal` scope: a customer's own context (signed in, or viewed under impersonation). */
export function readsPortal(ctx: { customer: unknown }): boolean {
  return ctx.customer !== null;
}

/** Object types that are not portal data, each with why anyone who can reach it may read it. */
export const NOT_PORTAL_TYPES = {
  Query: 'root: each field has its own scopes',
  Mutation: 'root: each field has its own scopes and mutatesCustomer',
  Subscription: 'root: each field has its own scopes',
  Service: 'the salon’s public service catalogue',
  Staff: 'staff names and roles; contact details need the staff scope',
  Viewer: 'who the token speaks for; its customer field is the portal type',
  AuthPayload: 'the caller’s own new token',
  CustomerDirectoryEntry: 'the staff directory: name, contact, status and pet names only (SPEC 2)',
  ImpersonationSession: 'a staff view, for managers and the staff member; its customer is a directory entry',
  ImpersonationStatus: 'the banner feed of the caller’s own staff view',
  ImpersonationPolicy: 'rules that clients mirror',
  StaffViewControls: 'the salon-wide switch and the caller’s own step-up state (staff only)',
  StartImpersonationPayload: 'the manager’s own new session token, or the request it became',
  AccessRequest: 'a start waiting for answers, for managers; its customer is a directory entry',
  GovernanceRequest: 'a weakening change waiting for a second manager, for managers; its customer is a directory entry',
  StaffViewStopped: 'the customer’s own Stop’s answer: a mutation payload, refused in a staff view (mutatesCustomer)',
  StaffViewTamperReport: 'the staff view’s own report of hidden marks: incidents counted, and whether it ended',
  StepUp: 'the manager’s own step-up times',
  StaffAccessHistoryFile: 'the customer’s own signed history: refused in a staff view (CUSTOMER_ONLY)',
  AuditEvent: 'managers only (field scope on auditEvents)',
  AuditEventConnection: 'managers only',
  AuditEventEdge: 'managers only',
  AuditChainVerification: 'managers only',
  AuditChainFinding: 'managers only',
  AuditSigningKey: 'the public key that verifies checkpoints',
  AuditListedSigningKey: 'managers only: every public key that has signed checkpoints (auditSigningKeys)',
  AuditLegalHold: 'managers only: the legal holds that keep audit records past retention (auditLegalHolds)',
  AccessReview: 'managers only: a periodic review of who may view customers (accessReviews)',
  AccessReviewItem: 'managers only: one manager in an access review, through AccessReview',
  AccessReviewFile: 'managers only: one access review as CSV (accessReviewCsv, privileged, recorded)',
  PageInfo: 'pagination',
  PageView: 'a page name and counts: of the caller’s own account (staffAccessLog), or for managers',
  PageRecordCount: 'a record type and a count, part of PageView',
  AuditSession: 'managers only (field scope on auditSessions and auditSession)',
  AuditSessionConnection: 'managers only',
  AuditSessionEdge: 'managers only',
  AuditTimelineConnection: 'managers only, through AuditSession',
  AuditTimelineEdge: 'managers only, through AuditSession',
  BreakGlassReview: 'managers only: the review of one break-glass use (breakGlassReviews, reviewBreakGlass)',
  StaffViewReveal: 'the staff view’s own reveal (revealStaffViewField): which field of which record, and why',
  TicketPolicy: 'staff only: whether starts need a ticket and how one looks (TICKET_*), no customer data',
  WebhookEndpoint: 'managers only: an alert webhook endpoint (name, address, state), never its secret',
  AddedWebhookEndpoint: 'managers only: a new endpoint and its signing secret, shown once to who added it',
  WebhookDelivery: 'managers only: one alert webhook delivery of the delivery log',
  WebhookDeliveryEdge: 'managers only: the delivery log’s paging, through WebhookDelivery',
  WebhookDeliveryConnection: 'managers only: the delivery log’s paging, through WebhookDelivery',
  Alert: 'managers only: an alert of the salon’s rules (alerts, alerts subscription)',
  AlertsOverview: 'managers only: the alerts list and its unacknowledged count',
  AlertRuleSetting: 'managers only: one alert rule’s settings (alertRules, updateAlertRule)',
  StaffAccessReport: 'managers only: the monthly staff-access report (staffAccessReport)',
  StaffAccessReportRow: 'managers only: one staff member’s month, through StaffAccessReport',
  StaffAccessReportCount: 'managers only: a label and a count, through StaffAccessReport',
} as const;
