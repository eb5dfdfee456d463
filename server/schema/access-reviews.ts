// Periodic access reviews over GraphQL (issue 24, SPEC 12), for managers: the reviews, newest
// first, each manager's item with their views since the last review; confirm or remove an item
// (privileged, audited); one review as a CSV file (privileged, its download recorded). The rules:
// access/reviews-policy.ts; the steps: access/reviews.ts; the file: access/reviews-export.ts.
import { AccessReviewDecision, AuditAction, AuditOutcome } from '@prisma/client';
import { decideAccessReviewItem, latestReview } from '../access/reviews.ts';
import { deadlinePassed, reviewNote } from '../access/reviews-policy.ts';
import { reviewCsv, reviewFileName } from '../access/reviews-export.ts';
import { appendAudit, auditRequestContext } from '../audit/chain.ts';
import { auditUnavailable } from '../audit/outcome.ts';
import type { Context } from '../context.ts';
import { notFound } from '../errors.ts';
import { builder } from './builder.ts';

/** How many reviews the list shows (ten years of quarters). */
const REVIEWS_LISTED = 40;

/** The `operationType` of a review download's record. */
export const ACCESS_REVIEW_DOWNLOAD = 'access-review';

const salonZone = (ctx: Pick<Context, 'config'>) => ctx.config.SALON_TIME_ZONE ?? 'UTC';

/** A reviewer's answer to an item, or what its deadline decided. */
export const AccessReviewDecisionEnum = builder.enumType(AccessReviewDecision, { name: 'AccessReviewDecision' });

