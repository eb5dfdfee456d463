// The audit log for managers: filtered, cursor-paginated (newest first) reads, and the hash
// chain check. Rows are written by the audit plugin and the session lifecycle, never here. The
// connection is plugin-relay's (keyset on id through Prisma's cursor), not hand-written.
import type { AuditAction, AuditOutcome, Prisma } from '@prisma/client';
import { verifyAuditChain } from '../audit/chain.ts';
import { builder } from './builder.ts';
import { AuditActionEnum, AuditOutcomeEnum } from './enums.ts';

/** A person's name by id; Prisma batches these lookups of one tick into one query. */
async function nameOf(
  find: (args: { where: { id: string }; select: { name: true } }) => Promise<{ name: string } | null>,
  id: string | null,
) {
  return id ? ((await find({ where: { id }, select: { name: true } }))?.name ?? null) : null;
}

const AuditEventRef = builder.prismaObject('AuditEvent', {
  description: 'One append-only audit record; its hash covers the previous record’s hash.',
  fields: (t) => ({
    id: t.id({ resolve: (row) => String(row.id) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    action: t.expose('action', { type: AuditActionEnum }),
    outcome: t.expose('outcome', { type: AuditOutcomeEnum }),
    staffId: t.exposeID('staffId', { nullable: true }),
    staffName: t.string({
      nullable: true,
      resolve: (row, _args, ctx) => nameOf((args) => ctx.prisma.staff.findUnique(args), row.staffId),
    }),
    customerId: t.exposeID('customerId', { nullable: true }),
    customerName: t.string({
      nullable: true,
      resolve: (row, _args, ctx) => nameOf((args) => ctx.prisma.customer.findUnique(args), row.customerId),
    }),
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

type AuditFilter = {
  sessionId?: string | number | null;
  staffId?: string | number | null;
  customerId?: string | number | null;
  action?: AuditAction | null;
  outcome?: AuditOutcome | null;
  from?: Date | null;
  to?: Date | null;
};

function auditWhere(filter: AuditFilter | null | undefined): Prisma.AuditEventWhereInput {
  const id = (value: string | number | null | undefined) => (value ? String(value) : undefined);
  return {
    sessionId: id(filter?.sessionId),
    staffId: id(filter?.staffId),
    customerId: id(filter?.customerId),
    action: filter?.action ?? undefined,
    outcome: filter?.outcome ?? undefined,
    createdAt: filter?.from || filter?.to ? { gte: filter.from ?? undefined, lt: filter.to ?? undefined } : undefined,
  };
}

builder.queryFields((t) => ({
  auditEvents: t.withAuth({ manager: true }).prismaConnection(
    {
      type: AuditEventRef,
      cursor: 'id',
      defaultSize: 50,
      maxSize: 200,
      description: 'Audit records, newest first.',
      args: { filter: t.arg({ type: AuditEventFilter, required: false }) },
      resolve: (query, _root, { filter }, ctx) =>
        ctx.prisma.auditEvent.findMany({ ...query, where: auditWhere(filter), orderBy: { id: 'desc' } }),
    },
    { name: 'AuditEventConnection' },
    { name: 'AuditEventEdge' },
  ),
  verifyAuditChain: t.withAuth({ manager: true }).field({
    type: AuditChainVerification,
    description: 'Walks the whole audit log and reports the first edited or missing record.',
    resolve: (_root, _args, ctx) => verifyAuditChain(ctx.prisma),
  }),
}));
