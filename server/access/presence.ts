// Live presence (SPEC 7): while staff view a customer's account, the customer's own portal shows
// who and why, and may stop the view at once (STOPPED_BY_CUSTOMER, with the customer's words, if
// any, as the recorded reason). The end goes through the lifecycle like every other end: the
// staff member's banner is told, their sockets close, on every instance.
import type { Prisma } from '@prisma/client';
import type { CustomerContext, Services } from '../context.ts';
import { conflict, notFound } from '../errors.ts';
import { endImpersonation } from '../impersonation/lifecycle.ts';
import { REASON_MAX, isLive, liveSessionWhere } from '../impersonation/policy.ts';
import { z } from 'zod';
import { changeFeed } from '../impersonation/feeds.ts';

/** The recorded reason when the customer stops a view without saying why. */
export const CUSTOMER_STOP_REASON = 'Stopped by the customer';
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

/**
 * Ends a session viewing the customer of `ctx` at their request. NOT_FOUND for a session of
 * another customer (whether it exists is not the customer's business), CONFLICT once it has ended.
 */
export async function stopStaffView(
  ctx: CustomerContext,
  input: { sessionId: string; words?: string | null },
): Promise<void> {
  const session = await ctx.prisma.impersonationSession.findFirst({
    where: { id: input.sessionId, customerId: ctx.customer.id },
  });
  if (!session) throw notFound('Staff view');
  const reason = input.words?.trim() || CUSTOMER_STOP_REASON;
  const ended =
    isLive(session, ctx.clock.now()) &&
    (await endImpersonation(ctx, session.id, { state: 'STOPPED_BY_CUSTOMER', reason }));
  if (!ended) throw conflict('This staff view has already ended');
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
