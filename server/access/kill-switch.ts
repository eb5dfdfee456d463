// The salon-wide kill switch (SPEC 7): a manager turns staff views off, with a reason, and every
// session still running on any instance ends at once (STAFF_VIEWS_DISABLED: banners told why,
// sockets closed, through the lifecycle's own end); starts are refused with IMPERSONATION_DISABLED
// until a manager turns them back on (the switch's stored position and that refusal:
// staff-views.ts); turning them back on is a governance change, which needs a second manager
// (access/governance.ts). A change is published so admin screens follow it live.
import { AuditAction, AuditOutcome, type Prisma, type SalonSettings } from '@prisma/client';
import { appendAuditInTransaction, auditRequestContext, type AuditEntry } from '../audit/chain.ts';
import type { RequestInfo, Services, StaffContext } from '../context.ts';
import { conflict } from '../errors.ts';
import { endSessions } from '../impersonation/lifecycle.ts';
import { reasonSchema, unendedSessionWhere } from '../impersonation/policy.ts';
import { changeFeed } from '../impersonation/feeds.ts';
import { SETTINGS_ID } from './staff-views.ts';

/**
 * A reason to turn staff views off, shown on every banner it ends, to managers and in the audit;
 * never to a customer, whose notice says only that the salon turned staff views off.
 */
export const DISABLE_REASON_MIN = 3;
/** The reason to turn staff views off: 3 to 500 visible characters. */
export const disableReason = reasonSchema(DISABLE_REASON_MIN);
/** The end reason of a session ended by the kill switch (staff and audit only): the manager's reason, said as such. */
export const killSwitchEndReason = (reason: string) => `Staff views were turned off salon-wide: ${reason}`;

/** One position of the switch, who set it and why, saved with its audit record. */
export interface StaffViewsSwitch {
  enabled: boolean;
  reason: string | null;
  byStaffId: string;
  now: Date;
  /** The manager's request (and, turned on, both managers' names: governance.ts). */
  audit: Pick<AuditEntry, 'requestId' | 'ip' | 'userAgent' | 'seen'>;
}

/**
 * Saves the switch's position and its audit record in the caller's transaction. CONFLICT when it
 * is already in that position. Turning staff views back on is a governance change: only an
 * approved request (access/governance.ts) calls this with `enabled`.
 */
export async function saveStaffViewsSwitch(
  tx: Prisma.TransactionClient,
  change: StaffViewsSwitch,
): Promise<SalonSettings> {
  const data = {
    staffViewsEnabled: change.enabled,
    staffViewsReason: change.reason,
    staffViewsChangedAt: change.now,
    staffViewsChangedById: change.byStaffId,
  };
  const { count } = await tx.salonSettings.updateMany({
    where: { id: SETTINGS_ID, staffViewsEnabled: !change.enabled },
    data,
  });
  if (count === 0) {
    const existing = await tx.salonSettings.findUnique({ where: { id: SETTINGS_ID } });
    if (existing || change.enabled) throw conflict(`Staff views are already ${change.enabled ? 'on' : 'off'}`);
    await tx.salonSettings.create({ data: { id: SETTINGS_ID, ...data } });
  }
  await appendAuditInTransaction(tx, {
    action: change.enabled ? AuditAction.STAFF_VIEWS_ENABLED : AuditAction.STAFF_VIEWS_DISABLED,
    outcome: AuditOutcome.ALLOWED,
    createdAt: change.now,
    staffId: change.byStaffId,
    reason: change.reason,
    ...change.audit,
  });
  return tx.salonSettings.findUniqueOrThrow({ where: { id: SETTINGS_ID } });
}

/** Tells every instance's admin screens that the switch moved. */
export function publishStaffViewsSwitch(services: Pick<Services, 'pubsub'>, enabled: boolean): void {
  services.pubsub.publish('salon:staff-views', { enabled });
}

/**
 * The manager of `ctx` turns staff views off salon-wide. The row and its audit record commit
 * together; then every session not yet ended ends, each with its own end record (naming the
 * manager and their request). CONFLICT when they are off already.
 * @returns the settings after the change and how many sessions it ended.
 */
export async function turnOffStaffViews(
  ctx: StaffContext,
  reason: string,
): Promise<{ settings: SalonSettings; endedSessions: number }> {
  const services: Services = ctx;
  const byStaffId = ctx.actor.id;
  const now = services.clock.now();
  const settings = await services.prisma.$transaction((tx) =>
    saveStaffViewsSwitch(tx, { enabled: false, reason, byStaffId, now, audit: auditRequestContext(ctx) }),
  );
  publishStaffViewsSwitch(services, false);
  const running = await services.prisma.impersonationSession.findMany({
    where: unendedSessionWhere,
    select: { id: true },
  });
  return { settings, endedSessions: await endAsSwitchedOff(ctx, running, { reason, byStaffId }) };
}

/**
 * Ends these sessions as the kill switch does; how many it ended (not ended already). Their end
 * records name the request of `ctx` (the manager's), or none for the services alone (the sweeper).
 */
async function endAsSwitchedOff(
  ctx: Services & Partial<RequestInfo>,
  sessions: { id: string }[],
  switched: { reason: string | null; byStaffId: string | null },
): Promise<number> {
  const end = {
    state: 'STAFF_VIEWS_DISABLED',
    reason: killSwitchEndReason(switched.reason ?? ''),
    byStaffId: switched.byStaffId,
  } as const;
  return endSessions(ctx, sessions, end);
}

/**
 * The switch's catch-up, run by every instance's sweeper: while staff views are off, ends the
 * sessions the switch did not reach (its process stopped between saving the switch and ending
 * them, or an end failed). So no staff view outlives the switch by more than one sweep, whichever
 * instance survives. The switch and the sessions are read in one statement (one snapshot): no start
 * commits while staff views are off, so every session it lists was running when they were turned
 * off, even if a manager turns them back on meanwhile. Costs one statement per sweep. Given the
 * services alone (no request), its end records name the manager who switched and no request.
 */
export async function endSessionsWhileStaffViewsOff(services: Services): Promise<number> {
  const running = await services.prisma.$queryRaw<{ id: string; reason: string | null; byStaffId: string | null }[]>`
    SELECT session.id, settings."staffViewsReason" AS reason, settings."staffViewsChangedById" AS "byStaffId"
      FROM "ImpersonationSession" session
      JOIN "SalonSettings" settings ON settings.id = ${SETTINGS_ID} AND NOT settings."staffViewsEnabled"
     WHERE session."endedAt" IS NULL`;
  if (running.length === 0) return 0;
  const { reason, byStaffId } = running[0]!;
  return endAsSwitchedOff(services, running, { reason, byStaffId });
}

/**
 * The switch's position for admin screens: now, then again whenever a manager on any instance
 * changes it. Before each push after the first it asks `mayStillWatch` and ends when the answer is no.
 */
export function staffViewsStream(services: Services, mayStillWatch: () => Promise<boolean>): AsyncIterable<true> {
  return changeFeed(() => services.pubsub.subscribe('salon:staff-views'), { mayStillWatch });
}
