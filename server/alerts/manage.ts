// What managers do with alerts: acknowledge one with a note (audited, ALERT_ACKNOWLEDGED), and
// change a rule (on/off, threshold, business hours; audited, ALERT_RULE_CHANGED, step-up through
// schema/privileged.ts). Both publish after commit, so every manager's list and badge follow.
import { AuditAction, AuditOutcome, type AlertRule, type Alert } from '@prisma/client';
import { appendAuditInTransaction, auditRequestContext } from '../audit/chain.ts';
import type { StaffContext } from '../context.ts';
import { badInput, conflict, notFound } from '../errors.ts';
import { reasonSchema } from '../impersonation/policy.ts';
import { publishAlerts } from './raise.ts';
import { loadRule, minutesOf, THRESHOLD_UNITS, type EffectiveRule } from './rules.ts';

/** Letters or digits an acknowledgement's note needs (shared/reason-rule.ts). */
export const ACK_NOTE_MIN = 3;
/** An acknowledgement's note: what the manager found or did. */
export const ackNote = reasonSchema(ACK_NOTE_MIN);

/** The highest threshold a rule takes (views, attempts, seconds). */
export const THRESHOLD_MAX = 100_000;
/** A business-hours time: `HH:MM`, 24:00 allowed as the end of the day. */
export const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Acknowledges an unacknowledged alert with a note; a second acknowledgement is a conflict. */
export async function acknowledgeAlert(ctx: StaffContext, alertId: string, note: string): Promise<Alert> {
  const now = ctx.clock.now();
  const alert = await ctx.prisma.$transaction(async (tx) => {
    const { count } = await tx.alert.updateMany({
      where: { id: alertId, acknowledgedAt: null },
      data: { acknowledgedAt: now, acknowledgedById: ctx.actor.id, ackNote: note },
    });
    const row = await tx.alert.findUnique({ where: { id: alertId } });
    if (!row) throw notFound('Alert');
    if (count === 0) throw conflict('This alert was already acknowledged', { acknowledgedAt: row.acknowledgedAt });
    await appendAuditInTransaction(tx, {
      action: AuditAction.ALERT_ACKNOWLEDGED,
      outcome: AuditOutcome.ALLOWED,
      createdAt: now,
      staffId: ctx.actor.id,
      customerId: row.customerId,
      sessionId: row.sessionId,
      reason: note,
      seen: { alertId, rule: row.rule },
      ...auditRequestContext(ctx),
    });
    return row;
  });
  publishAlerts(ctx, [alert.id]);
  return alert;
}

/** A manager's change to one rule; an absent field keeps what the rule has. */
export interface RuleChange {
  enabled?: boolean | null;
  threshold?: number | null;
  businessHoursStart?: string | null;
  businessHoursEnd?: string | null;
}

/** Checks a change against what the rule takes: a threshold only where it has one, hours only for OUTSIDE_BUSINESS_HOURS. */
function checkedChange(rule: AlertRule, change: RuleChange) {
  if (change.threshold != null) {
    if (THRESHOLD_UNITS[rule] === null) throw badInput('This rule has no threshold', { field: 'threshold' });
    if (!Number.isInteger(change.threshold) || change.threshold < 1 || change.threshold > THRESHOLD_MAX)
      throw badInput(`The threshold is a whole number from 1 to ${THRESHOLD_MAX}`, { field: 'threshold' });
  }
  const times = { businessHoursStart: change.businessHoursStart, businessHoursEnd: change.businessHoursEnd };
  for (const [field, value] of Object.entries(times)) {
    if (value == null) continue;
    if (rule !== 'OUTSIDE_BUSINESS_HOURS') throw badInput('Only the business-hours rule has hours', { field });
    if (!CLOCK_TIME.test(value)) throw badInput('Give a time as HH:MM, such as 07:00', { field });
  }
  return change;
}

/** Changes one rule (writing its row on first change) and records before and after. */
export async function updateAlertRule(ctx: StaffContext, rule: AlertRule, change: RuleChange): Promise<EffectiveRule> {
  const checked = checkedChange(rule, change);
  const now = ctx.clock.now();
  await ctx.prisma.$transaction(async (tx) => {
    // One change of the settings at a time: the first change of a rule creates its row.
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('alert-rule-settings'))::text AS locked`;
    const before = await loadRule(tx, rule, ctx.config);
    const after = {
      enabled: checked.enabled ?? before.enabled,
      threshold: checked.threshold ?? before.threshold,
      windowStartMinute:
        checked.businessHoursStart != null ? minutesOf(checked.businessHoursStart) : before.windowStartMinute,
      windowEndMinute: checked.businessHoursEnd != null ? minutesOf(checked.businessHoursEnd) : before.windowEndMinute,
    };
    await tx.alertRuleSetting.upsert({
      where: { rule },
      create: { rule, ...after, updatedAt: now, updatedById: ctx.actor.id },
      update: { ...after, updatedAt: now, updatedById: ctx.actor.id },
    });
    const shown = (state: typeof after) => ({
      enabled: state.enabled,
      threshold: state.threshold,
      windowStartMinute: state.windowStartMinute,
      windowEndMinute: state.windowEndMinute,
    });
    await appendAuditInTransaction(tx, {
      action: AuditAction.ALERT_RULE_CHANGED,
      outcome: AuditOutcome.ALLOWED,
      createdAt: now,
      staffId: ctx.actor.id,
      reason: rule,
      seen: { rule, before: shown(before), after: shown(after) },
      ...auditRequestContext(ctx),
    });
  });
  return loadRule(ctx.prisma, rule, ctx.config);
}
