// Break-glass over GraphQL: the `emergency` input of a start (impersonation-start.ts), the managers'
// list of emergency accesses to review, and a different manager's review (approve or flag, with a
// note). Rules and steps: access/break-glass.ts. Staff-only: the customer reads her emergency in her
// access log (staff-access-log.ts) in her words, never the justification or the review.
import { BreakGlassCategory, BreakGlassDecision } from '@prisma/client';
import {
  BREAK_GLASS_CATEGORY_WORDS,
  breakGlassReason,
  isOverdue,
  reviewBreakGlass,
  reviewNote,
} from '../access/break-glass.ts';
import { isManager } from '../auth/identity.ts';
import { builder } from './builder.ts';
import { CustomerDirectoryEntry } from './customers.ts';

/** How many reviewed uses the list shows after the ones still waiting. */
const REVIEWED_SHOWN = 50;

/** The emergency a break-glass start names. */
export const BreakGlassCategoryEnum = builder.enumType(BreakGlassCategory, {
  name: 'BreakGlassCategory',
  description:
    'Why it cannot wait for the customer: PET_HEALTH (a health fact needed now), SAFETY (of a pet or a person), ACCOUNT_SECURITY (her account seems misused), LEGAL_OBLIGATION (a legal deadline).',
});

/** A reviewer's answer. */
export const BreakGlassDecisionEnum = builder.enumType(BreakGlassDecision, {
  name: 'BreakGlassDecision',
  description: 'APPROVE: the emergency access was justified. FLAG: it needs looking into.',
});

/** The break-glass part of a start. */
export const EmergencyAccessInput = builder.inputType('EmergencyAccessInput', {
  description:
    'Break-glass: start without the customer’s yes (ask first) or a second manager’s (protected) because she cannot be reached and it cannot wait. The shortest time limit, never extended, an alert at once, the customer told at once, and a review by another manager.',
  fields: (t) => ({
    category: t.field({ type: BreakGlassCategoryEnum, required: true }),
    reason: t.string({
      required: true,
      validate: breakGlassReason,
      description:
        'Why it could not wait and she could not be reached: read by managers, reviewers and the audit, never by the customer (she reads the start reason and the category).',
    }),
  }),
});

const BreakGlassReviewRef = builder.prismaObject('BreakGlassReview', {
  description: 'One emergency access (break-glass) and its review by a different manager.',
  fields: (t) => ({
    id: t.exposeID('id'),
    category: t.expose('category', { type: BreakGlassCategoryEnum }),
    customerWords: t.string({
      description: 'The category as the customer was told it.',
      resolve: (review) => BREAK_GLASS_CATEGORY_WORDS[review.category],
    }),
    justification: t.exposeString('justification', { description: 'Why it could not wait: staff only.' }),
    bypassedConsent: t.exposeBoolean('bypassedConsent', { description: 'It started without her yes (ask first).' }),
    bypassedFourEyes: t.exposeBoolean('bypassedFourEyes', {
      description: 'It started without a second manager’s approval (protected customer).',
    }),
    sessionId: t.exposeID('sessionId'),
    reason: t.string({
      description: 'The start reason (the customer reads it).',
      select: { session: { select: { reason: true } } },
      resolve: (review) => review.session.reason,
    }),
    usedBy: t.string({
      description: 'The manager who used it.',
      select: { session: { select: { staff: { select: { name: true } } } } },
      resolve: (review) => review.session.staff.name,
    }),
    customer: t.field({
      type: CustomerDirectoryEntry,
      select: (_args, _ctx, nested) => ({ session: { select: { customer: nested() } } }),
      resolve: (review) => review.session.customer,
    }),
    startedAt: t.field({
      type: 'DateTime',
      select: { session: { select: { startedAt: true } } },
      resolve: (review) => review.session.startedAt,
    }),
    endedAt: t.field({
      type: 'DateTime',
      nullable: true,
      select: { session: { select: { endedAt: true, expiresAt: true } } },
      resolve: (review, _args, ctx) =>
        review.session.endedAt ?? (review.session.expiresAt <= ctx.clock.now() ? review.session.expiresAt : null),
    }),
    dueAt: t.expose('dueAt', { type: 'DateTime', description: 'The review is due by then.' }),
    overdue: t.boolean({
      description: 'Not reviewed by its deadline (escalated as an alert).',
      resolve: (review, _args, ctx) => isOverdue(review, ctx.clock.now()),
    }),
    escalatedAt: t.expose('escalatedAt', { type: 'DateTime', nullable: true }),
    reviewedAt: t.expose('reviewedAt', { type: 'DateTime', nullable: true }),
    decision: t.expose('decision', { type: BreakGlassDecisionEnum, nullable: true }),
    note: t.exposeString('note', { nullable: true, description: 'The reviewer’s note: staff only.' }),
    reviewer: t.relation('reviewer', { nullable: true }),
    canReview: t.boolean({
      description: 'Whether the viewer may review it now: not reviewed, and not theirs. The server checks again.',
      select: { session: { select: { staffId: true } } },
      resolve: (review, _args, ctx) =>
        isManager(ctx) && review.reviewedAt === null && review.session.staffId !== ctx.actor!.id,
    }),
  }),
});

builder.queryField('breakGlassReviews', (t) =>
  t.withAuth({ manager: true }).prismaField({
    type: [BreakGlassReviewRef],
    description: `Emergency accesses waiting for review (the oldest deadline first, overdue ones first of all), then the last ${REVIEWED_SHOWN} reviewed.`,
    resolve: async (query, _root, _args, ctx) => {
      const [waiting, reviewed] = await Promise.all([
        ctx.prisma.breakGlassReview.findMany({ ...query, where: { reviewedAt: null }, orderBy: { dueAt: 'asc' } }),
        ctx.prisma.breakGlassReview.findMany({
          ...query,
          where: { reviewedAt: { not: null } },
          orderBy: { reviewedAt: 'desc' },
          take: REVIEWED_SHOWN,
        }),
      ]);
      return [...waiting, ...reviewed];
    },
  }),
);

builder.mutationField('reviewBreakGlass', (t) =>
  t.withAuth({ manager: true }).prismaField({
    type: BreakGlassReviewRef,
    description:
      'A different manager’s review of an emergency access: APPROVE or FLAG, with a note (staff only). Your own: FORBIDDEN, reason OWN_BREAK_GLASS; reviewed already: CONFLICT, reason BREAK_GLASS_REVIEWED.',
    args: {
      id: t.arg.id({ required: true }),
      decision: t.arg({ type: BreakGlassDecisionEnum, required: true }),
      note: t.arg.string({ required: true, validate: reviewNote }),
    },
    resolve: async (query, _root, { id, decision, note }, ctx) => {
      const reviewed = await reviewBreakGlass(ctx, String(id), decision, note);
      return ctx.prisma.breakGlassReview.findUniqueOrThrow({ ...query, where: { id: reviewed.id } });
    },
  }),
);
