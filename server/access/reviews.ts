// Periodic access reviews (issue 24, SPEC 12): every ACCESS_REVIEW_INTERVAL_DAYS a review lists who
// may view customers (the active managers), each with their staff views since the last review, the
// views of protected customers and the break-glass uses among them. Another manager confirms or
// removes each (a removal with a note); an item unanswered by the deadline suspends the right. A
// suspended right (Staff.viewRightSuspendedAt) refuses every start (ACCESS_REVIEW_SUSPENDED) until a
// manager other than the one reviewed confirms the item. Every step commits with its audit record.
// The rules: reviews-policy.ts. The job that opens reviews and applies deadlines: reviews-job.ts.
import {
  AuditAction,
  AuditOutcome,
  Prisma,
  type AccessReview,
  type AccessReviewDecision,
  type AccessReviewItem,
  type Staff,
} from '@prisma/client';
import { raiseAlert, publishAlerts } from '../alerts/raise.ts';
import { appendAuditInTransaction, auditRequestContext } from '../audit/chain.ts';
import type { RequestInfo, Services, StaffContext } from '../context.ts';
import { notFound } from '../errors.ts';
import { lockRow } from '../db/row-locks.ts';
import { announceRevocation, revokeViewRightInTransaction, type Revocation } from '../impersonation/revocation.ts';
import { otherActiveManagers } from './governance-checks.ts';
import { SETTINGS_ID } from './staff-views.ts';
import {
  SUSPENDING,
  assertMayDecide,
  deadlinePassed,
  nextReviewDue,
  reviewDeadline,
  unansweredOutcome,
  type ReviewAnswer,
} from './reviews-policy.ts';

const DAY = 24 * 60 * 60_000;

type Reader = Prisma.TransactionClient | Services['prisma'];

/** The latest review (the one whose items may be decided), or null before the first. */
export function latestReview(db: Reader): Promise<AccessReview | null> {
  return db.accessReview.findFirst({ orderBy: { sequence: 'desc' } });
}

/** Per manager: staff views started in [from, to), those of protected customers, and break-glass starts. */
async function viewCounts(db: Reader, from: Date | null, to: Date) {
  const startedAt = { ...(from ? { gte: from } : {}), lt: to };
  const count = (where: Prisma.ImpersonationSessionWhereInput) =>
    db.impersonationSession.groupBy({ by: ['staffId'], where: { startedAt, ...where }, _count: { _all: true } });
  const [views, protectedViews, breakGlass] = await Promise.all([
    count({}),
    // Protected at the time (a second manager approved it) or now.
    count({ OR: [{ approvedByStaffId: { not: null } }, { customer: { protected: true } }] }),
    count({ emergencyCategory: { not: null } }),
  ]);
  const byStaff = (rows: typeof views) => new Map(rows.map((row) => [row.staffId, row._count._all]));
  return { views: byStaff(views), protectedViews: byStaff(protectedViews), breakGlass: byStaff(breakGlass) };
}

/**
 * Since when reviews run: SalonSettings.accessReviewsSince, set once to `now` where it is not set
 * yet (a new salon's first pass; migration 0027 set it for the salons that upgraded).
 */
async function reviewsSince(prisma: Services['prisma'], now: Date): Promise<Date> {
  await prisma.salonSettings.updateMany({
    where: { id: SETTINGS_ID, accessReviewsSince: null },
    data: { accessReviewsSince: now },
  });
  const settings = await prisma.salonSettings.findUnique({
    where: { id: SETTINGS_ID },
    select: { accessReviewsSince: true },
  });
  return settings?.accessReviewsSince ?? now;
}

/**
 * Opens the review that is due at `now`, if one is (reviews-policy.ts's nextReviewDue: an interval after the last, or after reviews began): one item per
 * active manager with their counts since the last review. Several instances may try at once: the
 * review's `sequence` is unique, so one commits and the others get null.
 */
