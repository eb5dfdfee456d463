// The marks of a staff view (banner, border, watermark) and `reportStaffViewTampering`: the staff
// view's client reports the start of each incident in which it found a mark hidden, removed, moved
// or covered; access/tampering.ts records it once, counts it and ends the view at the limit.
// Allowed in a read-only staff view (exemptFromReadOnly) and rate-limited per session.
import { STAFF_VIEW_MARKS, TAMPER_SIGNS, reportTampering, type TamperOutcome } from '../access/tampering.ts';
import { builder } from './builder.ts';
import { exemptFromReadOnly } from './read-only.ts';

/** The marks of a staff view the browser must keep on screen. */
const StaffViewMark = builder.enumType('StaffViewMark', { values: STAFF_VIEW_MARKS });

const StaffViewTamperSign = builder.enumType('StaffViewTamperSign', {
  description:
    'How a mark was found hidden: removed, its display, visibility, opacity, filter, clip, transform, ' +
    'position off screen, size, colour, watermark image or stacking changed, or covered by something on top.',
  values: TAMPER_SIGNS,
});

const StaffViewTamperReport = builder.objectRef<TamperOutcome>('StaffViewTamperReport').implement({
  description: 'What a tampering report did.',
  fields: (t) => ({
    counted: t.exposeBoolean('counted', {
      description: 'A new incident (false: part of the last one, or the view had ended).',
    }),
    incidents: t.exposeInt('incidents', { description: 'The view’s incidents so far.' }),
    limit: t.exposeInt('limit', { description: 'At this many incidents the view ends.' }),
    ended: t.exposeBoolean('ended', { description: 'This incident ended the view.' }),
  }),
});

builder.mutationField('reportStaffViewTampering', (t) =>
  t.withAuth({ impersonating: true }).field({
    ...exemptFromReadOnly('reportStaffViewTampering'),
    type: StaffViewTamperReport,
    description:
      'The staff view’s client found its marks hidden (an incident starts): recorded once per incident, ' +
      'shown to managers live, and the view ends after STAFF_VIEW_TAMPER_LIMIT incidents.',
    args: {
      marks: t.arg({ type: [StaffViewMark], required: true }),
      how: t.arg({ type: [StaffViewTamperSign], required: true }),
    },
    resolve: async (_root, { marks, how }, ctx) => {
      await ctx.rateLimits.staffViewReport(ctx.impersonation.id);
      return reportTampering(ctx, ctx.impersonation, { marks, how });
    },
  }),
);
