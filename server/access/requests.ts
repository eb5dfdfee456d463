// Access requests (SPEC 7): the gate a start passes through. A start on an ask-first customer
// without a live grant, or on a protected customer without a second manager's approval, becomes a
// request (staff, reason, ACCESS_REQUEST_MINUTES) instead of a session; the customer is told by a
// portal message, an email without links (REQUESTED, through the outbox) and a live push, all from
// the salon (notifications/request-notice.ts). Approved requests are used once, by the start they allow. Expiries are
// recorded by the sweeper. Every change commits with its audit record, then is published. A staff
// member the customer blocked (her Stop, her "no") passes no gate: no start, no request, no approval.
import { AuditAction, AuditOutcome, type AccessRequest, type Prisma, type Staff } from '@prisma/client';
import { appendAuditInTransaction, auditRequestContext, type AuditEntry } from '../audit/chain.ts';
import type { Services, StaffContext } from '../context.ts';
import { ErrorReason, conflict } from '../errors.ts';
import { enqueueRequestNotice } from '../notifications/outbox.ts';
import { requestFacts, requestMessageOf } from '../notifications/request-notice.ts';
import { lockRow } from '../db/row-locks.ts';
import { isWithin, sameScope, type CheckedScope, type Scope } from '../impersonation/scope.ts';
import {
  coveringGrantWhere,
  customerWordsOf,
  dueRequestWhere,
  liveBlockWhere,
  staffViewBlocked,
  gateOpen,
  openRequestWhere,
  requestExpiry,
  startGate,
  accessRequestState,
} from './policy.ts';

/** Appends an allowed record of a consent or approval change, in the caller's transaction. */
export function recordAccessChange(
  tx: Prisma.TransactionClient,
  entry: Omit<AuditEntry, 'outcome' | 'seen'> & { change?: { target: string; before?: unknown; after?: unknown } },
): Promise<bigint> {
  const { change, ...rest } = entry;
  return appendAuditInTransaction(tx, {
    outcome: AuditOutcome.ALLOWED,
    ...rest,
    seen: change ? ({ change } as Prisma.InputJsonValue) : null,
  });
}

/** Tells the requester's dialog, the managers' approvals list and the customer's portal. */
export function publishRequestChange(services: Pick<Services, 'pubsub'>, request: AccessRequest): void {
  services.pubsub.publish('access:request', {
    requestId: request.id,
    staffId: request.staffId,
    customerId: request.customerId,
  });
  publishCustomerAccessChange(services, request.customerId);
}

/** Tells the customer's open portal that its staff-access section changed. */
export function publishCustomerAccessChange(services: Pick<Services, 'pubsub'>, customerId: string): void {
  services.pubsub.publish('access:customer', customerId, { customerId });
}

/**
 * Refuses (FORBIDDEN, STAFF_VIEW_BLOCKED) while the customer blocks this staff member: every start,
 * request and second approval asks here, in its transaction when it writes (`db`). The block's
 * writers lock the customer's row first; so does a request's creation, so the two never cross.
 */
export async function assertNotBlocked(
  db: Pick<Prisma.TransactionClient, 'staffViewBlock'>,
  who: { staffId: string; customerId: string },
  now: Date,
): Promise<void> {
  const block = await db.staffViewBlock.findFirst({
    where: { staffId: who.staffId, customerId: who.customerId, ...liveBlockWhere(now) },
    orderBy: { until: 'desc' },
    include: { session: { select: { endState: true, endReason: true } } },
  });
  if (block) throw staffViewBlocked(block, block.session ? customerWordsOf(block.session) : null);
}

/**
 * The gate once more, inside the start's transaction once the customer's row is held (FOR SHARE,
 * impersonation/people-locks.ts): her Stop, her "no", a revoked grant, a change of preference or of
 * protection committed since the gate's first read closes it (CONFLICT, ACCESS_CHANGED). Every one
 * of those writers locks her row first, so a start never commits on a yes she has taken back.
 */
export async function assertGateStillOpen(
  tx: Prisma.TransactionClient,
  who: { customerId: string; scope: Scope },
  approval: Pick<AccessRequest, 'managerApprovedAt'> | null,
  now: Date,
): Promise<void> {
  const customer = await tx.customer.findUniqueOrThrow({
    where: { id: who.customerId },
    select: { staffAccess: true, protected: true },
  });
  const liveGrant = await tx.accessGrant.findFirst({
    where: { customerId: who.customerId, ...coveringGrantWhere(now, who.scope) },
    select: { id: true },
  });
  const gate = startGate({
    customer,
    hasLiveGrant: liveGrant !== null,
    hasManagerApproval: approval?.managerApprovedAt != null,
  });
  if (!gateOpen(gate)) {
    throw conflict('The customer’s permission changed meanwhile: start again', { reason: ErrorReason.AccessChanged });
  }
}

/** What the gate decided for one start. */
export type GateDecision =
  { open: true; approval: AccessRequest | null } | { open: false; request: AccessRequest; created: boolean };

type Start = { customerId: string; reason: string; scope: CheckedScope; ticket: string | null };

/**
 * The open requests of this very start (same staff, customer and reason): the approved one (or one
 * a second manager approved while the customer's part is settled by a grant) whose scope holds the
 * start's (a wider start is a new request), and the pending one of the same scope.
 */
