// The audit log for managers: filtered, cursor-paginated (newest first) reads, and the hash
// chain check. Rows are written by the audit plugin and the session lifecycle, never here.
import type { AuditEvent as AuditRow, Prisma } from '@prisma/client';
import { z } from 'zod';
import { verifyAuditChain } from '../audit/chain.ts';
import { badInput } from '../errors.ts';
import { builder } from './builder.ts';
import { AuditActionEnum, AuditOutcomeEnum } from './enums.ts';

type AuditNode = AuditRow & { staffName: string | null; customerName: string | null };

const AuditEventRef = builder.objectRef<AuditNode>('AuditEvent').implement({
  description: 'One append-only audit record; its hash covers the previous record’s hash.',
  fields: (t) => ({
    id: t.id({ resolve: (row) => String(row.id) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    action: t.field({ type: AuditActionEnum, resolve: (row) => row.action }),
    outcome: t.field({ type: AuditOutcomeEnum, resolve: (row) => row.outcome }),
    staffId: t.exposeID('staffId', { nullable: true }),
    staffName: t.exposeString('staffName', { nullable: true }),
    customerId: t.exposeID('customerId', { nullable: true }),
    customerName: t.exposeString('customerName', { nullable: true }),
    sessionId: t.exposeID('sessionId', { nullable: true }),
    operationName: t.exposeString('operationName', { nullable: true }),
    operationType: t.exposeString('operationType', { nullable: true }),
    rootFields: t.exposeStringList('rootFields'),
    variables: t.expose('variables', { type: 'JSON', nullable: true, description: 'Secrets redacted.' }),
    errorCode: t.exposeString('errorCode', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
    requestId: t.exposeString('requestId', { nullable: true }),
    ip: t.exposeString('ip', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    hash: t.exposeString('hash'),
    prevHash: t.exposeString('prevHash'),
  }),
});

const AuditEventEdge = builder.objectRef<{ cursor: string; node: AuditNode }>('AuditEventEdge').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    node: t.field({ type: AuditEventRef, resolve: (edge) => edge.node }),
  }),
});

const PageInfo = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null }>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

const AuditEventConnection = builder
  .objectRef<{ edges: { cursor: string; node: AuditNode }[]; hasNextPage: boolean }>('AuditEventConnection')
  .implement({
    fields: (t) => ({
      edges: t.field({ type: [AuditEventEdge], resolve: (page) => page.edges }),
      pageInfo: t.field({
        type: PageInfo,
        resolve: (page) => ({ hasNextPage: page.hasNextPage, endCursor: page.edges.at(-1)?.cursor ?? null }),
      }),
    }),
  });

const AuditEventFilter = builder.inputType('AuditEventFilter', {
  fields: (t) => ({
    sessionId: t.id({ required: false }),
    staffId: t.id({ required: false }),
    customerId: t.id({ required: false }),
    action: t.field({ type: AuditActionEnum, required: false }),
    outcome: t.field({ type: AuditOutcomeEnum, required: false }),
    from: t.field({ type: 'DateTime', required: false, description: 'Inclusive.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Exclusive.' }),
  }),
});

const AuditChainVerification = builder
  .objectRef<{ ok: boolean; checked: number; brokenAtId: string | null; problem: string | null }>(
    'AuditChainVerification',
  )
  .implement({
    fields: (t) => ({
      ok: t.exposeBoolean('ok'),
      checked: t.exposeInt('checked'),
      brokenAtId: t.exposeID('brokenAtId', { nullable: true }),
      problem: t.exposeString('problem', { nullable: true }),
    }),
  });

const encodeCursor = (id: bigint) => Buffer.from(`audit:${id}`).toString('base64url');
function decodeCursor(cursor: string): bigint {
  const match = /^audit:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badInput('after: not a cursor from this list');
  return BigInt(match[1]!);
}

builder.queryFields((t) => ({
  auditEvents: t.withAuth({ manager: true }).field({
    type: AuditEventConnection,
    description: 'Audit records, newest first.',
    args: {
      filter: t.arg({ type: AuditEventFilter, required: false }),
      first: t.arg.int({ required: false, defaultValue: 50, validate: z.number().int().min(1).max(200) }),
      after: t.arg.string({ required: false }),
    },
    resolve: async (_root, { filter, first, after }, ctx) => {
      const take = first ?? 50;
      const where: Prisma.AuditEventWhereInput = {
        sessionId: filter?.sessionId ? String(filter.sessionId) : undefined,
        staffId: filter?.staffId ? String(filter.staffId) : undefined,
        customerId: filter?.customerId ? String(filter.customerId) : undefined,
        action: filter?.action ?? undefined,
        outcome: filter?.outcome ?? undefined,
        createdAt:
          filter?.from || filter?.to ? { gte: filter.from ?? undefined, lt: filter.to ?? undefined } : undefined,
        id: after ? { lt: decodeCursor(after) } : undefined,
      };
      const rows = await ctx.prisma.auditEvent.findMany({ where, orderBy: { id: 'desc' }, take: take + 1 });
      const page = rows.slice(0, take);
      const staffIds = [...new Set(page.flatMap((row) => (row.staffId ? [row.staffId] : [])))];
      const customerIds = [...new Set(page.flatMap((row) => (row.customerId ? [row.customerId] : [])))];
      const [staff, customers] = await Promise.all([
        ctx.prisma.staff.findMany({ where: { id: { in: staffIds } }, select: { id: true, name: true } }),
        ctx.prisma.customer.findMany({ where: { id: { in: customerIds } }, select: { id: true, name: true } }),
      ]);
      const names = new Map([...staff, ...customers].map((person) => [person.id, person.name]));
      return {
        hasNextPage: rows.length > take,
        edges: page.map((row) => ({
          cursor: encodeCursor(row.id),
          node: {
            ...row,
            staffName: row.staffId ? (names.get(row.staffId) ?? null) : null,
            customerName: row.customerId ? (names.get(row.customerId) ?? null) : null,
          },
        })),
      };
    },
  }),
  verifyAuditChain: t.withAuth({ manager: true }).field({
    type: AuditChainVerification,
    description: 'Walks the whole audit log and reports the first edited or missing record.',
    resolve: (_root, _args, ctx) => verifyAuditChain(ctx.prisma),
  }),
}));
