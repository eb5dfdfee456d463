// Hidden staff-view marks, escalated: the staff view's client reports the start of each incident
// (a mark removed, hidden, moved, covered…), the server records it once (STAFF_VIEW_TAMPERED),
// counts it on the session (tamperIncidents) and publishes the change, so the managers' Active
// sessions list shows it live; at STAFF_VIEW_TAMPER_LIMIT incidents the view ends (TAMPERED). The
// marks are a cue for honest staff, not a security boundary: a client that reports nothing escapes
// this; what binds is the read-only token and the audit.
import { AuditAction, AuditOutcome, type ImpersonationSession } from '@prisma/client';
import { raiseTamperingAlert } from '../alerts/evaluate.ts';
import { publishAlerts } from '../alerts/raise.ts';
import { appendAuditInTransaction, auditRequestContext } from '../audit/chain.ts';
import type { RequestInfo, Services } from '../context.ts';
import { badInput } from '../errors.ts';
import { endSessionInTransaction, publishSessionChange } from '../impersonation/session-end.ts';

/** The marks a staff view keeps on screen. */
export const STAFF_VIEW_MARKS = ['BANNER', 'BORDER', 'WATERMARK'] as const;
/** A mark's name. */
export type StaffViewMark = (typeof STAFF_VIEW_MARKS)[number];

/** How a mark was found hidden: the watchdog's codes (client/src/impersonation/markChecks.ts). */
export const TAMPER_SIGNS = [
  'REMOVED',
  'DISPLAY',
  'VISIBILITY',
  'OPACITY',
  'FILTER',
  'CLIP',
  'TRANSFORM',
  'OFF_SCREEN',
  'SIZE',
  'COLOR',
  'IMAGE',
  'STACKING',
  'COVERED',
] as const;
/** One way a mark was found hidden. */
export type TamperSign = (typeof TAMPER_SIGNS)[number];

/** One incident as the client reports it: which marks, and how. */
export interface TamperReport {
  marks: readonly StaffViewMark[];
  how: readonly TamperSign[];
}

/** What a report did. */
export interface TamperOutcome {
  /** False when it fell within the session's last incident (STAFF_VIEW_TAMPER_GAP_SECONDS) or the view had ended. */
  counted: boolean;
  /** The session's incidents so far. */
  incidents: number;
  /** At this many the view ends. */
  limit: number;
  /** This incident ended the view. */
  ended: boolean;
}

/** The end reason of a view ended for tampering: the staff member's banner and the audit show it. */
export const tamperEndReason = (incidents: number) =>
  `Ended automatically: the staff view's marks were hidden ${incidents === 1 ? 'once' : `${incidents} times`}`;

/** Each value once, in the declared order; at least one. */
function codes<T extends string>(values: readonly T[], declared: readonly T[], what: string): T[] {
  const unique = declared.filter((value) => values.includes(value));
  if (unique.length === 0) throw badInput(`Name at least one ${what}`, { field: what });
  return unique;
}

/**
 * Records one incident of the staff view `session` (the reporter's own): once per incident, the
 * session's row locked so concurrent reports count once; the end, when the limit is reached, commits
 * with it and goes through the lifecycle's end (tokens, record, notice; published after commit).
 */
export async function reportTampering(
  ctx: Services & Partial<RequestInfo>,
  session: Pick<ImpersonationSession, 'id' | 'staffId' | 'customerId'>,
  report: TamperReport,
): Promise<TamperOutcome> {
  const marks = codes(report.marks, STAFF_VIEW_MARKS, 'mark');
  const how = codes(report.how, TAMPER_SIGNS, 'sign');
  const limit = ctx.config.STAFF_VIEW_TAMPER_LIMIT;
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - ctx.config.STAFF_VIEW_TAMPER_GAP_SECONDS * 1000);
  const result = await ctx.prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ tamperIncidents: number; endedAt: Date | null }[]>`
      SELECT "tamperIncidents", "endedAt" FROM "ImpersonationSession" WHERE id = ${session.id} FOR UPDATE`;
    if (!row || row.endedAt)
      return { counted: false, incidents: row?.tamperIncidents ?? 0, changed: null, alert: null };
    const recent = await tx.auditEvent.findFirst({
      where: { sessionId: session.id, action: AuditAction.STAFF_VIEW_TAMPERED, createdAt: { gt: since } },
      select: { id: true },
    });
    if (recent) return { counted: false, incidents: row.tamperIncidents, changed: null, alert: null };
    const counted = await tx.impersonationSession.update({
      where: { id: session.id },
      data: { tamperIncidents: { increment: 1 } },
    });
    const incidents = counted.tamperIncidents;
    await appendAuditInTransaction(tx, {
      action: AuditAction.STAFF_VIEW_TAMPERED,
      outcome: AuditOutcome.DENIED,
      createdAt: now,
      staffId: session.staffId,
      customerId: session.customerId,
      sessionId: session.id,
      reason: `Incident ${incidents} of ${limit}: ${marks.join(', ')} (${how.join(', ')})`,
      ...auditRequestContext(ctx),
    });
    const alert = await raiseTamperingAlert(tx, session, { number: incidents, limit, marks }, now);
    if (incidents < limit) return { counted: true, incidents, changed: counted, alert };
    const end = { state: 'TAMPERED', reason: tamperEndReason(incidents) } as const;
    const ended = await endSessionInTransaction(tx, session.id, end, now, ctx);
    return { counted: true, incidents, changed: ended ?? counted, alert };
  });
  if (result.changed) publishSessionChange(ctx, result.changed);
  publishAlerts(ctx, [result.alert]);
  return {
    counted: result.counted,
    incidents: result.incidents,
    limit,
    ended: result.changed?.endState === 'TAMPERED',
  };
}
