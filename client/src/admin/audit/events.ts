// One audit event as the log lists it, and how it reads: the portal page a person recognises
// instead of an operation name, what happened to the attempt, and times in the reader's own zone
// (a record's reason may carry a UTC instant, such as an extension's new expiry).
import type { AuditAction, AuditLogQuery, AuditOutcome } from '../../gql/graphql.ts';
import { formatTimestamp, humanize } from '../../format.ts';

export type AuditEvent = AuditLogQuery['auditEvents']['edges'][number]['node'];

export const actionLabel = (action: AuditAction) => humanize(action);

/** "Viewed Home: 2 invoices, 3 appointments", "Refused: change on Appointments", "Session started". */
export function eventLabel(e: {
  action: AuditAction;
  outcome: AuditOutcome;
  page?: string | null;
  shown?: string | null;
  operationType?: string | null;
}): string {
  if (e.action !== 'OPERATION') return actionLabel(e.action);
  const page = e.page ?? 'the staff view';
  const where = e.shown && e.outcome !== 'DENIED' ? `${page}: ${e.shown}` : page;
  const change = e.operationType === 'mutation';
  if (e.outcome === 'DENIED') return change ? `Refused: change on ${where}` : `Refused: ${where}`;
  if (e.outcome === 'PARTIAL') return `Viewed ${where} (part refused)`;
  return change ? `Changed ${where}` : `Viewed ${where}`;
}

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;

/** The text with every UTC instant in it written in local time. */
export const localizeTimes = (text: string) => text.replace(ISO_INSTANT, (iso) => formatTimestamp(iso));