export async function openDueAccessReview(services: Pick<Services, 'prisma' | 'config'>, now: Date) {
  const { prisma, config } = services;
  const last = await latestReview(prisma);
  const due = nextReviewDue(last, await reviewsSince(prisma, now), config);
  if (now < due) return null;
  const periodStart = last?.openedAt ?? null;
  const managers = await prisma.staff.findMany({
    where: { role: 'MANAGER', active: true },
    select: { id: true },
    orderBy: { name: 'asc' },
  });
  const counts = await viewCounts(prisma, periodStart, now);
  try {
    return await prisma.$transaction(async (tx) => {
      const review = await tx.accessReview.create({
        data: {
          sequence: (last?.sequence ?? 0) + 1,
          periodStart,
          openedAt: now,
          deadlineAt: reviewDeadline(now, config),
          items: {
            create: managers.map(({ id }) => ({
              staffId: id,
              views: counts.views.get(id) ?? 0,
              protectedViews: counts.protectedViews.get(id) ?? 0,
              breakGlassUses: counts.breakGlass.get(id) ?? 0,
            })),
          },
        },
      });
      await appendAuditInTransaction(tx, {
        action: AuditAction.ACCESS_REVIEW_OPENED,
        outcome: AuditOutcome.ALLOWED,
        createdAt: now,
        seen: {
          change: {
            target: `AccessReview:${review.id}`,
            after: {
              sequence: review.sequence,
              periodStart: periodStart?.toISOString() ?? null,
              deadlineAt: review.deadlineAt.toISOString(),
              managers: managers.map(({ id }) => id),
            },
          },
        },
      });
      return review;
    });
  } catch (error) {
    // Another instance opened this period's review first.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return null;
    throw error;
  }
}

/** What deciding an item changes on the manager's row: suspend the right, restore it, or neither. */
function rightChange(staff: Pick<Staff, 'viewRightSuspendedAt'>, suspend: boolean) {
  if (suspend) return staff.viewRightSuspendedAt ? 'KEPT_SUSPENDED' : 'SUSPENDED';
  return staff.viewRightSuspendedAt ? 'RESTORED' : 'UNCHANGED';
}

/**
 * Records an item's decision on the manager's locked row, in the caller's transaction: the item,
 * the manager's right (suspended: their staff views end, their staff-view tokens are revoked;
 * restored), and the audit record. Returns the revocation to announce after the commit.
 */
async function applyDecision(
  tx: Prisma.TransactionClient,
  input: {
    item: AccessReviewItem;
    staff: Pick<Staff, 'id' | 'viewRightSuspendedAt'>;
    decision: AccessReviewDecision;
    decidedBy: Pick<Staff, 'id' | 'name'> | null;
    note: string | null;
    now: Date;
    request: Partial<RequestInfo>;
  },
): Promise<{ item: AccessReviewItem; revocation: Revocation | null }> {
  const { item, staff, decision, decidedBy, note, now } = input;
  const suspend = SUSPENDING.has(decision);
  const change = rightChange(staff, suspend);
  const decided = await tx.accessReviewItem.update({
    where: { id: item.id },
    data: { decision, decidedAt: now, decidedByStaffId: decidedBy?.id ?? null, note },
  });
  let revocation: Revocation | null = null;
  if (change === 'SUSPENDED') {
    await tx.staff.update({
      where: { id: staff.id },
      data: { viewRightSuspendedAt: now, viewRightSuspendedItemId: item.id },
    });
    revocation = await revokeViewRightInTransaction(tx, staff.id, {
      byStaffId: decidedBy?.id ?? staff.id,
      request: input.request,
      now,
    });
  } else if (change === 'RESTORED') {
    await tx.staff.update({
      where: { id: staff.id },
      data: { viewRightSuspendedAt: null, viewRightSuspendedItemId: null },
    });
  }
  const action =
    decision === 'CONFIRMED'
      ? AuditAction.ACCESS_REVIEW_CONFIRMED
      : decision === 'REMOVED'
        ? AuditAction.ACCESS_REVIEW_REMOVED
        : AuditAction.ACCESS_REVIEW_UNANSWERED;
  await appendAuditInTransaction(tx, {
    action,
    outcome: AuditOutcome.ALLOWED,
    createdAt: now,
    staffId: decidedBy?.id ?? staff.id,
    reason: note,
    seen: {
      change: {
        target: `AccessReviewItem:${item.id}`,
        before: { decision: item.decision, viewRightSuspended: staff.viewRightSuspendedAt !== null },
        after: {
          reviewId: item.reviewId,
          reviewedStaffId: staff.id,
          decision,
          decidedByStaffId: decidedBy?.id ?? null,
          decidedBy: decidedBy?.name ?? null,
          viewRight: change,
          endedSessions: revocation?.sessions.map((session) => session.id) ?? [],
        },
      },
    },
    ...auditRequestContext(input.request),
  });
  return { item: decided, revocation };
}

/**
 * The reviewer of `ctx` confirms or removes an item of the latest review (a removal with a note).
 * Confirming an item whose right is suspended restores it: the only way back, and never by the
 * manager reviewed. The manager's row is locked first (as a deactivation does), so a start racing
 * a removal either committed first and its view is ended here, or reads the suspension and is refused.
 */
