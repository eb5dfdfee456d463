// Staff views as an auditor reads them (SPEC 4): one summary per session (who, whom, why, when, how
// it ended and by whom, the pages viewed, the refused attempts, the tampering incidents) and its
// timeline, for managers.
// Pages come from audit/pages.ts through audit/session-activity.ts; this file only exposes them.
import type { PortalSection, Prisma } from '@prisma/client';
import type { AuditPeriod } from '../audit/periods.ts';
import { sessionPageIds } from '../audit/session-filter.ts';
import { badInput } from '../errors.ts';
import { alertCountsOf, sessionActivityOf } from '../audit/session-activity.ts';
import { sessionState } from '../impersonation/policy.ts';
import { revealsOf } from '../impersonation/reveals.ts';
import { ticketUrl } from '../impersonation/ticket.ts';
import { builder } from './builder.ts';
import { auditSessionsCursor, connectionOf, nodeQuery, pageRequest, timelineCursor } from './cursors.ts';
import { AuditOutcomeEnum, ImpersonationEndStateEnum, PortalSectionEnum } from './enums.ts';
import { AuditEventRef, AuditPeriodEnum, withSalonPeriod } from './audit.ts';
import { SessionStateEnum } from './impersonation.ts';
import { PageView } from './page-view.ts';

