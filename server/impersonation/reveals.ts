// Reveals (SPEC 10): a staff view opens one masked field of one record for the rest of the view, with
// a reason the customer reads in her access log. The rules: the field's section must be in the view's
// scope, the record must be hers, the reason follows the start's rule, and a view reveals at most
// STAFF_VIEW_REVEALS_PER_SESSION fields. The row and its audit record are written in one transaction.
import { LRUCache } from 'lru-cache';
import {
  AuditAction,
  AuditOutcome,
  type ImpersonationSession,
  type PrismaClient,
  type StaffViewMaskedField,
  type StaffViewReveal,
} from '@prisma/client';
import { appendAuditInTransaction, auditRequestContext } from '../audit/chain.ts';
import type { RequestInfo, Services } from '../context.ts';
import { batchReader, perContext } from '../db/batch-reader.ts';
import { ErrorCode, appError, badInput, notFound } from '../errors.ts';
import { outsideScope, scopeAllows } from '../schema/section-scope-plugin.ts';
import { STAFF_MASKS, type StaffMask } from '../schema/staff-masks.ts';
import { REASON_MAX, REASON_MIN, startReason } from './policy.ts';

/** Refinement of RATE_LIMITED for a view that has revealed all it may (extensions.reason). */
export const REVEAL_LIMIT_REACHED = 'REVEAL_LIMIT_REACHED';

/** The key of one revealed field of one record. */
export const revealKey = (field: StaffViewMaskedField, recordId: string) => `${field}:${recordId}`;

/** The fields a view has revealed, as revealKey()s. */
export async function loadReveals(prisma: Pick<PrismaClient, 'staffViewReveal'>, sessionId: string) {
  const rows = await prisma.staffViewReveal.findMany({ where: { sessionId }, select: { field: true, recordId: true } });
  return new Set(rows.map((row) => revealKey(row.field, row.recordId)));
}

/**
 * Each live view's reveals as last read, so a page of a view costs no reveal statement (most views
 * reveal nothing). A reveal drops its view's entry on the instance that wrote it, at once, and on
 * every other through the session's change event (yoga.ts); until then another instance masks what
 * was just revealed, never the other way round: a stale entry can only hide more.
 */
const revealsCached = new LRUCache<string, Promise<Set<string>>>({ max: 10_000, ttl: 60_000 });

/** The value of each read that has arrived, so a masked field can be decided without a promise. */
const settledReads = new WeakMap<Promise<Set<string>>, Set<string>>();

/** The reveals a read brought, once it has arrived (undefined before). */
export function settledReveals(read: Promise<Set<string>>): Set<string> | undefined {
  return settledReads.get(read);
}

/** The view's reveals, from this process's cache or read once. */
export function cachedReveals(prisma: Pick<PrismaClient, 'staffViewReveal'>, sessionId: string): Promise<Set<string>> {
  let reveals = revealsCached.get(sessionId);
  if (!reveals) {
    const read = loadReveals(prisma, sessionId);
    reveals = read;
    revealsCached.set(sessionId, read);
    read.then(
      (set) => void settledReads.set(read, set),
      // A failed read is not kept.
      () => void revealsCached.delete(sessionId),
    );
  }
  return reveals;
}

/** Drops a view's cached reveals (it revealed a field, here or on another instance). */
export function forgetReveals(sessionId: string): void {
  revealsCached.delete(sessionId);
}

type Db = Pick<PrismaClient, 'pet' | 'paymentMethod' | 'invoice' | 'message' | 'customer'>;

/**
 * The names of records of one type the customer reads a reveal by ("Biscuit", "Visa card",
 * "INV-1010", the message's date), by id; records that are not hers (or gone) are absent.
 */
async function recordNames(
  prisma: Db,
  type: StaffMask['type'],
  customerId: string,
  ids: string[],
): Promise<Map<string, string>> {
  const where = { id: { in: ids }, customerId };
  switch (type) {
    case 'Pet':
      return new Map(
        (await prisma.pet.findMany({ where, select: { id: true, name: true } })).map((r) => [r.id, r.name]),
      );
    case 'PaymentMethod':
      return new Map(
        (await prisma.paymentMethod.findMany({ where, select: { id: true, brand: true } })).map((r) => [
          r.id,
          `${r.brand} card`,
        ]),
      );
    case 'Invoice':
      return new Map(
        (await prisma.invoice.findMany({ where, select: { id: true, number: true } })).map((r) => [r.id, r.number]),
      );
    case 'Message':
      return new Map(
        (await prisma.message.findMany({ where, select: { id: true, sentAt: true } })).map((r) => [
          r.id,
          r.sentAt.toISOString().slice(0, 10),
        ]),
      );
    case 'Customer':
      return new Map(ids.includes(customerId) ? [[customerId, 'you']] : []);
  }
}

/** What one reveal showed, in the customer's words: "the health alerts of Biscuit (her reason)". */
export interface RevealWords {
  field: StaffViewMaskedField;
  recordId: string;
  reason: string;
  /** "the health alerts of Biscuit" (a record deleted since: "… of a record since deleted"). */
  what: string;
}

/** One reveal to put in words: which field of which record of whose account. */
export interface RevealFacts {
  customerId: string;
  field: StaffViewMaskedField;
  recordId: string;
}

