// What her history tells of a staff view besides its pages (audit/customer-history.ts), from the
// view's own audit records: each field it revealed (STAFF_VIEW_FIELD_REVEALED: what, in her words,
// and the reason she is shown in her access log) and, for an emergency access, its review by another
// manager (BREAK_GLASS_REVIEWED: the decision and who, never the note) and its escalation
// (BREAK_GLASS_ESCALATED). Words from notifications/customer-texts.ts and impersonation/reveals.ts.
import { AuditAction, AuditOutcome, type BreakGlassDecision, type PrismaClient } from '@prisma/client';
import { revealedWords, type RevealFacts } from '../impersonation/reveals.ts';
import { emergencyEscalatedWords, emergencyReviewWords } from '../notifications/customer-texts.ts';
import { STAFF_MASKS } from '../schema/staff-masks.ts';

/** One reveal of a view: when, what it showed in her words, and the reason given. */
export interface HistoryReveal {
  at: Date;
  what: string;
  reason: string;
}

/** What happened after an emergency access, in her words: its review, its escalation. */
export interface HistoryFollowUp {
  at: Date;
  what: string;
}

/** One view's reveals and emergency follow-ups, oldest first. */
export interface HistoryEvents {
  reveals: HistoryReveal[];
  followUps: HistoryFollowUp[];
}

const ACTIONS = [
  AuditAction.STAFF_VIEW_FIELD_REVEALED,
  AuditAction.BREAK_GLASS_REVIEWED,
  AuditAction.BREAK_GLASS_ESCALATED,
];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The field and record a reveal's record names (`seen.reveal`: reveals.ts), or null when it names none. */
function revealOf(seen: unknown, customerId: string): (RevealFacts & { reason: unknown }) | null {
  const reveal = isObject(seen) ? seen.reveal : null;
  if (!isObject(reveal) || typeof reveal.field !== 'string' || typeof reveal.record !== 'string') return null;
  if (!Object.hasOwn(STAFF_MASKS, reveal.field)) return null;
  const field = reveal.field as keyof typeof STAFF_MASKS;
  const prefix = `${STAFF_MASKS[field].type}:`;
  if (!reveal.record.startsWith(prefix)) return null;
  return { customerId, field, recordId: reveal.record.slice(prefix.length), reason: reveal.reason };
}

/** The decision a review's record names (`seen.change.after.decision`: break-glass.ts). */
function decisionOf(seen: unknown): BreakGlassDecision | null {
  const change = isObject(seen) ? seen.change : null;
  const after = isObject(change) ? change.after : null;
  const decision = isObject(after) ? after.decision : null;
  return decision === 'APPROVE' || decision === 'FLAG' ? decision : null;
}

/** The reveals and emergency follow-ups of these views of hers, every view asked for present. */
export async function historyEventsOf(
  prisma: Pick<PrismaClient, 'auditEvent' | 'staff' | 'pet' | 'paymentMethod' | 'invoice' | 'message' | 'customer'>,
  customerId: string,
  sessionIds: readonly string[],
  salonName: string,
): Promise<Map<string, HistoryEvents>> {
  const events = new Map<string, HistoryEvents>(sessionIds.map((id) => [id, { reveals: [], followUps: [] }]));
  if (sessionIds.length === 0) return events;
  const records = await prisma.auditEvent.findMany({
    where: {
      sessionId: { in: [...sessionIds] },
      customerId,
      action: { in: ACTIONS },
      outcome: AuditOutcome.ALLOWED,
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { sessionId: true, action: true, createdAt: true, staffId: true, reason: true, seen: true },
  });

  const reveals = records.flatMap((record) => {
    if (record.action !== AuditAction.STAFF_VIEW_FIELD_REVEALED) return [];
    const reveal = revealOf(record.seen, customerId);
    return reveal ? [{ record, reveal }] : [];
  });
  const words = await revealedWords(
    prisma,
    reveals.map(({ reveal }) => reveal),
  );
  for (const [i, { record, reveal }] of reveals.entries()) {
    const reason = typeof reveal.reason === 'string' ? reveal.reason : (record.reason ?? '');
    events.get(record.sessionId!)!.reveals.push({ at: record.createdAt, what: words[i]!, reason });
  }

  const reviewerIds = records.flatMap((record) =>
    record.action === AuditAction.BREAK_GLASS_REVIEWED && record.staffId ? [record.staffId] : [],
  );
  const reviewers = new Map(
    reviewerIds.length === 0
      ? []
      : (
          await prisma.staff.findMany({
            where: { id: { in: [...new Set(reviewerIds)] } },
            select: { id: true, name: true },
          })
        ).map((staff) => [staff.id, staff.name]),
  );
  for (const record of records) {
    const followUps = events.get(record.sessionId!)!.followUps;
    if (record.action === AuditAction.BREAK_GLASS_ESCALATED) {
      followUps.push({ at: record.createdAt, what: emergencyEscalatedWords(salonName) });
    } else if (record.action === AuditAction.BREAK_GLASS_REVIEWED) {
      const decision = decisionOf(record.seen);
      const reviewer = record.staffId ? (reviewers.get(record.staffId) ?? null) : null;
      if (decision) followUps.push({ at: record.createdAt, what: emergencyReviewWords(decision, reviewer, salonName) });
    }
  }
  return events;
}
