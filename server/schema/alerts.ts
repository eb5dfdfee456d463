// Alerts over GraphQL, managers only: the list (every rule's, or one rule's) with the unacknowledged
// count (a query and the same overview pushed live), acknowledging one with a note, and the rules'
// settings (changing one needs a step-up: privileged.ts). A non-manager is refused every field
// here. Rules: server/alerts/.
import { AlertRule } from '@prisma/client';
import { ackNote, acknowledgeAlert, updateAlertRule } from '../alerts/manage.ts';
import { RULE_DESCRIPTIONS, THRESHOLD_UNITS, loadRules, type EffectiveRule } from '../alerts/rules.ts';
import { clockTime } from '../alerts/evaluate.ts';
import { isStillManager } from '../auth/use-identity.ts';
import type { Context } from '../context.ts';
import { changeFeed } from '../impersonation/feeds.ts';
import { builder } from './builder.ts';

/** How many alerts the list shows: every unacknowledged one first, then the newest acknowledged. */
const LIST_SIZE = 100;

/** What an alert is about. */
export const AlertRuleEnum = builder.enumType(AlertRule, { name: 'AlertRule' });

const name = async (ctx: Context, kind: 'staff' | 'customer', id: string | null) => {
  if (!id) return null;
  const row =
    kind === 'staff'
      ? await ctx.prisma.staff.findUnique({ where: { id }, select: { name: true } })
      : await ctx.prisma.customer.findUnique({ where: { id }, select: { name: true } });
  return row?.name ?? null;
};

const AlertRef = builder.prismaObject('Alert', {
  description: 'An alert raised for the managers: staff-facing, never shown to a customer.',
  fields: (t) => ({
    id: t.exposeID('id'),
    rule: t.expose('rule', { type: AlertRuleEnum }),
    ruleDescription: t.string({ resolve: (alert) => RULE_DESCRIPTIONS[alert.rule] }),
    summary: t.exposeString('summary'),
    staffId: t.exposeID('staffId', { nullable: true }),
    staffName: t.string({ nullable: true, resolve: (alert, _args, ctx) => name(ctx, 'staff', alert.staffId) }),
    customerId: t.exposeID('customerId', { nullable: true }),
    customerName: t.string({
      nullable: true,
      resolve: (alert, _args, ctx) => name(ctx, 'customer', alert.customerId),
    }),
    sessionId: t.exposeID('sessionId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    acknowledgedAt: t.expose('acknowledgedAt', { type: 'DateTime', nullable: true }),
    acknowledgedByName: t.string({
      nullable: true,
      resolve: (alert, _args, ctx) => name(ctx, 'staff', alert.acknowledgedById),
    }),
    ackNote: t.exposeString('ackNote', { nullable: true, description: 'What the acknowledging manager noted.' }),
  }),
});

interface AlertsOverview {
  unacknowledgedCount: number;
}

const AlertsOverviewRef = builder.objectRef<AlertsOverview>('AlertsOverview').implement({
  description: 'The managers’ alerts: the badge’s count and the list.',
  fields: (t) => ({
    unacknowledgedCount: t.exposeInt('unacknowledgedCount'),
    alerts: t.prismaField({
      type: [AlertRef],
      description: `Unacknowledged alerts (oldest first), then the newest acknowledged; ${LIST_SIZE} at most.`,
      args: {
        rule: t.arg({ type: AlertRuleEnum, required: false, description: 'Only the alerts this rule raised.' }),
      },
      resolve: (query, _overview, args, ctx) =>
        ctx.prisma.alert.findMany({
          ...query,
          where: { rule: args.rule ?? undefined },
          orderBy: [{ acknowledgedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
          take: LIST_SIZE,
        }),
    }),
  }),
});

const overview = async (ctx: Context): Promise<AlertsOverview> => ({
  unacknowledgedCount: await ctx.prisma.alert.count({ where: { acknowledgedAt: null } }),
});

const AlertRuleSettingRef = builder.objectRef<EffectiveRule>('AlertRuleSetting').implement({
  description: 'One alert rule as it applies now: a manager’s setting, or the default.',
  fields: (t) => ({
    rule: t.field({ type: AlertRuleEnum, resolve: (rule) => rule.rule }),
    description: t.string({ resolve: (rule) => RULE_DESCRIPTIONS[rule.rule] }),
    enabled: t.exposeBoolean('enabled'),
    threshold: t.exposeInt('threshold', { nullable: true }),
    thresholdUnit: t.string({
      nullable: true,
      description: 'What the threshold counts; null: the rule has none.',
      resolve: (rule) => THRESHOLD_UNITS[rule.rule],
    }),
    businessHoursStart: t.string({
      nullable: true,
      description: 'OUTSIDE_BUSINESS_HOURS: HH:MM in the salon’s time zone.',
      resolve: (rule) => (rule.windowStartMinute === null ? null : clockTime(rule.windowStartMinute)),
    }),
    businessHoursEnd: t.string({
      nullable: true,
      resolve: (rule) => (rule.windowEndMinute === null ? null : clockTime(rule.windowEndMinute)),
    }),
    isDefault: t.boolean({ resolve: (rule) => rule.updatedAt === null }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (rule) => rule.updatedAt }),
  }),
});

builder.queryFields((t) => ({
  alerts: t.withAuth({ manager: true }).field({
    type: AlertsOverviewRef,
    description: 'The alerts and the unacknowledged count (managers only).',
    resolve: (_root, _args, ctx) => overview(ctx),
  }),
  alertRules: t.withAuth({ manager: true }).field({
    type: [AlertRuleSettingRef],
    description: 'Every alert rule with its setting (managers only).',
    resolve: (_root, _args, ctx) => loadRules(ctx.prisma, ctx.config),
  }),
}));

builder.subscriptionField('alerts', (t) =>
  t.withAuth({ manager: true }).field({
    type: AlertsOverviewRef,
    description: 'The same overview, pushed at once and whenever an alert is raised or acknowledged.',
    subscribe: (_root, _args, ctx) =>
      changeFeed(() => ctx.pubsub.subscribe('alerts:changed'), { mayStillWatch: () => isStillManager(ctx) }),
    resolve: (_payload, _args, ctx) => overview(ctx),
  }),
);

builder.mutationFields((t) => ({
  acknowledgeAlert: t.withAuth({ manager: true }).prismaField({
    type: AlertRef,
    description: 'Acknowledges an alert with a note (what was found or done); audited.',
    args: {
      alertId: t.arg.id({ required: true }),
      note: t.arg.string({ required: true, validate: ackNote, description: 'Read by managers and the audit.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const alert = await acknowledgeAlert(ctx, String(args.alertId), args.note);
      return ctx.prisma.alert.findUniqueOrThrow({ ...query, where: { id: alert.id } });
    },
  }),
  updateAlertRule: t.withAuth({ manager: true }).field({
    type: AlertRuleSettingRef,
    description: 'Turns a rule on or off, or changes its threshold or business hours; audited.',
    args: {
      rule: t.arg({ type: AlertRuleEnum, required: true }),
      enabled: t.arg.boolean({ required: false }),
      threshold: t.arg.int({ required: false }),
      businessHoursStart: t.arg.string({ required: false, description: 'HH:MM, salon time zone.' }),
      businessHoursEnd: t.arg.string({ required: false, description: 'HH:MM, salon time zone.' }),
    },
    resolve: (_root, args, ctx) => updateAlertRule(ctx, args.rule, args),
  }),
}));
