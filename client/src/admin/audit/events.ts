// One audit event as the log lists it, and how its action reads, shared by the filter menu and the
// table rows so both name an action the same way.
import type { AuditAction, AuditLogQuery } from '../../gql/graphql.ts';
import { humanize } from '../../format.ts';

export type AuditEvent = AuditLogQuery['auditEvents']['edges'][number]['node'];

export const actionLabel = (action: AuditAction) => humanize(action);
