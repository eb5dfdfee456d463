// The audit log for managers: filtered, cursor-paginated (newest first) reads, the tamper check
// (hash chain and signed checkpoints) and the public key that signs the checkpoints. Rows are written by the audit plugin and the session lifecycle, never here. The
// connection's pages are keyset pages of audit/keyset.ts (ids first, then records); its cursors are cursors.ts'.
import { auditWhere } from '../audit/filter.ts';
import { AUDIT_ORDER, auditPageIds } from '../audit/keyset.ts';
import { namesOf } from '../audit/names.ts';
import { pageAnchorsOf, pageOfRecord } from '../audit/session-activity.ts';
import { AuditFindingCodes, type AuditFinding } from '../audit/findings.ts';
import { verifyAuditLog, type AuditVerification } from '../audit/verify.ts';
import { auditArchiveDir } from '../audit/retention/job.ts';
import { checkArchive, withArchive } from '../audit/retention/verify-cli.ts';
import { builder } from './builder.ts';
import { auditEventsCursor, connectionOf, pageRequest } from './cursors.ts';
import { AuditActionEnum, AuditOutcomeEnum } from './enums.ts';
import { AuditPeriod, salonZone } from '../audit/periods.ts';
import { withPeriod, PeriodAndRange } from '../audit/session-filter.ts';
import { shownText } from '../audit/access-summary.ts';
import { ownPageOf, seenOf } from '../audit/pages.ts';
import { badInput } from '../errors.ts';

/** The audit browser's date presets, in the salon's calendar (audit/periods.ts). */
export const AuditPeriodEnum = builder.enumType('AuditPeriod', {
  description: 'A date preset of the salon’s calendar (SALON_TIME_ZONE, else UTC); the last 7 days include today.',
  values: Object.values(AuditPeriod),
});