export async function decideAccessReviewItem(
  ctx: StaffContext<Pick<Staff, 'id' | 'active' | 'role' | 'name'>>,
  input: { itemId: string; answer: ReviewAnswer; note: string | null },
): Promise<AccessReviewItem> {
  const now = ctx.clock.now();
  const found = await ctx.prisma.accessReviewItem.findUnique({
    where: { id: input.itemId },
    select: { staffId: true },
  });
  if (!found) throw notFound('Access review item');
  const { item, revocation } = await ctx.prisma.$transaction(async (tx) => {
    await lockRow(tx, 'Staff', found.staffId);
    const item = await tx.accessReviewItem.findUniqueOrThrow({ where: { id: input.itemId } });
    const latest = await latestReview(tx);
    assertMayDecide({ reviewer: ctx.actor, item, latest: latest?.id === item.reviewId, ...input });
    const staff = await tx.staff.findUniqueOrThrow({
      where: { id: item.staffId },
      select: { id: true, viewRightSuspendedAt: true },
    });
    return applyDecision(tx, {
      item,
      staff,
      decision: input.answer === 'CONFIRM' ? 'CONFIRMED' : 'REMOVED',
      decidedBy: ctx.actor,
      note: input.note,
      now,
      request: ctx,
    });
  });
  announceRevocation(ctx, revocation);
  return item;
}

/**
 * ACCESS_REVIEW_OVERDUE for one unanswered item, in its own transaction after the item's decision
 * committed: the suspension never waits on, or fails with, the alerting. Once per item (dedupe key).
 */
async function raiseOverdueAlert(
  services: Services,
  input: { review: AccessReview; itemId: string; staffId: string; decision: AccessReviewDecision; name: string },
  now: Date,
): Promise<void> {
  const summary =
    input.decision === 'SUSPENDED'
      ? `Access review unanswered: ${input.name}'s right to view customers is suspended until another manager confirms it`
      : `Access review unanswered: ${input.name} is the only manager, so nobody could review them; the right is kept`;
  try {
    const alert = await services.prisma.$transaction((tx) =>
      raiseAlert(
        tx,
        {
          rule: 'ACCESS_REVIEW_OVERDUE',
          summary,
          staffId: input.staffId,
          details: {
            reviewId: input.review.id,
            sequence: input.review.sequence,
            itemId: input.itemId,
            decision: input.decision,
          },
          dedupeKey: `ACCESS_REVIEW_OVERDUE:${input.itemId}`,
        },
        now,
      ),
    );
    publishAlerts(services, [alert]);
  } catch (error) {
    console.error('Access review: the ACCESS_REVIEW_OVERDUE alert could not be raised', error);
  }
}

/**
 * Applies the latest review's deadline once it has passed: each unanswered item becomes SUSPENDED
 * (the right suspended) or, in a one-manager salon, NO_REVIEWER (kept); each raises
 * ACCESS_REVIEW_OVERDUE. Each item is decided on its manager's locked row, read again there, so
 * instances running this at once decide each item once; the review is then marked as done.
 * @returns how many items it decided.
 */
export async function applyDueReviewDeadline(services: Services, now: Date): Promise<number> {
  const review = await latestReview(services.prisma);
  if (!review || review.deadlinePassedAt || !deadlinePassed(review, now)) return 0;
  const pending = await services.prisma.accessReviewItem.findMany({
    where: { reviewId: review.id, decision: null },
    select: { id: true, staffId: true },
    orderBy: { id: 'asc' },
  });
  let decided = 0;
  for (const { id, staffId } of pending) {
    const result = await services.prisma.$transaction(async (tx) => {
      await lockRow(tx, 'Staff', staffId);
      const item = await tx.accessReviewItem.findUniqueOrThrow({ where: { id } });
      if (item.decision) return null;
      const staff = await tx.staff.findUniqueOrThrow({
        where: { id: staffId },
        select: { id: true, name: true, viewRightSuspendedAt: true },
      });
      const others = await otherActiveManagers(tx, staffId);
      const lookback = new Date(review.openedAt.getTime() - services.config.GOVERNANCE_LONE_LOOKBACK_DAYS * DAY);
      const removed = await tx.staff.count({
        where: { managerRemovedById: staffId, managerRemovedAt: { gte: lookback } },
      });
      const decision = unansweredOutcome(others, removed > 0);
      const applied = await applyDecision(tx, { item, staff, decision, decidedBy: null, note: null, now, request: {} });
      return { ...applied, decision, name: staff.name };
    });
    if (!result) continue;
    decided += 1;
    announceRevocation(services, result.revocation);
    await raiseOverdueAlert(services, { review, itemId: id, staffId, ...result }, now);
  }
  await services.prisma.accessReview.updateMany({
    where: { id: review.id, deadlinePassedAt: null },
    data: { deadlinePassedAt: now },
  });
  return decided;
}