function approvedRequest(services: Services, staffId: string, start: Start, now: Date) {
  return services.prisma.accessRequest
    .findMany({
      where: { staffId, customerId: start.customerId, reason: start.reason, ...openRequestWhere(now) },
      orderBy: { createdAt: 'desc' },
    })
    .then((all) => {
      const open = all.filter((request) => isWithin(start.scope.scope, request.scope));
      return {
        approved:
          open.find((request) => accessRequestState(request, now) === 'APPROVED') ??
          open.find((request) => request.managerApprovedAt !== null) ??
          null,
        pending:
          all.find((request) => accessRequestState(request, now) === 'PENDING' && sameScope(request, start.scope)) ??
          null,
      };
    });
}

/**
 * Decides whether a start by the manager of `ctx` may go ahead. If not, returns the pending request
 * of the same start, or creates one (with its audit record and the customer's portal message) and
 * publishes it.
 */
export async function passStartGate(
  ctx: StaffContext<Pick<Staff, 'id' | 'name'>>,
  start: Start,
): Promise<GateDecision> {
  const services: Services = ctx;
  const { actor } = ctx;
  const now = services.clock.now();
  const who = { staffId: actor.id, customerId: start.customerId };
  await assertNotBlocked(services.prisma, who, now);
  const [customer, liveGrant, requests] = await Promise.all([
    services.prisma.customer.findUniqueOrThrow({
      where: { id: start.customerId },
      select: { staffAccess: true, protected: true, name: true, email: true, timeZone: true },
    }),
    services.prisma.accessGrant.findFirst({
      where: { customerId: start.customerId, ...coveringGrantWhere(now, start.scope.scope) },
      select: { id: true },
    }),
    approvedRequest(services, actor.id, start, now),
  ]);
  const gate = startGate({
    customer,
    hasLiveGrant: liveGrant !== null,
    hasManagerApproval: requests.approved?.managerApprovedAt != null,
  });
  if (gateOpen(gate)) return { open: true, approval: requests.approved };
  const pending = requests.pending;
  if (pending && pending.needsCustomer === gate.needsCustomer && pending.needsManager === gate.needsManager) {
    return { open: false, request: pending, created: false };
  }
  const created = await services.prisma.$transaction(async (tx) => {
    await lockRow(tx, 'Customer', start.customerId);
    await assertNotBlocked(tx, who, now);
    const row = await tx.accessRequest.create({
      data: {
        staffId: actor.id,
        customerId: start.customerId,
        reason: start.reason,
        scope: start.scope.scope,
        scopeNeed: start.scope.need,
        ticket: start.ticket,
        needsCustomer: gate.needsCustomer,
        needsManager: gate.needsManager,
        createdAt: now,
        expiresAt: requestExpiry(now, services.config),
      },
    });
    await recordAccessChange(tx, {
      action: AuditAction.ACCESS_REQUEST_CREATED,
      createdAt: now,
      staffId: actor.id,
      customerId: start.customerId,
      reason: start.reason,
      change: {
        target: `AccessRequest:${row.id}`,
        after: { needsCustomer: row.needsCustomer, needsManager: row.needsManager, scope: row.scope },
      },
      ...auditRequestContext(ctx),
    });
    if (gate.needsCustomer) {
      // From the salon, like every notice: the message names the staff member, its sender does not.
      const facts = requestFacts(row, { id: start.customerId, ...customer }, actor.name, services.config);
      await tx.message.create({
        data: { customerId: start.customerId, sender: 'SALON', sentAt: now, body: requestMessageOf(facts) },
      });
      await enqueueRequestNotice(tx, row.id, now);
    }
    return row;
  });
  publishRequestChange(services, created);
  return { open: false, request: created, created: true };
}

/**
 * Uses an approved request for the session it allowed, once (inside the start's transaction): a
 * second start with the same approval finds it used and fails with CONFLICT.
 */
export async function useApproval(
  tx: Prisma.TransactionClient,
  approval: AccessRequest,
  sessionId: string,
  now: Date,
): Promise<void> {
  const { count } = await tx.accessRequest.updateMany({
    where: { id: approval.id, sessionId: null, declinedAt: null, expiresAt: { gt: now } },
    data: { sessionId },
  });
  if (count === 0) throw conflict('This approval was already used or has expired; ask again');
}

/** Records the expiry of every request past its time (the sweeper); returns how many. */
export async function expireDueAccessRequests(services: Services): Promise<number> {
  const now = services.clock.now();
  const due = await services.prisma.accessRequest.findMany({ where: dueRequestWhere(now), select: { id: true } });
  let expired = 0;
  for (const { id } of due) {
    const row = await services.prisma.$transaction(async (tx) => {
      const { count } = await tx.accessRequest.updateMany({
        where: { id, ...dueRequestWhere(now) },
        data: { expiredAt: now },
      });
      if (count === 0) return null;
      const updated = await tx.accessRequest.findUniqueOrThrow({ where: { id } });
      await recordAccessChange(tx, {
        action: AuditAction.ACCESS_REQUEST_EXPIRED,
        createdAt: now,
        staffId: updated.staffId,
        customerId: updated.customerId,
        reason: updated.reason,
        change: { target: `AccessRequest:${id}`, after: { state: 'EXPIRED' } },
      });
      return updated;
    });
    if (row) {
      expired += 1;
      publishRequestChange(services, row);
    }
  }
  return expired;
}
