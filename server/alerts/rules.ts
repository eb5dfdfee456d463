// The alert rules: what each watches, its threshold, and the defaults a rule has until a manager
// changes it (config.ts ALERT_*). A manager's setting is one AlertRuleSetting row per rule, written
// by settings.ts; a rule without a row has these defaults, so nothing needs seeding.
import type { AlertRule, AlertRuleSetting, Prisma } from '@prisma/client';
import type { Config } from '../config.ts';

/** Every rule, in the order the admin app lists them. */
export const ALERT_RULES = [
  'VIEWS_PER_HOUR',
  'OUTSIDE_BUSINESS_HOURS',
  'PROTECTED_CUSTOMER_VIEW',
  'REFUSED_ATTEMPTS',
  'TAMPERING',
  'CHECKPOINT_STALLED',
  'SIEM_LAG',
  'BREAK_GLASS',
  'BREAK_GLASS_UNREVIEWED',
  'ACCESS_REVIEW_OVERDUE',
] as const satisfies readonly AlertRule[];

/** What a rule's threshold counts; null: the rule has none. */
export const THRESHOLD_UNITS: Record<AlertRule, string | null> = {
  VIEWS_PER_HOUR: 'staff views by one staff member in one clock hour',
  OUTSIDE_BUSINESS_HOURS: null,
  PROTECTED_CUSTOMER_VIEW: null,
  REFUSED_ATTEMPTS: 'refused attempts in one staff view',
  TAMPERING: null,
  CHECKPOINT_STALLED: null,
  SIEM_LAG: 'seconds the SIEM stream lags behind',
  BREAK_GLASS: null,
  BREAK_GLASS_UNREVIEWED: null,
  ACCESS_REVIEW_OVERDUE: null,
};

/** What each rule watches, as managers read it (admin app, emails). */
export const RULE_DESCRIPTIONS: Record<AlertRule, string> = {
  VIEWS_PER_HOUR: 'Many staff views by one staff member within one hour',
  OUTSIDE_BUSINESS_HOURS: "A staff view started outside business hours (the salon's time zone)",
  PROTECTED_CUSTOMER_VIEW: 'A staff view of a protected customer',
  REFUSED_ATTEMPTS: 'Repeated refused attempts within one staff view',
  TAMPERING: "A staff view's marks were hidden (tampering incident)",
  CHECKPOINT_STALLED: 'The audit checkpoint writer has stalled: the log is not being signed',
  SIEM_LAG: 'The audit stream to the SIEM is lagging behind',
  BREAK_GLASS: 'Emergency (break-glass) access was used',
  BREAK_GLASS_UNREVIEWED: 'An emergency access was not reviewed in time',
  ACCESS_REVIEW_OVERDUE: 'An access review is overdue',
};

/** One rule as it applies now: the manager's setting, or the default. */
export interface EffectiveRule {
  rule: AlertRule;
  enabled: boolean;
  /** Null for rules without a threshold. */
  threshold: number | null;
  /** OUTSIDE_BUSINESS_HOURS only: business hours, minutes after midnight in the salon's time zone. */
  windowStartMinute: number | null;
  windowEndMinute: number | null;
  /** Null while the rule has its defaults. */
  updatedAt: Date | null;
  updatedById: string | null;
}

/** `HH:MM` as minutes after midnight (24:00 is 1440). */
export const minutesOf = (time: string): number => {
  const [hours, minutes] = time.split(':').map(Number);
  return hours! * 60 + minutes!;
};

type AlertConfig = Pick<
  Config,
  'ALERT_VIEWS_PER_HOUR' | 'ALERT_BUSINESS_HOURS' | 'ALERT_REFUSED_ATTEMPTS_PER_SESSION' | 'ALERT_SIEM_LAG_SECONDS'
>;

/** A rule's defaults (enabled, with the configured threshold). */
export function defaultRule(rule: AlertRule, config: AlertConfig): EffectiveRule {
  const thresholds: Partial<Record<AlertRule, number>> = {
    VIEWS_PER_HOUR: config.ALERT_VIEWS_PER_HOUR,
    REFUSED_ATTEMPTS: config.ALERT_REFUSED_ATTEMPTS_PER_SESSION,
    SIEM_LAG: config.ALERT_SIEM_LAG_SECONDS,
  };
  const [start, end] = config.ALERT_BUSINESS_HOURS.split('-') as [string, string];
  const hours = rule === 'OUTSIDE_BUSINESS_HOURS';
  return {
    rule,
    enabled: true,
    threshold: thresholds[rule] ?? null,
    windowStartMinute: hours ? minutesOf(start) : null,
    windowEndMinute: hours ? minutesOf(end) : null,
    updatedAt: null,
    updatedById: null,
  };
}

/** A stored setting over the defaults: a field the row leaves null keeps its default. */
function effective(rule: AlertRule, row: AlertRuleSetting | null, config: AlertConfig): EffectiveRule {
  const fallback = defaultRule(rule, config);
  if (!row) return fallback;
  return {
    rule,
    enabled: row.enabled,
    threshold: fallback.threshold === null ? null : (row.threshold ?? fallback.threshold),
    windowStartMinute:
      fallback.windowStartMinute === null ? null : (row.windowStartMinute ?? fallback.windowStartMinute),
    windowEndMinute: fallback.windowEndMinute === null ? null : (row.windowEndMinute ?? fallback.windowEndMinute),
    updatedAt: row.updatedAt,
    updatedById: row.updatedById,
  };
}

/** One rule as it applies now. */
export async function loadRule(
  db: Prisma.TransactionClient,
  rule: AlertRule,
  config: AlertConfig,
): Promise<EffectiveRule> {
  return effective(rule, await db.alertRuleSetting.findUnique({ where: { rule } }), config);
}

/** Every rule as it applies now, in ALERT_RULES order. */
export async function loadRules(db: Prisma.TransactionClient, config: AlertConfig): Promise<EffectiveRule[]> {
  const rows = await db.alertRuleSetting.findMany();
  return ALERT_RULES.map((rule) => effective(rule, rows.find((row) => row.rule === rule) ?? null, config));
}