/**
 * What each reveal showed, in the customer's words ("the health alerts of Biscuit"; a record deleted
 * since: "… of a record since deleted"), in the order given: her access log and her history read the same.
 */
export async function revealedWords(prisma: Db, reveals: readonly RevealFacts[]): Promise<string[]> {
  const names = new Map<string, string>();
  const groups = new Map<string, RevealFacts[]>();
  for (const reveal of reveals) {
    const key = `${STAFF_MASKS[reveal.field].type}:${reveal.customerId}`;
    groups.set(key, [...(groups.get(key) ?? []), reveal]);
  }
  for (const group of groups.values()) {
    const { type } = STAFF_MASKS[group[0]!.field];
    const customerId = group[0]!.customerId;
    const found = await recordNames(prisma, type, customerId, [...new Set(group.map((reveal) => reveal.recordId))]);
    for (const [id, name] of found) names.set(`${type}:${customerId}:${id}`, name);
  }
  return reveals.map((reveal) => {
    const mask = STAFF_MASKS[reveal.field];
    return mask.words.replace(
      '{name}',
      names.get(`${mask.type}:${reveal.customerId}:${reveal.recordId}`) ?? 'a record since deleted',
    );
  });
}

/** The reveals of these sessions, oldest first, in their customers' words; every session asked for is present. */
export async function revealsInWords(
  prisma: Db & Pick<PrismaClient, 'staffViewReveal'>,
  sessionIds: readonly string[],
): Promise<Map<string, RevealWords[]>> {
  const rows = await prisma.staffViewReveal.findMany({
    where: { sessionId: { in: [...sessionIds] } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    include: { session: { select: { customerId: true } } },
  });
  const words = await revealedWords(
    prisma,
    rows.map((row) => ({ customerId: row.session.customerId, field: row.field, recordId: row.recordId })),
  );
  const bySession = new Map<string, RevealWords[]>(sessionIds.map((id) => [id, []]));
  for (const [i, row] of rows.entries()) {
    const { field, recordId, reason } = row;
    bySession.get(row.sessionId)?.push({ field, recordId, reason, what: words[i]! });
  }
  return bySession;
}

/** A session's reveals in words: batched per tick, cached for the reader's lifetime (one per context). */
export const revealsOf = perContext((ctx: { prisma: Db & Pick<PrismaClient, 'staffViewReveal'> }) =>
  batchReader((sessionIds: string[]) => revealsInWords(ctx.prisma, sessionIds)),
);

/** What a reveal needs of the request: the services, where it came from, and the view. */
export type RevealContext = Services &
  RequestInfo & { impersonation: Pick<ImpersonationSession, 'id' | 'staffId' | 'customerId' | 'scope'> };

/**
 * Reveals `field` of record `recordId` for the rest of the view. Revealing the same field of the same
 * record again returns the first reveal (one row, one record, counted once).
 */
export async function revealStaffViewField(
  ctx: RevealContext,
  field: StaffViewMaskedField,
  recordId: string,
  reason: string,
): Promise<StaffViewReveal> {
  const view = ctx.impersonation;
  const mask = STAFF_MASKS[field];
  if (!scopeAllows(view.scope, mask.section)) throw outsideScope(mask.section);
  const parsed = startReason.safeParse(reason);
  if (!parsed.success) {
    throw badInput(`reason: ${REASON_MIN} to ${REASON_MAX} characters, with at least ${REASON_MIN} letters or digits`);
  }
  const names = await recordNames(ctx.prisma, mask.type, view.customerId, [recordId]);
  if (!names.has(recordId)) throw notFound('Record');
  const now = ctx.clock.now();
  const revealed = await ctx.prisma.$transaction(async (tx) => {
    // One reveal at a time per view: the count below cannot be raced past the limit.
    await tx.$queryRaw`SELECT id FROM "ImpersonationSession" WHERE id = ${view.id} FOR UPDATE`;
    const existing = await tx.staffViewReveal.findUnique({
      where: { sessionId_field_recordId: { sessionId: view.id, field, recordId } },
    });
    if (existing) return existing;
    const made = await tx.staffViewReveal.count({ where: { sessionId: view.id } });
    if (made >= ctx.config.STAFF_VIEW_REVEALS_PER_SESSION) {
      throw appError(
        ErrorCode.RateLimited,
        `This view has revealed ${made} fields, its limit: start a new view with its own reason to reveal more`,
        { reason: REVEAL_LIMIT_REACHED },
      );
    }
    const reveal = await tx.staffViewReveal.create({
      data: { sessionId: view.id, field, recordId, reason: parsed.data, createdAt: now },
    });
    await appendAuditInTransaction(tx, {
      action: AuditAction.STAFF_VIEW_FIELD_REVEALED,
      outcome: AuditOutcome.ALLOWED,
      createdAt: now,
      staffId: view.staffId,
      customerId: view.customerId,
      sessionId: view.id,
      reason: parsed.data,
      seen: { reveal: { field, record: `${mask.type}:${recordId}`, reason: parsed.data } },
      ...auditRequestContext(ctx),
    });
    return reveal;
  });
  // This instance's next page shows it; the others drop their entry on the change event.
  forgetReveals(view.id);
  ctx.pubsub.publish('impersonation:active', {
    sessionId: view.id,
    staffId: view.staffId,
    customerId: view.customerId,
    ended: false,
  });
  return revealed;
}
