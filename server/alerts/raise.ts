// Raising an alert, inside the transaction of what it is about: the Alert row, its audit record
// (ALERT_RAISED), the managers' email (a NotificationOutbox row, ALERT_RAISED) and the webhooks'
// deliveries ('alert.raised', server/webhooks/enqueue.ts) commit with the change or not at all.
//
// For other modules (break-glass, access reviews, ...):
//   const alert = await raiseAlert(tx, { rule: 'BREAK_GLASS', summary, staffId, dedupeKey }, now);
//   ...after the transaction committed:
//   publishAlerts(services, [alert?.id]);
// `raiseAlert` returns null when the rule is turned off or `dedupeKey` was raised before (one alert
// per occurrence; pick a key naming the occurrence, e.g. `BREAK_GLASS:<sessionId>`).
// `publishAlerts` pushes the managers' live list and badge and wakes the notification worker; an
// alert not published (a crash between commit and publish) still shows on the next read and is
// emailed at the worker's next poll.
import { AuditAction, AuditOutcome, type AlertRule, type Prisma } from '@prisma/client';
import { appendAuditInTransaction } from '../audit/chain.ts';
import type { Services } from '../context.ts';
import { enqueueWebhookEvent } from '../webhooks/enqueue.ts';

/** What an alert says and whom it names. */
export interface AlertInput {
  rule: AlertRule;
  /** One line for managers (staff-facing; never shown to a customer). */
  summary: string;
  staffId?: string | null;
  customerId?: string | null;
  sessionId?: string | null;
  /** Facts for the list and the webhook (plain JSON). */
  details?: Record<string, unknown>;
  /** The occurrence: a second raise with the same key is dropped (null). */
  dedupeKey?: string;
}

/** The webhook event type of a raised alert. */
export const ALERT_RAISED_EVENT = 'alert.raised';

/**
 * Raises one alert inside the caller's transaction: the record, its audit record, the managers'
 * email and the webhooks' deliveries.
 * @returns the alert's id, or null when the rule is turned off or `dedupeKey` was already raised.
 */
export async function raiseAlert(
  tx: Prisma.TransactionClient,
  input: AlertInput,
  now: Date,
): Promise<{ id: string } | null> {
  const setting = await tx.alertRuleSetting.findUnique({ where: { rule: input.rule }, select: { enabled: true } });
  if (setting && !setting.enabled) return null;
  const details = (input.details ?? null) as Prisma.InputJsonValue | null;
  const [alert] = await tx.alert.createManyAndReturn({
    data: [
      {
        rule: input.rule,
        summary: input.summary,
        staffId: input.staffId ?? null,
        customerId: input.customerId ?? null,
        sessionId: input.sessionId ?? null,
        details: details ?? undefined,
        dedupeKey: input.dedupeKey ?? null,
        createdAt: now,
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  if (!alert) return null;
  await appendAuditInTransaction(tx, {
    action: AuditAction.ALERT_RAISED,
    outcome: AuditOutcome.ALLOWED,
    createdAt: now,
    staffId: input.staffId ?? null,
    customerId: input.customerId ?? null,
    sessionId: input.sessionId ?? null,
    reason: `${input.rule}: ${input.summary}`,
    seen: { alertId: alert.id, rule: input.rule, ...(details ? { details } : {}) },
  });
  await tx.notificationOutbox.createMany({
    data: [{ alertId: alert.id, notice: 'ALERT_RAISED', channel: 'EMAIL', availableAt: now, createdAt: now }],
    skipDuplicates: true,
  });
  await enqueueWebhookEvent(
    tx,
    {
      type: ALERT_RAISED_EVENT,
      data: {
        id: alert.id,
        rule: input.rule,
        summary: input.summary,
        staffId: input.staffId ?? null,
        customerId: input.customerId ?? null,
        sessionId: input.sessionId ?? null,
        details: input.details ?? {},
        createdAt: now.toISOString(),
      },
    },
    now,
  );
  return alert;
}

/**
 * After the raising transaction committed: pushes the managers' live list and badge and wakes the
 * notification worker. Takes `raiseAlert`'s results as they are (nulls are skipped).
 */
export function publishAlerts(
  services: Pick<Services, 'pubsub'>,
  alerts: readonly ({ id: string } | string | null | undefined)[],
): void {
  for (const alert of alerts) {
    if (!alert) continue;
    services.pubsub.publish('alerts:changed', { alertId: typeof alert === 'string' ? alert : alert.id });
  }
}
