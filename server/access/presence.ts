// Live presence (SPEC 7): while staff view a customer's account, the customer's own portal shows
// who and why, and may stop the view at once (STOPPED_BY_CUSTOMER, with the customer's words, if
// any, as the recorded reason). Her Stop is final (SPEC 9): in the same transaction as the end, her
// live grants are withdrawn, that staff member's open requests closed and that staff member blocked
// (blocks.ts), unless she keeps her permission. The end is the lifecycle's one end: the staff
// member's banner is told, their sockets close, on every instance.
import type { Prisma } from '@prisma/client';
import type { CustomerContext, Services } from '../context.ts';
import { conflict, notFound } from '../errors.ts';
import { endSessionInTransaction, publishSessionChange } from '../impersonation/session-end.ts';
import { REASON_MAX, isLive, liveSessionWhere } from '../impersonation/policy.ts';
import { z } from 'zod';
import { changeFeed } from '../impersonation/feeds.ts';
import { lockRow } from '../db/row-locks.ts';
import { closeOpenRequestsInTransaction, publishWithdrawal, withdrawConsentInTransaction } from './blocks.ts';
import { CUSTOMER_STOP_REASON } from './policy.ts';

/** What the customer may write when stopping a view (optional). */
export const customerStopWords = z.string().trim().max(REASON_MAX).optional();

/** The live sessions viewing one customer, oldest first, for their portal. */
export function sessionsViewing<Query extends { select?: Prisma.ImpersonationSessionSelect }>(
  services: Pick<Services, 'prisma' | 'clock'>,
  customerId: string,
  query: Query,
) {
  return services.prisma.impersonationSession.findMany({
    ...query,
    where: { customerId, ...liveSessionWhere(services.clock.now()) },
    orderBy: { startedAt: 'asc' },
  });
}

/** The customer's confirmation of a Stop: who was stopped, and what her Stop withdrew. */
export interface StaffViewStopped {
  staffName: string;
  stoppedAt: Date;
  /** Her grants were withdrawn: staff need a new yes (ask first) or her grant again. */
  grantWithdrawn: boolean;
  /** That staff member can neither view nor ask again until then (null: she kept her permission). */
  blockedUntil: Date | null;
}

/**
 * Ends a session viewing the customer of `ctx` at their request and, unless `keepPermission`,
 * withdraws her consent from its staff member, all in one transaction (her Customer row locked
 * first, as every consent change). NOT_FOUND for a session of another customer (whether it exists
 * is not the customer's business), CONFLICT once it has ended.
 */
export async function stopStaffView(
  ctx: CustomerContext,
  input: { sessionId: string; words?: string | null; keepPermission?: boolean | null },
): Promise<StaffViewStopped> {
  const customerId = ctx.customer.id;
  const now = ctx.clock.now();
  const reason = input.words?.trim() || CUSTOMER_STOP_REASON;
  const done = await ctx.prisma.$transaction(async (tx) => {
    await lockRow(tx, 'Customer', customerId);
    const session = await tx.impersonationSession.findFirst({
      where: { id: input.sessionId, customerId },
      include: { staff: { select: { name: true } } },
    });
    if (!session) throw notFound('Staff view');
    if (!isLive(session, now)) throw conflict('This staff view has already ended');
    const who = { customerId, staffId: session.staffId };
    const closedRequests = input.keepPermission ? [] : await closeOpenRequestsInTransaction(tx, who, now);
    const end = { state: 'STOPPED_BY_CUSTOMER', reason } as const;
    const ended = await endSessionInTransaction(tx, session.id, end, now, ctx);
    if (!ended) throw conflict('This staff view has already ended');
    const withdrawal = input.keepPermission
      ? null
      : await withdrawConsentInTransaction(
          tx,
          { ...who, cause: 'STOPPED', sessionId: session.id, closedRequests },
          now,
          ctx,
        );
    return { ended, staffName: session.staff.name, withdrawal };
  });
  publishSessionChange(ctx, done.ended);
  if (done.withdrawal) publishWithdrawal(ctx, done.withdrawal);
  return {
    staffName: done.staffName,
    stoppedAt: now,
    grantWithdrawn: (done.withdrawal?.grantsWithdrawn ?? 0) > 0,
    blockedUntil: done.withdrawal?.block.until ?? null,
  };
}

/**
 * Pushes at once, then whenever a session viewing this customer starts, changes or ends on any
 * instance (the resolver reads the list again).
 */
export function presenceStream(services: Services, customerId: string): AsyncIterable<true> {
  return changeFeed(() => services.pubsub.subscribe('impersonation:active'), {
    accept: (event) => event.customerId === customerId,
  });
}