const AccessReviewItemRef = builder.prismaObject('AccessReviewItem', {
  description: 'One manager in an access review: their use of the right to view customers, and the answer.',
  fields: (t) => ({
    id: t.exposeID('id'),
    staff: t.relation('staff', { description: 'The manager reviewed.' }),
    views: t.exposeInt('views', { description: 'Staff views they started since the last review.' }),
    protectedViews: t.exposeInt('protectedViews', { description: 'Of those, views of protected customers.' }),
    breakGlassUses: t.exposeInt('breakGlassUses', {
      nullable: true,
      description: 'Of those, break-glass (emergency) starts; null when not recorded.',
    }),
    decision: t.expose('decision', {
      type: AccessReviewDecisionEnum,
      nullable: true,
      description: 'Null while waiting for a reviewer.',
    }),
    decidedBy: t.relation('decidedBy', { nullable: true, description: 'Null when the deadline decided.' }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    note: t.exposeString('note', { nullable: true, description: 'The reviewer’s note: managers and the audit only.' }),
    viewRightSuspended: t.boolean({
      description: 'Whether the manager’s right to view customers is suspended now (by this or an earlier review).',
      select: { staff: { select: { viewRightSuspendedAt: true } } },
      resolve: (item) => item.staff.viewRightSuspendedAt !== null,
    }),
    canDecide: t.boolean({
      description:
        'Whether the viewer may confirm or remove it: another manager than the one reviewed, on the latest review. The server checks again.',
      resolve: async (item, _args, ctx) => {
        if (!ctx.actor || ctx.actor.id === item.staffId) return false;
        return (await latestReview(ctx.prisma))?.id === item.reviewId;
      },
    }),
  }),
});

const AccessReviewRef = builder.prismaObject('AccessReview', {
  description: 'A periodic review of who may view customers (every ACCESS_REVIEW_INTERVAL_DAYS).',
  fields: (t) => ({
    id: t.exposeID('id'),
    sequence: t.exposeInt('sequence', { description: 'Its number: 1 for the salon’s first review.' }),
    periodStart: t.expose('periodStart', {
      type: 'DateTime',
      nullable: true,
      description: 'Views are counted from here (the previous review); null for the first review: all before it.',
    }),
    openedAt: t.expose('openedAt', { type: 'DateTime' }),
    deadlineAt: t.expose('deadlineAt', {
      type: 'DateTime',
      description: 'Items unanswered then suspend the manager’s right (or, alone, are recorded as such).',
    }),
    open: t.boolean({
      description: 'Whether its deadline is still ahead.',
      resolve: (review, _args, ctx) => !deadlinePassed(review, ctx.clock.now()),
    }),
    items: t.relation('items', { query: { orderBy: { staff: { name: 'asc' } } } }),
    salonTimeZone: t.string({
      description: 'The zone its times are shown in (SALON_TIME_ZONE, else UTC).',
      resolve: (_review, _args, ctx) => salonZone(ctx),
    }),
  }),
});

interface ReviewDownload {
  fileName: string;
  content: string;
}

const AccessReviewFile = builder.objectRef<ReviewDownload>('AccessReviewFile').implement({
  description: 'One access review as CSV: a row per manager, human column names, salon local times.',
  fields: (t) => ({
    fileName: t.exposeString('fileName'),
    content: t.exposeString('content'),
  }),
});

builder.queryField('accessReviews', (t) =>
  t.withAuth({ manager: true }).prismaField({
    type: [AccessReviewRef],
    description: `Access reviews, newest first (at most ${REVIEWS_LISTED}); only the first may be decided.`,
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.accessReview.findMany({ ...query, orderBy: { sequence: 'desc' }, take: REVIEWS_LISTED }),
  }),
);

builder.queryField('accessReviewCsv', (t) =>
  t.withAuth({ manager: true }).field({
    type: AccessReviewFile,
    description: 'One review as a CSV file. Each download is recorded before the file is sent.',
    args: { reviewId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const review = await ctx.prisma.accessReview.findUnique({
        where: { id: String(args.reviewId) },
        include: {
          items: {
            orderBy: { staff: { name: 'asc' } },
            include: { staff: { select: { name: true, email: true } }, decidedBy: { select: { name: true } } },
          },
        },
      });
      if (!review) throw notFound('Access review');
      const recorded = await appendAudit(ctx.prisma, {
        action: AuditAction.AUDIT_EXPORTED,
        outcome: AuditOutcome.ALLOWED,
        createdAt: ctx.clock.now(),
        staffId: ctx.actor.id,
        operationType: ACCESS_REVIEW_DOWNLOAD,
        rootFields: ['accessReviewCsv'],
        variables: { reviewId: review.id, sequence: review.sequence, rows: review.items.length },
        ...auditRequestContext(ctx),
      }).catch(() => null);
      if (recorded === null) throw auditUnavailable().errors![0]!;
      const zone = salonZone(ctx);
      return { fileName: reviewFileName(review, zone), content: reviewCsv(review, zone) };
    },
  }),
);

builder.mutationFields((t) => ({
  confirmAccessReviewItem: t.withAuth({ manager: true }).prismaField({
    type: AccessReviewItemRef,
    description:
      'Confirms a manager’s right to view customers (restoring it when a review suspended it): by another manager than the one reviewed.',
    args: {
      itemId: t.arg.id({ required: true }),
      note: t.arg.string({ required: false, validate: reviewNote, description: 'Read by managers and the audit.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const item = await decideAccessReviewItem(ctx, {
        itemId: String(args.itemId),
        answer: 'CONFIRM',
        note: args.note ?? null,
      });
      return ctx.prisma.accessReviewItem.findUniqueOrThrow({ ...query, where: { id: item.id } });
    },
  }),
  removeAccessReviewItem: t.withAuth({ manager: true }).prismaField({
    type: AccessReviewItemRef,
    description:
      'Removes a manager’s right to view customers, with a note: their staff views end and every start is refused (ACCESS_REVIEW_SUSPENDED) until another manager confirms the item.',
    args: {
      itemId: t.arg.id({ required: true }),
      note: t.arg.string({ required: true, validate: reviewNote, description: 'Why: managers and the audit.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const item = await decideAccessReviewItem(ctx, {
        itemId: String(args.itemId),
        answer: 'REMOVE',
        note: args.note,
      });
      return ctx.prisma.accessReviewItem.findUniqueOrThrow({ ...query, where: { id: item.id } });
    },
  }),
}));
