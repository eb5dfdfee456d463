// "Download my staff-access history" (SPEC 11, GDPR Art. 15): the customer's own history of staff
// views as a signed file (audit/customer-history.ts builds it, customer-history-file.ts signs it
// with the audit signing key). Only the signed-in customer herself may download it: a staff view
// asking is refused (FORBIDDEN, reason CUSTOMER_ONLY) and, like every staff view's attempt,
// recorded by the audit plugin. Each download is itself recorded (AUDIT_EXPORTED: her id, the views
// it covers) before the file is sent; if that record cannot be written, nothing is sent.
import { AuditAction, AuditOutcome } from '@prisma/client';
import { auditRequestContext, appendAudit } from '../audit/chain.ts';
import { customerHistory, HISTORY_MAX_VIEWS, UnknownHistoryCursor } from '../audit/customer-history.ts';
import { signedHistoryFile } from '../audit/customer-history-file.ts';
import { auditUnavailable } from '../audit/outcome.ts';
import { badInput, ErrorReason, forbidden } from '../errors.ts';
import { builder } from './builder.ts';

/** The `operationType` of a download's record: a customer's own history, not a manager's export. */
export const HISTORY_DOWNLOAD = 'customer-history';

interface HistoryDownload {
  fileName: string;
  content: string;
  views: number;
  complete: boolean;
  nextOlderThan: string | null;
  keyFingerprint: string;
}

// Not a portal type: only the customer's own sign-in reaches it (NOT_PORTAL_TYPES).
const StaffAccessHistoryFile = builder.objectRef<HistoryDownload>('StaffAccessHistoryFile').implement({
  description: 'Your staff-access history as a file signed by the salon, to keep or to show to someone else.',
  fields: (t) => ({
    fileName: t.exposeString('fileName'),
    content: t.exposeString('content', {
      description: 'The file, byte for byte as signed (JSON; line 2 is the history, line 3 the signature).',
    }),
    views: t.exposeInt('views', { description: 'How many staff views the file covers.' }),
    complete: t.exposeBoolean('complete', { description: 'Whether the file covers every view in its range.' }),
    nextOlderThan: t.exposeID('nextOlderThan', {
      nullable: true,
      description: 'When not complete: ask again with this as `olderThan` for the older views.',
    }),
    keyFingerprint: t.exposeString('keyFingerprint', {
      description: 'The fingerprint of the salon key that signed it (SHA256:…).',
    }),
  }),
});

builder.queryField('myStaffAccessHistory', (t) =>
  t.withAuth({ customer: true }).field({
    type: StaffAccessHistoryFile,
    description:
      `Your staff-access history, newest first, at most ${HISTORY_MAX_VIEWS} views per file, signed by the ` +
      'salon. Only you may download it, never a staff view of your account.',
    args: {
      olderThan: t.arg.id({ required: false, description: 'A view of yours: the file covers the views before it.' }),
    },
    resolve: async (_root, { olderThan }, ctx) => {
      if (ctx.impersonation)
        throw forbidden('Only the customer may download her staff-access history', {
          reason: ErrorReason.CustomerOnly,
        });
      const now = ctx.clock.now();
      const built = await customerHistory({
        prisma: ctx.prisma,
        now,
        salonName: ctx.config.SALON_NAME,
        salonTimeZone: ctx.config.SALON_TIME_ZONE,
        customerId: ctx.customer.id,
        olderThan: olderThan === null || olderThan === undefined ? null : String(olderThan),
      }).catch((error: unknown) => {
        if (error instanceof UnknownHistoryCursor) throw badInput('olderThan: not a staff view of your account');
        throw error;
      });
      const recorded = await appendAudit(ctx.prisma, {
        action: AuditAction.AUDIT_EXPORTED,
        outcome: AuditOutcome.ALLOWED,
        createdAt: now,
        customerId: ctx.customer.id,
        operationType: HISTORY_DOWNLOAD,
        rootFields: ['myStaffAccessHistory'],
        variables: { views: built.views, complete: built.complete, olderThan: built.history.coverage.olderThan },
        ...auditRequestContext(ctx),
      }).catch(() => null);
      if (recorded === null) throw auditUnavailable().errors![0]!;
      const key = ctx.auditSigning.key;
      return {
        fileName: `staff-access-history-${now.toISOString().slice(0, 10)}.json`,
        content: signedHistoryFile(built.history, key),
        views: built.views,
        complete: built.complete,
        nextOlderThan: built.history.coverage.nextOlderThan,
        keyFingerprint: key.fingerprint,
      };
    },
  }),
);
