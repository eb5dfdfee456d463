// Legal holds on the audit log (issue 22): a manager keeps a customer's, a staff member's or a time
// range's records (or their intersection) from being dropped with their month. Placing and releasing
// one needs a reason and is audited in the same transaction; which records a hold keeps is one SQL
// predicate (`heldBy`), read by the retention job when it copies a month's held records aside.
import { AuditAction, AuditOutcome, type AuditLegalHold, type Prisma, type PrismaClient } from '@prisma/client';
import { appendAuditInTransaction, type AuditEntry } from '../chain.ts';
import { badInput, conflict, notFound } from '../../errors.ts';
import { REASON_MIN, reasonSchema } from '../../impersonation/policy.ts';

/** A hold's reason, as a start's: read by managers and auditors. */
export const legalHoldReason = reasonSchema(REASON_MIN);

/** What a hold keeps: every given criterion must match (at least one is given). */
export interface LegalHoldScope {
  customerId?: string | null;
  staffId?: string | null;
  fromAt?: Date | null;
  untilAt?: Date | null;
}

/** Who places or releases a hold, and where from (the audit record's fields). */
export interface HoldActor {
  staffId: string;
  now: Date;
  audit: Pick<AuditEntry, 'requestId' | 'ip' | 'userAgent'>;
}

/** SQL: whether the record `alias` is kept by an active hold. */
export const heldBy = (alias: string) => `EXISTS (
  SELECT 1 FROM "AuditLegalHold" hold WHERE hold."releasedAt" IS NULL
     AND (hold."customerId" IS NULL OR hold."customerId" = ${alias}."customerId")
     AND (hold."staffId" IS NULL OR hold."staffId" = ${alias}."staffId")
     AND (hold."fromAt" IS NULL OR ${alias}."createdAt" >= hold."fromAt")
     AND (hold."untilAt" IS NULL OR ${alias}."createdAt" < hold."untilAt"))`;

const scopeOf = (hold: AuditLegalHold) => ({
  holdId: hold.id,
  customerId: hold.customerId,
  staffId: hold.staffId,
  fromAt: hold.fromAt?.toISOString() ?? null,
  untilAt: hold.untilAt?.toISOString() ?? null,
});

/** Places a hold. BAD_USER_INPUT without a criterion, with an empty range or a short reason. */
export async function placeLegalHold(
  prisma: PrismaClient,
  actor: HoldActor,
  scope: LegalHoldScope,
  reasonText: string,
): Promise<AuditLegalHold> {
  const reason = legalHoldReason.safeParse(reasonText);
  if (!reason.success) throw badInput(`Reason: ${reason.error.issues[0]?.message}`, { field: 'reason' });
  if (!scope.customerId && !scope.staffId && !scope.fromAt && !scope.untilAt)
    throw badInput('Name a customer, a staff member or a time range to hold', { field: 'scope' });
  if (scope.fromAt && scope.untilAt && scope.fromAt >= scope.untilAt)
    throw badInput('The range must end after it begins', { field: 'untilAt' });
  return prisma.$transaction(async (tx: Prisma.TransactionClient) => {
    if (scope.customerId && !(await tx.customer.findUnique({ where: { id: scope.customerId } })))
      throw notFound('Customer');
    if (scope.staffId && !(await tx.staff.findUnique({ where: { id: scope.staffId } }))) throw notFound('Staff member');
    const hold = await tx.auditLegalHold.create({
      data: {
        customerId: scope.customerId ?? null,
        staffId: scope.staffId ?? null,
        fromAt: scope.fromAt ?? null,
        untilAt: scope.untilAt ?? null,
        reason: reason.data,
        placedByStaffId: actor.staffId,
        placedAt: actor.now,
      },
    });
    await appendAuditInTransaction(tx, {
      action: AuditAction.AUDIT_LEGAL_HOLD_PLACED,
      outcome: AuditOutcome.ALLOWED,
      createdAt: actor.now,
      staffId: actor.staffId,
      customerId: hold.customerId,
      reason: hold.reason,
      seen: { legalHold: scopeOf(hold) },
      ...actor.audit,
    });
    return hold;
  });
}

/** Releases an active hold: its records go with their month (at the next maintenance run). */
export async function releaseLegalHold(
  prisma: PrismaClient,
  actor: HoldActor,
  holdId: string,
  reasonText: string,
): Promise<AuditLegalHold> {
  const reason = legalHoldReason.safeParse(reasonText);
  if (!reason.success) throw badInput(`Reason: ${reason.error.issues[0]?.message}`, { field: 'reason' });
  return prisma.$transaction(async (tx: Prisma.TransactionClient) => {
    const { count } = await tx.auditLegalHold.updateMany({
      where: { id: holdId, releasedAt: null },
      data: { releasedAt: actor.now, releasedByStaffId: actor.staffId, releaseReason: reason.data },
    });
    const hold = await tx.auditLegalHold.findUnique({ where: { id: holdId } });
    if (!hold) throw notFound('Legal hold');
    if (count === 0) throw conflict('This legal hold was released already');
    await appendAuditInTransaction(tx, {
      action: AuditAction.AUDIT_LEGAL_HOLD_RELEASED,
      outcome: AuditOutcome.ALLOWED,
      createdAt: actor.now,
      staffId: actor.staffId,
      customerId: hold.customerId,
      reason: reason.data,
      seen: { legalHold: scopeOf(hold) },
      ...actor.audit,
    });
    return hold;
  });
}
