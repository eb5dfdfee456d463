// Break-glass (SPEC 12, HIPAA's "emergency access procedure"): a manager starts a staff view that
// bypasses the customer's ask-first, or four-eyes, because she cannot be reached and it cannot wait.
// It goes through the one start pipeline (impersonation/lifecycle.ts) with every other check kept
// (kill switch, start rate limit, manager and customer rules, the transaction's people locks) and is
// narrower than any start: a named emergency, a justification for the reviewers, the shortest time
// limit (BREAK_GLASS_MINUTES, never extended), its own rate limit per manager, an immediate alert,
// the customer told at once, and a review by a different manager within BREAK_GLASS_REVIEW_HOURS
// (else escalated once). It never overrides her word: after her Stop or her "no" to anyone in the
// last STAFF_VIEW_BLOCK_HOURS it is refused (blocks.ts), and a start her settings already allow is
// not an emergency (BREAK_GLASS_NOT_NEEDED).
import { BREAK_GLASS_CATEGORY_WORDS } from '../notifications/customer-texts.ts';
import {
  AuditAction,
  type BreakGlassCategory,
  type BreakGlassDecision,
  type BreakGlassReview,
  type ImpersonationSession,
  type Prisma,
  type Staff,
} from '@prisma/client';
import { publishAlerts, raiseAlert } from '../alerts/raise.ts';
import { auditRequestContext } from '../audit/chain.ts';
import type { Config } from '../config.ts';
import type { RequestInfo, Services, StaffContext } from '../context.ts';
import { ErrorReason, badInput, conflict, forbidden, notFound } from '../errors.ts';
import { mayImpersonate, reasonSchema, REASON_MIN, type ImpersonationLimits } from '../impersonation/policy.ts';
import { gateOpen, liveGrantWhere, startGate } from './policy.ts';
import { recordAccessChange } from './requests.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

// The customer's words for each category: BREAK_GLASS_CATEGORY_WORDS (notifications/customer-texts.ts).

/** The break-glass part of a start: which emergency, and why it could not wait (staff and reviewers only). */
export interface EmergencyInput {
  category: BreakGlassCategory;
  reason: string;
}

/** The justification of a break-glass start and the reviewer's note: the reason rule (shared/reason-rule.ts). */
export const breakGlassReason = reasonSchema(REASON_MIN);

/** A break-glass start as checked before its transaction: what it bypasses. */
export interface BreakGlassStart {
  category: BreakGlassCategory;
  justification: string;
  bypassedConsent: boolean;
  bypassedFourEyes: boolean;
}

/** A break-glass view's expiry and its token's: the shortest limit, never more than a start's, never extended. */
export function breakGlassTimes(
  now: Date,
  config: Pick<Config, 'BREAK_GLASS_MINUTES'>,
  limits: Pick<ImpersonationLimits, 'durationMs'>,
): { expiresAt: Date; tokenExpiresAt: Date } {
  const expiresAt = new Date(now.getTime() + Math.min(config.BREAK_GLASS_MINUTES * MINUTE, limits.durationMs));
  return { expiresAt, tokenExpiresAt: expiresAt };
}

/** When a use must be reviewed by: BREAK_GLASS_REVIEW_HOURS after it. */
export const reviewDueAt = (now: Date, config: Pick<Config, 'BREAK_GLASS_REVIEW_HOURS'>) =>
  new Date(now.getTime() + config.BREAK_GLASS_REVIEW_HOURS * HOUR);

/** Whether a review is overdue at `now`: unanswered past its deadline. */
export const isOverdue = (review: Pick<BreakGlassReview, 'reviewedAt' | 'dueAt'>, now: Date) =>
  review.reviewedAt === null && review.dueAt <= now;

/**
 * Refuses (FORBIDDEN, BREAK_GLASS_BLOCKED) when the customer stopped a staff view or declined a
 * request, of anyone, within the last STAFF_VIEW_BLOCK_HOURS (lifted or not): she was reachable and
 * said no, and an emergency does not undo her word. Asked before and again inside the start's
 * transaction, where her row is held (her Stop and her "no" lock it first: blocks.ts).
 */
export async function assertCustomerDidNotRefuse(
  db: Pick<Prisma.TransactionClient, 'staffViewBlock'>,
  customerId: string,
  now: Date,
  config: Pick<Config, 'STAFF_VIEW_BLOCK_HOURS'>,
): Promise<void> {
  const since = new Date(now.getTime() - config.STAFF_VIEW_BLOCK_HOURS * HOUR);
  const block = await db.staffViewBlock.findFirst({
    where: { customerId, createdAt: { gt: since } },
    orderBy: { createdAt: 'desc' },
    select: { cause: true, createdAt: true },
  });
  if (block) {
    const what = block.cause === 'STOPPED' ? 'stopped a staff view' : 'declined a request';
    throw forbidden(`The customer ${what} recently: emergency access is not available for her`, {
      reason: ErrorReason.BreakGlassBlocked,
      cause: block.cause,
      at: block.createdAt.toISOString(),
    });
  }
}

