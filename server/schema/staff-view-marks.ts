// The marks of a staff view (banner, border, watermark) and `reportStaffViewTampering`: the staff
// view's client reports a mark it found hidden or removed, and the report lands in the audit.
// Allowed in a read-only staff view (exemptFromReadOnly) and rate-limited per session.
import { AuditAction, AuditOutcome } from '@prisma/client';
import { builder } from './builder.ts';
import { exemptFromReadOnly } from './read-only.ts';

/** The marks of a staff view the browser must keep on screen. */
const StaffViewMark = builder.enumType('StaffViewMark', { values: ['BANNER', 'BORDER', 'WATERMARK'] as const });

builder.mutationField('reportStaffViewTampering', (t) =>
  t.withAuth({ impersonating: true }).boolean({
    ...exemptFromReadOnly('reportStaffViewTampering'),
    description: 'The staff view’s client found a mark hidden or removed (and restored it): recorded in the audit.',
    args: {
      mark: t.arg({ type: StaffViewMark, required: true }),
      how: t.arg.string({ required: false }),
    },
    resolve: async (_root, { mark, how }, ctx) => {
      await ctx.rateLimits.staffViewReport(ctx.impersonation.id);
      ctx.auditTrace?.note({
        action: AuditAction.STAFF_VIEW_TAMPERED,
        outcome: AuditOutcome.DENIED,
        customerId: ctx.impersonation.customerId,
        reason: how ? `${mark}: ${how}` : mark,
      });
      return true;
    },
  }),
);