/** One audit record (a timeline's row, a log's row). */
export const AuditEventRef = builder.prismaObject('AuditEvent', {
  description: 'One append-only audit record; its hash covers the previous record’s hash.',
  fields: (t) => ({
    id: t.id({ resolve: (row) => String(row.id) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    action: t.expose('action', { type: AuditActionEnum }),
    outcome: t.expose('outcome', { type: AuditOutcomeEnum }),
    staffId: t.exposeID('staffId', { nullable: true }),
    staffName: t.string({
      nullable: true,
      resolve: (row, _args, ctx) => (row.staffId ? namesOf(ctx).staff(row.staffId) : null),
    }),
    customerId: t.exposeID('customerId', { nullable: true }),
    customerName: t.string({
      nullable: true,
      resolve: (row, _args, ctx) => (row.customerId ? namesOf(ctx).customer(row.customerId) : null),
    }),
    sessionId: t.exposeID('sessionId', { nullable: true }),
    page: t.string({
      nullable: true,
      description:
        'The portal page the record belongs to (Home, Appointments, My Pets, Report Cards, Billing, Messages, Settings); a header query or the banner feed has the page it came with. Null outside a staff view’s operations.',
      resolve: async (row, _args, ctx) => {
        if (!row.sessionId) return null;
        // Only a record that read nothing but the header needs its session's other records.
        return pageOfRecord(row, pageAnchorsOf(ctx));
      },
    }),
    shown: t.string({
      nullable: true,
      description:
        'What the operation showed, counted (“2 invoices, 3 appointments”); null when it showed no portal records.',
      resolve: (row) =>
        row.action === 'OPERATION' && row.outcome !== 'DENIED' ? shownText(seenOf(row).records) || null : null,
    }),
    headerOnly: t.boolean({
      description:
        'An operation that read only what every page shows (the header, the staff banner): part of the page view it came with, which the browser folds it into.',
      resolve: (row) => ownPageOf(row) === 'chrome',
    }),
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

/** The filters of the audit log (audit/filter.ts). */
export const AuditEventFilter = builder.inputType('AuditEventFilter', {
  fields: (t) => ({
    sessionId: t.id({ required: false }),
    staffId: t.id({ required: false }),
    customerId: t.id({ required: false }),
    action: t.field({ type: AuditActionEnum, required: false }),
    outcome: t.field({ type: AuditOutcomeEnum, required: false }),
    from: t.field({ type: 'DateTime', required: false, description: 'Inclusive.' }),
    to: t.field({ type: 'DateTime', required: false, description: 'Exclusive.' }),
    ticket: t.string({
      required: false,
      description: 'The records of the staff views whose start named this ticket id (exact).',
    }),
    period: t.field({
      type: AuditPeriodEnum,
      required: false,
      description: 'A preset of the salon’s calendar instead of from/to.',
    }),
  }),
});

/** A filter's period as from/to of the salon's calendar (BAD_USER_INPUT with from/to as well). */
export function withSalonPeriod<F extends { period?: AuditPeriod | null; from?: Date | null; to?: Date | null }>(
  filter: F | null | undefined,
  ctx: { clock: { now(): Date }; config: { SALON_TIME_ZONE?: string | undefined } },
): F | null {
  try {
    return withPeriod(filter, ctx.clock.now(), salonZone(ctx.config));
  } catch (error) {
    if (error instanceof PeriodAndRange) throw badInput(error.message);
    throw error;
  }
}

const AuditFindingCodeEnum = builder.enumType('AuditFindingCode', {
  description: 'What the verifier found; `npm run audit:verify` exits with the code given for each.',
  values: Object.fromEntries(
    Object.entries(AuditFindingCodes).map(([code, { exitCode, description }]) => [
      code,
      { description: `${description} CLI exit code ${exitCode}.` },
    ]),
  ) as Record<keyof typeof AuditFindingCodes, { description: string }>,
});

const AuditFindingSeverityEnum = builder.enumType('AuditFindingSeverity', { values: ['ERROR', 'WARNING'] as const });

const AuditChainFinding = builder.objectRef<AuditFinding>('AuditChainFinding').implement({
  fields: (t) => ({
    code: t.field({ type: AuditFindingCodeEnum, resolve: (finding) => finding.code }),
    severity: t.field({ type: AuditFindingSeverityEnum, resolve: (finding) => finding.severity }),
    recordId: t.exposeID('recordId', { nullable: true }),
    checkpointId: t.exposeID('checkpointId', { nullable: true }),
    detail: t.exposeString('detail'),
  }),
});

const AuditChainVerification = builder.objectRef<AuditVerification>('AuditChainVerification').implement({
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: 'No error-level finding (an unverified tail alone is a warning).' }),
    checked: t.exposeInt('checked'),
    brokenAtId: t.exposeID('brokenAtId', { nullable: true }),
    problem: t.exposeString('problem', { nullable: true }),
    findings: t.field({ type: [AuditChainFinding], resolve: (result) => result.findings }),
  }),
});

const AuditSigningKey = builder.objectRef<{ publicKeyPem: string; fingerprint: string }>('AuditSigningKey').implement({
  description: 'The Ed25519 public key that verifies the audit checkpoints (the private key is not in the database).',
  fields: (t) => ({
    publicKeyPem: t.exposeString('publicKeyPem'),
    fingerprint: t.exposeString('fingerprint'),
  }),
});

builder.queryFields((t) => ({
  auditEvents: t.withAuth({ manager: true }).connection(
    {
      type: AuditEventRef,
      description: 'Audit records, newest first (by time, then by id).',
      args: { filter: t.arg({ type: AuditEventFilter, required: false }) },
      resolve: async (_root, args, ctx) => {
        const page = pageRequest(args, { defaultSize: 50, maxSize: 200 }, auditEventsCursor.decode);
        const cursor = page.cursor === null ? undefined : { id: page.cursor };
        const ids = await auditPageIds(ctx.prisma, await auditWhere(ctx.prisma, withSalonPeriod(args.filter, ctx)), {
          cursor,
          take: page.take,
        });
        // An audit record has no relations to include: whole rows.
        const rows = await ctx.prisma.auditEvent.findMany({ where: { id: { in: ids } }, orderBy: AUDIT_ORDER });
        return connectionOf(rows, args, page, (row) => auditEventsCursor.encode(row.id));
      },
    },
    { name: 'AuditEventConnection' },
    { name: 'AuditEventEdge' },
  ),
  verifyAuditChain: t.withAuth({ manager: true }).field({
    type: AuditChainVerification,
    description:
      'Walks the whole audit log against its hash chain and every signed checkpoint (database and file sink) and lists the findings.',
    resolve: async (_root, _args, ctx) => {
      // Dropped months are checked in their archived segments, and the live walk resumes after them.
      const archive = await checkArchive(
        auditArchiveDir(ctx.config),
        ctx.auditSigning.key.publicKey,
        ctx.pool,
        ctx.config.AUDIT_TSA_CERT_FILE,
      );
      const result = await verifyAuditLog(
        ctx.pool,
        {
          publicKey: ctx.auditSigning.key.publicKey,
          checkpointFile: ctx.auditSigning.checkpointFile,
          tsaCertFile: ctx.config.AUDIT_TSA_CERT_FILE,
        },
        1000,
        archive.resume,
      );
      return withArchive(result, archive);
    },
  }),
  auditSigningKey: t.withAuth({ manager: true }).field({
    type: AuditSigningKey,
    resolve: (_root, _args, ctx) => ctx.auditSigning.key,
  }),
}));