const AuditSession = builder.prismaObject('ImpersonationSession', {
  variant: 'AuditSession',
  description: 'One staff view summarised for an audit: who viewed whom, why, what and how it ended.',
  fields: (t) => ({
    id: t.exposeID('id'),
    staffId: t.exposeID('staffId'),
    staffName: t.string({ select: { staff: { select: { name: true } } }, resolve: (session) => session.staff.name }),
    customerId: t.exposeID('customerId'),
    customerName: t.string({
      select: { customer: { select: { name: true } } },
      resolve: (session) => session.customer.name,
    }),
    reason: t.exposeString('reason'),
    ticket: t.exposeString('ticket', { nullable: true, description: 'The case/ticket id the start named.' }),
    ticketUrl: t.string({
      nullable: true,
      description: 'The ticket at the help desk (TICKET_URL), or null.',
      resolve: (session, _args, ctx) => ticketUrl(ctx.config, session.ticket),
    }),
    scope: t.field({
      type: [PortalSectionEnum],
      description: 'The portal sections the view could read (WHOLE_PORTAL: all, with a stated need).',
      resolve: (session) => session.scope,
    }),
    scopeNeed: t.exposeString('scopeNeed', { nullable: true, description: 'Why the whole portal was needed.' }),
    alertCount: t.int({
      description: 'Alerts raised about this view (server/alerts).',
      resolve: (session, _args, ctx) => alertCountsOf(ctx)(session.id),
    }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    extendedAt: t.expose('extendedAt', { type: 'DateTime', nullable: true }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    state: t.field({
      type: SessionStateEnum,
      resolve: (session, _args, ctx) => sessionState(session, ctx.clock.now()),
    }),
    endState: t.expose('endState', { type: ImpersonationEndStateEnum, nullable: true }),
    endReason: t.exposeString('endReason', { nullable: true }),
    endedByName: t.string({
      nullable: true,
      description: 'Who ended it: the staff member, another manager, or nobody (expired).',
      select: { endedBy: { select: { name: true } } },
      resolve: (session) => session.endedBy?.name ?? null,
    }),
    approvedByName: t.string({
      nullable: true,
      description: 'Four-eyes: the second manager who approved the start (protected customers).',
      select: { approvedBy: { select: { name: true } } },
      resolve: (session) => session.approvedBy?.name ?? null,
    }),
    pagesViewed: t.field({
      type: [PageView],
      description: 'The portal pages shown, in the order first seen.',
      resolve: async (session, _args, ctx) => (await sessionActivityOf(ctx)(session.id)).views,
    }),
    deniedAttempts: t.int({
      description: 'Operations refused outright (attempted changes, requests after the end).',
      resolve: async (session, _args, ctx) => (await sessionActivityOf(ctx)(session.id)).denied,
    }),
    tamperIncidents: t.exposeInt('tamperIncidents', {
      description: 'Incidents in which the staff view found its marks hidden (not refused attempts).',
    }),
    partialAttempts: t.int({
      description: 'Operations served in part (some fields refused).',
      resolve: async (session, _args, ctx) => (await sessionActivityOf(ctx)(session.id)).partial,
    }),
    revealCount: t.int({
      description: 'Masked fields the view revealed, one field of one record each (STAFF_VIEW_FIELD_REVEALED records).',
      resolve: async (session, _args, ctx) => (await revealsOf(ctx)(session.id)).length,
    }),
    timeline: t.connection(
      {
        type: AuditEventRef,
        description: 'The session’s audit records, oldest first.',
        resolve: async (session, args, ctx) => {
          const page = pageRequest(args, { defaultSize: 200, maxSize: 500 }, (cursor) =>
            timelineCursor.decode(session.id, cursor),
          );
          // The page starts after that record (before it, backwards), as a Prisma cursor would: the
          // records' primary key is (id, createdAt) since the log is partitioned (migration 0022).
          const beyond = page.cursor === null ? {} : { id: page.take < 0 ? { lt: page.cursor } : { gt: page.cursor } };
          const rows = await ctx.prisma.auditEvent.findMany({
            take: page.take,
            where: { sessionId: session.id, ...beyond },
            orderBy: { id: 'asc' },
          });
          return connectionOf(rows, args, page, (row) => timelineCursor.encode(session.id, row.id));
        },
      },
      { name: 'AuditTimelineConnection' },
      { name: 'AuditTimelineEdge' },
    ),
  }),
});

const AuditSessionFilter = builder.inputType('AuditSessionFilter', {
  fields: (t) => ({
    staffId: t.id({ required: false }),
    customerId: t.id({ required: false }),
    ticket: t.string({ required: false, description: 'Sessions whose start named this ticket id (exact).' }),
    from: t.field({ type: 'DateTime', required: false, description: 'Sessions still running at or after this time.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Sessions started before this time.' }),
    outcome: t.field({
      type: AuditOutcomeEnum,
      required: false,
      description: 'Sessions with at least one operation of this outcome (DENIED: with refused attempts).',
    }),
    period: t.field({
      type: AuditPeriodEnum,
      required: false,
      description: 'A preset of the salon’s calendar (SALON_TIME_ZONE) instead of from/to.',
    }),
    section: t.field({
      type: PortalSectionEnum,
      required: false,
      description:
        'Sessions shown this section’s data, on its page or the Home page’s overview (WHOLE_PORTAL is no section: refused).',
    }),
    scope: t.field({
      type: PortalSectionEnum,
      required: false,
      description: 'Sessions whose scope names this section (WHOLE_PORTAL: whole-portal views).',
    }),
    alerted: t.boolean({ required: false, description: 'true: sessions that raised an alert; false: none.' }),
  }),
});

/** The GraphQL filter as the session filter: its period in the salon's calendar, its section checked. */
function sessionFilterOf<
  F extends { period?: AuditPeriod | null; section?: PortalSection | null; from?: Date | null; to?: Date | null },
>(filter: F | null | undefined, ctx: { clock: { now(): Date }; config: { SALON_TIME_ZONE?: string | undefined } }) {
  if (filter?.section === 'WHOLE_PORTAL') throw badInput('section: the whole portal is no section; filter by scope');
  return withSalonPeriod(filter as F & { section?: Exclude<PortalSection, 'WHOLE_PORTAL'> | null }, ctx);
}

builder.queryFields((t) => ({
  auditSessions: t.withAuth({ manager: true }).connection(
    {
      type: AuditSession,
      description: 'Staff views summarised, newest first.',
      args: { filter: t.arg({ type: AuditSessionFilter, required: false }) },
      resolve: async (_root, args, ctx, info) => {
        const page = pageRequest(args, { defaultSize: 20, maxSize: 100 }, auditSessionsCursor.decode);
        const cursor = page.cursor === null ? undefined : { id: page.cursor };
        const ids = await sessionPageIds(ctx.prisma, sessionFilterOf(args.filter, ctx), { cursor, take: page.take });
        const rows = await ctx.prisma.impersonationSession.findMany({
          ...(await nodeQuery<Prisma.ImpersonationSessionInclude>(ctx, info, 'AuditSession')),
          where: { id: { in: ids } },
          orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
        });
        return connectionOf(rows, args, page, (row) => auditSessionsCursor.encode(row.id));
      },
    },
    { name: 'AuditSessionConnection' },
    { name: 'AuditSessionEdge' },
  ),
  auditSession: t.withAuth({ manager: true }).prismaField({
    type: AuditSession,
    nullable: true,
    description: 'One staff view’s summary and timeline.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) =>
      ctx.prisma.impersonationSession.findUnique({ ...query, where: { id: String(id) } }),
  }),
}));