/**
 * Checks a break-glass start before its transaction (after the start's own checks): the
 * justification, her recent word, that her settings would stop an ordinary start (else
 * BREAK_GLASS_NOT_NEEDED), then counts it against BREAK_GLASS_STARTS_PER_WINDOW.
 */
export async function checkBreakGlassStart(
  ctx: Services & { actor: Pick<Staff, 'id'> },
  customerId: string,
  emergency: EmergencyInput,
): Promise<BreakGlassStart> {
  const justification = breakGlassReason.safeParse(emergency.reason);
  if (!justification.success) throw badInput(`emergency.reason: ${justification.error.issues[0]?.message}`);
  const now = ctx.clock.now();
  await assertCustomerDidNotRefuse(ctx.prisma, customerId, now, ctx.config);
  const [customer, liveGrant] = await Promise.all([
    ctx.prisma.customer.findUniqueOrThrow({
      where: { id: customerId },
      select: { staffAccess: true, protected: true },
    }),
    ctx.prisma.accessGrant.findFirst({ where: { customerId, ...liveGrantWhere(now) }, select: { id: true } }),
  ]);
  const gate = startGate({ customer, hasLiveGrant: liveGrant !== null, hasManagerApproval: false });
  if (gateOpen(gate)) {
    throw conflict('The customer’s settings allow an ordinary staff view: start one without emergency access', {
      reason: ErrorReason.BreakGlassNotNeeded,
    });
  }
  await ctx.rateLimits.breakGlassStart(ctx.actor.id);
  return {
    category: emergency.category,
    justification: justification.data,
    bypassedConsent: gate.needsCustomer,
    bypassedFourEyes: gate.needsManager,
  };
}

/**
 * The break-glass part of the start's transaction, once the session row exists and her row is held:
 * her word asked again, the review row (due in BREAK_GLASS_REVIEW_HOURS) and the BREAK_GLASS alert.
 * Returns what the session's SESSION_STARTED record says of it, and the alert to publish after the commit.
 */
export async function useBreakGlassInTransaction(
  tx: Prisma.TransactionClient,
  start: BreakGlassStart,
  session: Pick<ImpersonationSession, 'id' | 'staffId' | 'customerId'>,
  now: Date,
  config: Pick<Config, 'STAFF_VIEW_BLOCK_HOURS' | 'BREAK_GLASS_REVIEW_HOURS'>,
): Promise<{ seen: Prisma.InputJsonObject; alert: { id: string } | null }> {
  await assertCustomerDidNotRefuse(tx, session.customerId, now, config);
  const review = await tx.breakGlassReview.create({
    data: {
      sessionId: session.id,
      category: start.category,
      justification: start.justification,
      bypassedConsent: start.bypassedConsent,
      bypassedFourEyes: start.bypassedFourEyes,
      createdAt: now,
      dueAt: reviewDueAt(now, config),
    },
  });
  const breakGlass = {
    reviewId: review.id,
    category: start.category,
    justification: start.justification,
    bypassed: { consent: start.bypassedConsent, fourEyes: start.bypassedFourEyes },
    reviewDueAt: review.dueAt.toISOString(),
  };
  const alert = await raiseAlert(
    tx,
    {
      rule: 'BREAK_GLASS',
      summary: `Emergency access (${start.category}) started without ${bypassedWords(start)}`,
      staffId: session.staffId,
      customerId: session.customerId,
      sessionId: session.id,
      details: breakGlass,
      dedupeKey: `break-glass:${review.id}`,
    },
    now,
  );
  return { seen: breakGlass, alert };
}

const bypassedWords = (start: Pick<BreakGlassStart, 'bypassedConsent' | 'bypassedFourEyes'>) =>
  [start.bypassedConsent && 'the customer’s consent', start.bypassedFourEyes && 'a second manager’s approval']
    .filter(Boolean)
    .join(' or ');

/** The reviewer's note: the reason rule. */
export const reviewNote = reasonSchema(REASON_MIN);

/**
 * A different manager's review of one break-glass use (APPROVE: justified; FLAG: look into it), with
 * a note; once. The manager who used it never reviews it (FORBIDDEN, OWN_BREAK_GLASS); a review
 * answered meanwhile is refused (CONFLICT, BREAK_GLASS_REVIEWED). Recorded (BREAK_GLASS_REVIEWED).
 */
