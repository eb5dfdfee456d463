// The schema: every domain file registers its types and fields on the builder.
import { NOT_SENSITIVE_EXTENSION } from '../audit/redact.ts';
import { builder } from './builder.ts';
import { NOT_SENSITIVE } from './sensitive.ts';
import './enums.ts';
import './auth.ts';
import './customers.ts';
import './notification-preferences.ts';
import './pets.ts';
import './staff.ts';
import './services.ts';
import './report-cards.ts';
import './appointments.ts';
import './appointment-booking.ts';
import './billing.ts';
import './messages.ts';
import './impersonation.ts';
import './impersonation-start.ts';
import './impersonation-scope.ts';
import './staff-view-reveals.ts';
import './impersonation-ticket.ts';
import './impersonation-status.ts';
import './impersonation-policy.ts';
import './staff-access-log.ts';
import './staff-access-history.ts';
import './staff-view-marks.ts';
import './staff-presence.ts';
import './staff-view-blocks.ts';
import './staff-view-controls.ts';
import './step-up.ts';
import './access-requests.ts';
import './governance.ts';
import './safeguard-changes.ts';
import './audit.ts';
import './audit-legal-holds.ts';
import './audit-keys.ts';
import './webhooks.ts';
import './audit-sessions.ts';
import './staff-access-report.ts';
import './access-reviews.ts';
import './break-glass.ts';
import './alerts.ts';
// After the domain files: it reads their limits, and importing it first would reorder the schema.
import { stringLimits } from './string-limits.ts';

/** The executable schema. */
export const schema = builder.toSchema({
  sortSchema: false,
  // The longest value of every text argument and input field (string-limits-plugin.ts).
  stringLimits,
  // The review of every text argument and input field, for the audit's redaction (audit/redact.ts).
  extensions: { [NOT_SENSITIVE_EXTENSION]: NOT_SENSITIVE },
});
