// The monthly staff-access report for managers (audit/monthly-report.ts): per staff member, views,
// customers, reasons, scopes, refused attempts, break-glass starts and alerts, with the month's
// alerts by rule and access-review decisions. The admin app draws it as charts; its CSV is the
// export's `shape=report`.
import type { LabelCount, MonthlyReport, StaffMonth } from '../audit/monthly-report.ts';
import { monthlyReport } from '../audit/monthly-report.ts';
import { previousMonth, salonZone } from '../audit/periods.ts';
import { badInput } from '../errors.ts';
import { builder } from './builder.ts';

const ReportCount = builder.objectRef<LabelCount>('StaffAccessReportCount').implement({
  description: 'A label (a reason, a scope, an alert rule, a review decision) and how often it occurred.',
  fields: (t) => ({
    label: t.exposeString('label'),
    count: t.exposeInt('count'),
  }),
});

const ReportRow = builder.objectRef<StaffMonth>('StaffAccessReportRow').implement({
  description: 'One staff member’s staff views in the month.',
  fields: (t) => ({
    staffId: t.exposeID('staffId'),
    staffName: t.exposeString('staffName'),
    views: t.exposeInt('views'),
    customers: t.exposeInt('customers', { description: 'Distinct customers viewed.' }),
    refusedAttempts: t.exposeInt('refusedAttempts'),
    breakGlass: t.exposeInt('breakGlass', { description: 'Emergency (break-glass) starts.' }),
    alerts: t.exposeInt('alerts', { nullable: true, description: 'Alerts naming them; null: alerts not recorded.' }),
    reasons: t.field({
      type: [ReportCount],
      description: 'Most frequent first (at most 5).',
      resolve: (r) => r.reasons,
    }),
    scopes: t.field({ type: [ReportCount], description: 'Most frequent first.', resolve: (r) => r.scopes }),
  }),
});

const Report = builder.objectRef<MonthlyReport>('StaffAccessReport').implement({
  description: 'Who viewed customers in one month of the salon’s calendar, why and with what scope.',
  fields: (t) => ({
    year: t.exposeInt('year'),
    month: t.exposeInt('month', { description: '1-12.' }),
    timeZone: t.exposeString('timeZone', { description: 'The salon’s time zone the month is read in.' }),
    from: t.field({ type: 'DateTime', resolve: (r) => r.range.from }),
    to: t.field({ type: 'DateTime', description: 'Exclusive.', resolve: (r) => r.range.to }),
    totalViews: t.exposeInt('totalViews'),
    staff: t.field({ type: [ReportRow], description: 'Most views first.', resolve: (r) => r.staff }),
    alertsByRule: t.field({
      type: [ReportCount],
      nullable: true,
      description: 'The month’s alerts by rule; null: alerts are not recorded in this database.',
      resolve: (r) => r.alertsByRule,
    }),
    reviews: t.field({
      type: [ReportCount],
      nullable: true,
      description: 'Access-review decisions of the month; null: access reviews are not recorded in this database.',
      resolve: (r) => r.reviews,
    }),
  }),
});

builder.queryField('staffAccessReport', (t) =>
  t.withAuth({ manager: true }).field({
    type: Report,
    description: 'The monthly staff-access report; without year and month, last month of the salon’s calendar.',
    args: {
      year: t.arg.int({ required: false }),
      month: t.arg.int({ required: false, description: '1-12.' }),
    },
    resolve: (_root, args, ctx) => {
      const zone = salonZone(ctx.config);
      if ((args.year == null) !== (args.month == null)) throw badInput('Give both year and month, or neither');
      if (args.year != null && (args.year < 2000 || args.year > 2100)) throw badInput('year: from 2000 to 2100');
      if (args.month != null && (args.month < 1 || args.month > 12)) throw badInput('month: from 1 to 12');
      const month =
        args.year != null && args.month != null
          ? { year: args.year, month: args.month }
          : previousMonth(ctx.clock.now(), zone);
      return monthlyReport(ctx.prisma, month, zone);
    },
  }),
);
