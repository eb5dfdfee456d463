// Where the alert rules are checked: after a staff view's start commits (views per hour, outside
// business hours, a protected customer), in the transaction of a tampering incident, after refused
// attempts of a staff view are recorded, and by each instance's periodic check (a stalled checkpoint
// writer, a lagging SIEM stream; checks.ts). Each occurrence raises at most one alert: its dedupe
// key names it (the manager and clock hour, the session, the stall), so a repeat or a concurrent
// check on another instance adds nothing.
import { AuditAction, AuditOutcome, type ImpersonationSession, type Prisma } from '@prisma/client';
import type { AuditEntry } from '../audit/chain.ts';
import type { Services } from '../context.ts';
import { publishAlerts, raiseAlert } from './raise.ts';
import { loadRule, loadRules } from './rules.ts';

const HOUR_MS = 3_600_000;

/** Minutes after midnight of `date` on the clocks of `timeZone`. */
export function localMinutes(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(date)
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {});
  return Number(parts.hour) * 60 + Number(parts.minute);
}

/** Whether `minute` (after midnight) is within business hours [start, end); hours may pass midnight. */
export function withinHours(minute: number, start: number, end: number): boolean {
  if (start === end) return true;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/** `HH:MM` of minutes after midnight. */
export const clockTime = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/**
 * After a staff view's start committed: too many views by its staff member in this clock hour, a
 * start outside business hours (salon time zone), a protected customer. Published when raised.
 */
export async function raiseStartAlerts(
  services: Pick<Services, 'prisma' | 'pubsub' | 'config'>,
  session: Pick<ImpersonationSession, 'id' | 'staffId' | 'customerId' | 'startedAt'>,
): Promise<string[]> {
  const zone = services.config.SALON_TIME_ZONE ?? 'UTC';
  const raised = await services.prisma.$transaction(async (tx) => {
    const rules = await loadRules(tx, services.config);
    const rule = (name: (typeof rules)[number]['rule']) => rules.find((each) => each.rule === name)!;
    const [staff, customer] = await Promise.all([
      tx.staff.findUniqueOrThrow({ where: { id: session.staffId }, select: { name: true } }),
      tx.customer.findUniqueOrThrow({ where: { id: session.customerId }, select: { name: true, protected: true } }),
    ]);
    const names = { staffId: session.staffId, customerId: session.customerId, sessionId: session.id };
    const now = session.startedAt;
    const ids: ({ id: string } | null)[] = [];

    const perHour = rule('VIEWS_PER_HOUR');
    if (perHour.enabled && perHour.threshold !== null) {
      const hourStart = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
      const views = await tx.impersonationSession.count({
        where: { staffId: session.staffId, startedAt: { gte: hourStart, lt: new Date(hourStart.getTime() + HOUR_MS) } },
      });
      if (views >= perHour.threshold) {
        ids.push(
          await raiseAlert(
            tx,
            {
              rule: 'VIEWS_PER_HOUR',
              summary: `${staff.name} started ${views} staff views in one hour (alert at ${perHour.threshold})`,
              staffId: session.staffId,
              sessionId: session.id,
              details: { views, threshold: perHour.threshold, hourStart: hourStart.toISOString() },
              dedupeKey: `VIEWS_PER_HOUR:${session.staffId}:${hourStart.toISOString()}`,
            },
            now,
          ),
        );
      }
    }

    const hours = rule('OUTSIDE_BUSINESS_HOURS');
    const minute = localMinutes(now, zone);
    if (hours.enabled && !withinHours(minute, hours.windowStartMinute!, hours.windowEndMinute!)) {
      const span = `${clockTime(hours.windowStartMinute!)}-${clockTime(hours.windowEndMinute!)}`;
      ids.push(
        await raiseAlert(
          tx,
          {
            rule: 'OUTSIDE_BUSINESS_HOURS',
            summary: `${staff.name} started a staff view of ${customer.name} at ${clockTime(minute)} (${zone}), outside business hours ${span}`,
            ...names,
            details: { localTime: clockTime(minute), timeZone: zone, businessHours: span },
            dedupeKey: `OUTSIDE_BUSINESS_HOURS:${session.id}`,
          },
          now,
        ),
      );
    }

    if (customer.protected && rule('PROTECTED_CUSTOMER_VIEW').enabled) {
      ids.push(
        await raiseAlert(
          tx,
          {
            rule: 'PROTECTED_CUSTOMER_VIEW',
            summary: `${staff.name} started a staff view of protected customer ${customer.name}`,
            ...names,
            dedupeKey: `PROTECTED_CUSTOMER_VIEW:${session.id}`,
          },
          now,
        ),
      );
    }
    return ids;
  });
  publishAlerts(services, raised);
  return raised.flatMap((alert) => (alert ? [alert.id] : []));
}

/**
 * In the transaction of a counted tampering incident (access/tampering.ts): one alert per incident.
 * The caller publishes the result after commit.
 */
export async function raiseTamperingAlert(
  tx: Prisma.TransactionClient,
  session: Pick<ImpersonationSession, 'id' | 'staffId' | 'customerId'>,
  incident: { number: number; limit: number; marks: readonly string[] },
  now: Date,
): Promise<{ id: string } | null> {
  const staff = await tx.staff.findUnique({ where: { id: session.staffId }, select: { name: true } });
  return raiseAlert(
    tx,
    {
      rule: 'TAMPERING',
      summary: `${staff?.name ?? 'A staff member'}'s staff view hid its marks (${incident.marks.join(', ')}): incident ${incident.number} of ${incident.limit}`,
      staffId: session.staffId,
      customerId: session.customerId,
      sessionId: session.id,
      details: { incident: incident.number, limit: incident.limit, marks: [...incident.marks] },
      dedupeKey: `TAMPERING:${session.id}:${incident.number}`,
    },
    now,
  );
}

/** Per database: the views that raised their REFUSED_ATTEMPTS alert, so later refusals cost no query. */
const refusedAlerted = new WeakMap<object, Set<string>>();

/**
 * After refused attempts in staff views were recorded (audit/attempts.ts): a view whose refused
 * attempts reached the threshold raises one alert, once per view. Below the threshold it costs two
 * small reads (the rule, the count); a view already alerted on this instance, none.
 */
export async function raiseRefusedAttemptAlerts(
  services: Pick<Services, 'prisma' | 'pubsub' | 'config' | 'clock'>,
  entries: readonly Pick<AuditEntry, 'sessionId' | 'outcome'>[],
): Promise<string[]> {
  const alerted = refusedAlerted.get(services.prisma) ?? new Set<string>();
  refusedAlerted.set(services.prisma, alerted);
  const sessionIds = [
    ...new Set(
      entries.flatMap((entry) =>
        entry.outcome === AuditOutcome.DENIED && entry.sessionId && !alerted.has(entry.sessionId)
          ? [entry.sessionId]
          : [],
      ),
    ),
  ];
  if (sessionIds.length === 0) return [];
  const rule = await loadRule(services.prisma, 'REFUSED_ATTEMPTS', services.config);
  if (!rule.enabled || rule.threshold === null) return [];
  const now = services.clock.now();
  const raised: string[] = [];
  for (const sessionId of sessionIds) {
    const refused = await services.prisma.auditEvent.count({
      where: { sessionId, action: AuditAction.OPERATION, outcome: AuditOutcome.DENIED },
    });
    if (refused < rule.threshold) continue;
    const alert = await services.prisma.$transaction(async (tx) => {
      const session = await tx.impersonationSession.findUnique({
        where: { id: sessionId },
        select: {
          staffId: true,
          customerId: true,
          staff: { select: { name: true } },
          customer: { select: { name: true } },
        },
      });
      if (!session) return null;
      return raiseAlert(
        tx,
        {
          rule: 'REFUSED_ATTEMPTS',
          summary: `${session.staff.name}'s staff view of ${session.customer.name} had ${refused} refused attempts (alert at ${rule.threshold})`,
          staffId: session.staffId,
          customerId: session.customerId,
          sessionId,
          details: { refused, threshold: rule.threshold },
          dedupeKey: `REFUSED_ATTEMPTS:${sessionId}`,
        },
        now,
      );
    });
    alerted.add(sessionId);
    if (alert) raised.push(alert.id);
  }
  publishAlerts(services, raised);
  return raised;
}
