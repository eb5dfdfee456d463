// Masked until revealed over GraphQL (SPEC 10): the enum of maskable fields, each record's
// `staffViewMasked` (the client's signal: which of its fields come masked in this view; always empty
// in the customer's own portal) and `revealStaffViewField`. The rules are impersonation/reveals.ts;
// which fields are masked, staff-masks.ts.
import { StaffViewMaskedField } from '@prisma/client';
import { REASON_MAX, REASON_MIN } from '../impersonation/policy.ts';
import { revealKey, revealStaffViewField } from '../impersonation/reveals.ts';
import { builder } from './builder.ts';
import { exemptFromReadOnly } from './read-only.ts';
import { revealsSeen } from './staff-mask-plugin.ts';
import { STAFF_MASKS, masksOfType, type StaffMask } from './staff-masks.ts';

/** A field that comes masked in a staff view until revealed. */
export const StaffViewMaskedFieldEnum = builder.enumType(StaffViewMaskedField, {
  name: 'StaffViewMaskedField',
  description: 'A field that comes masked in a staff view until the view reveals it, with a reason, for one record.',
});

const MASKED_TYPES = [...new Set(Object.values(STAFF_MASKS).map((mask) => mask.type))] as StaffMask['type'][];

for (const type of MASKED_TYPES) {
  // One field on each masked type (typed as one of them: they share `id`, all the field reads).
  builder.prismaObjectFields(type as 'Pet', (t) => ({
    staffViewMasked: t.field({
      type: [StaffViewMaskedFieldEnum],
      description:
        'The fields of this record that come masked in this staff view (reveal one with revealStaffViewField). ' +
        'Always empty in the customer’s own portal.',
      resolve: async (record, _args, ctx, info) => {
        if (!ctx.impersonation) return [];
        const reveals = await revealsSeen(ctx, ctx.impersonation.id, info);
        return masksOfType(type).filter((field) => !reveals.has(revealKey(field, record.id)));
      },
    }),
  }));
}

const StaffViewReveal = builder.prismaObject('StaffViewReveal', {
  description: 'One field of one record a staff view revealed, for the rest of the view, and why.',
  fields: (t) => ({
    id: t.exposeID('id'),
    field: t.expose('field', { type: StaffViewMaskedFieldEnum }),
    recordId: t.exposeID('recordId'),
    reason: t.exposeString('reason', { description: 'Why: the customer reads it in her access log.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.mutationField('revealStaffViewField', (t) =>
  t.withAuth({ impersonating: true }).prismaField({
    ...exemptFromReadOnly('revealStaffViewField'),
    type: StaffViewReveal,
    description:
      'Reveals one masked field of one record for the rest of the caller’s own staff view. Recorded with the ' +
      'field, record and reason; the customer reads the reason. A field outside the view’s scope cannot be ' +
      'revealed (OUTSIDE_SCOPE); a view reveals at most STAFF_VIEW_REVEALS_PER_SESSION fields (RATE_LIMITED).',
    args: {
      field: t.arg({ type: StaffViewMaskedFieldEnum, required: true }),
      recordId: t.arg.id({ required: true }),
      reason: t.arg.string({
        required: true,
        description: `Why this value is needed (${REASON_MIN}-${REASON_MAX} characters): the customer reads it.`,
      }),
    },
    resolve: async (query, _root, args, ctx) => {
      const reveal = await revealStaffViewField(ctx, args.field, String(args.recordId), args.reason);
      return ctx.prisma.staffViewReveal.findUniqueOrThrow({ ...query, where: { id: reveal.id } });
    },
  }),
);
