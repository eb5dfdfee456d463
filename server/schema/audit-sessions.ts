// Staff views as an auditor reads them (SPEC 4): one summary per session (who, whom, why, when, how
// it ended and by whom, the pages viewed, the refused attempts, the tampering incidents) and its
// timeline, for managers.
// Pages come from audit/pages.ts through audit/session-activity.ts; this file only exposes them.
import { Prisma, type AuditOutcome, type PrismaClient } from '@prisma/client';
import { sessionActivityOf } from '../audit/session-activity.ts';
import { sessionState } from '../impersonation/policy.ts';
import { AuditEventRef } from './audit.ts';
import { builder } from './builder.ts';
import { auditSessionsCursor, connectionOf, nodeQuery, pageRequest, timelineCursor } from './cursors.ts';
import { AuditOutcomeEnum, ImpersonationEndStateEnum } from './enums.ts';
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
    from: t.field({ type: 'DateTime', required: false, description: 'Sessions still running at or after this time.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Sessions started before this time.' }),
    outcome: t.field({
      type: AuditOutcomeEnum,
      required: false,
      description: 'Sessions with at least one operation of this outcome (DENIED: with refused attempts).',
    }),
  }),
});

type SessionFilter = {
  staffId?: string | number | null;
  customerId?: string | number | null;
  from?: Date | null;
  to?: Date | null;
  outcome?: AuditOutcome | null;
};

/** A JS date as the UTC timestamp the columns hold, whatever the session's time zone. */
const utc = (date: Date) => Prisma.sql`(${date.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;

/**
 * The ids of one page of sessions overlapping [from, to) of this staff member and customer, with an
 * operation of the outcome, newest first by ("startedAt", id); a negative `take` pages backwards
 * from the cursor, as plugin-prisma asks. One statement: the outcome is an EXISTS probe of the
 * ("sessionId", action, outcome) index per candidate session, not a list of ids read beforehand.
 */
async function sessionPageIds(
  prisma: Pick<PrismaClient, '$queryRaw'>,
  filter: SessionFilter | null | undefined,
  page: { cursor?: { id?: string }; take: number },
): Promise<string[]> {
  const backward = page.take < 0;
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (filter?.staffId) conditions.push(Prisma.sql`s."staffId" = ${String(filter.staffId)}`);
  if (filter?.customerId) conditions.push(Prisma.sql`s."customerId" = ${String(filter.customerId)}`);
  if (filter?.to) conditions.push(Prisma.sql`s."startedAt" < ${utc(filter.to)}`);
  if (filter?.from) conditions.push(Prisma.sql`(s."endedAt" IS NULL OR s."endedAt" >= ${utc(filter.from)})`);
  if (filter?.outcome)
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "AuditEvent" e
      WHERE e."sessionId" = s.id AND e.action = 'OPERATION' AND e.outcome = ${filter.outcome}::"AuditOutcome")`);
  if (page.cursor) {
    // A cursor whose session does not exist compares with NULL: an empty page, as Prisma's cursors.
    const id = page.cursor.id ?? null;
    conditions.push(
      Prisma.sql`(s."startedAt", s.id) ${Prisma.raw(backward ? '>' : '<')}
        ((SELECT "startedAt" FROM "ImpersonationSession" WHERE id = ${id}), ${id})`,
    );
  }
  const direction = Prisma.raw(backward ? 'ASC' : 'DESC');
  const rows = await prisma.$queryRaw<{ id: string }[]>`SELECT s.id FROM "ImpersonationSession" s
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY s."startedAt" ${direction}, s.id ${direction} LIMIT ${Math.abs(page.take)}`;
  const ids = rows.map((row) => row.id);
  return backward ? ids.reverse() : ids;
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
        const ids = await sessionPageIds(ctx.prisma, args.filter, { cursor, take: page.take });
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