export async function reviewBreakGlass(
  ctx: StaffContext<Pick<Staff, 'id' | 'active' | 'role'>> & RequestInfo,
  reviewId: string,
  decision: BreakGlassDecision,
  note: string,
): Promise<BreakGlassReview> {
  const manager = ctx.actor;
  if (!mayImpersonate(manager)) throw forbidden('Only active managers may review emergency access');
  const checkedNote = reviewNote.safeParse(note);
  if (!checkedNote.success) throw badInput(`note: ${checkedNote.error.issues[0]?.message}`);
  const now = ctx.clock.now();
  return ctx.prisma.$transaction(async (tx) => {
    await lockBreakGlassReview(tx, reviewId);
    const found = await tx.breakGlassReview.findUnique({
      where: { id: reviewId },
      include: { session: { select: { staffId: true, customerId: true } } },
    });
    if (!found) throw notFound('Break-glass review');
    if (found.session.staffId === manager.id) {
      throw forbidden('A different manager must review your own emergency access', {
        reason: ErrorReason.OwnBreakGlass,
      });
    }
    if (found.reviewedAt) {
      throw conflict('This emergency access was reviewed already', { reason: ErrorReason.BreakGlassReviewed });
    }
    const reviewed = await tx.breakGlassReview.update({
      where: { id: reviewId },
      data: { reviewedAt: now, reviewerStaffId: manager.id, decision, note: checkedNote.data },
    });
    await recordAccessChange(tx, {
      action: AuditAction.BREAK_GLASS_REVIEWED,
      createdAt: now,
      staffId: manager.id,
      customerId: found.session.customerId,
      sessionId: found.sessionId,
      reason: checkedNote.data,
      change: {
        target: `BreakGlassReview:${reviewId}`,
        before: { reviewedAt: null },
        after: { decision, usedByStaffId: found.session.staffId, overdue: found.dueAt <= now },
      },
      ...auditRequestContext(ctx),
    });
    return reviewed;
  });
}

/** A review's row, locked as an UPDATE would: of two reviewers at once, the second reads the first's answer. */
async function lockBreakGlassReview(tx: Pick<Prisma.TransactionClient, '$queryRaw'>, id: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM "BreakGlassReview" WHERE id = ${id} FOR NO KEY UPDATE`;
}

/** Unreviewed uses past their deadline, not yet escalated (the sweep's). */
export const dueEscalationWhere = (now: Date): Prisma.BreakGlassReviewWhereInput => ({
  reviewedAt: null,
  escalatedAt: null,
  dueAt: { lte: now },
});

/**
 * Escalates every use left unreviewed past its deadline, once each: marks it, raises
 * BREAK_GLASS_UNREVIEWED and records BREAK_GLASS_ESCALATED in one transaction. Every instance may run
 * it (the background sweep); the conditional mark makes a second sweep a no-op. Returns how many.
 */
export async function escalateOverdueBreakGlass(services: Services): Promise<number> {
  const now = services.clock.now();
  const due = await services.prisma.breakGlassReview.findMany({
    where: dueEscalationWhere(now),
    include: { session: { select: { staffId: true, customerId: true } } },
  });
  let escalated = 0;
  for (const review of due) {
    const alert = await services.prisma.$transaction(async (tx) => {
      const { count } = await tx.breakGlassReview.updateMany({
        where: { id: review.id, ...dueEscalationWhere(now) },
        data: { escalatedAt: now },
      });
      if (count === 0) return undefined;
      const details = { reviewId: review.id, category: review.category, dueAt: review.dueAt.toISOString() };
      const raised = await raiseAlert(
        tx,
        {
          rule: 'BREAK_GLASS_UNREVIEWED',
          summary: `Emergency access (${review.category}) not reviewed within ${services.config.BREAK_GLASS_REVIEW_HOURS} h`,
          staffId: review.session.staffId,
          customerId: review.session.customerId,
          sessionId: review.sessionId,
          details,
          dedupeKey: `break-glass-unreviewed:${review.id}`,
        },
        now,
      );
      await recordAccessChange(tx, {
        action: AuditAction.BREAK_GLASS_ESCALATED,
        createdAt: now,
        staffId: review.session.staffId,
        customerId: review.session.customerId,
        sessionId: review.sessionId,
        reason: 'Emergency access not reviewed by its deadline',
        change: { target: `BreakGlassReview:${review.id}`, before: { escalatedAt: null }, after: details },
      });
      return raised;
    });
    if (alert === undefined) continue;
    escalated += 1;
    publishAlerts(services, [alert]);
  }
  return escalated;
}

/**
 * Runs the escalation sweep every `intervalMs` on this instance (server/background.ts).
 * @returns a function that stops it.
 */
export function startBreakGlassSweep(
  services: Services,
  onError: (error: unknown) => void,
  intervalMs = 60_000,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    escalateOverdueBreakGlass(services)
      .catch(onError)
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

export { BREAK_GLASS_CATEGORY_WORDS };
