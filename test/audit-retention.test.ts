// Retention with legal hold (issue 22): a 14-month synthetic log, written month by month on the
// test clock with the maintenance job run as the months go by, ends with 12 months live, the 2
// oldest dropped after being archived as signed segments that verify offline with the public key
// alone, a held customer's records of those months kept, and a verify of archive + live that passes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditAction, AuditOutcome } from '@prisma/client';
import { appendAudit } from '../server/audit/chain.ts';
import { runAuditMaintenance, type MaintenanceReport } from '../server/audit/retention/job.ts';
import { placeLegalHold } from '../server/audit/retention/legal-holds.ts';
import { monthOf, monthStart, partitionMonths } from '../server/audit/retention/months.ts';
import { resumeAfter } from '../server/audit/retention/resume.ts';
import { segmentFiles } from '../server/audit/retention/segment.ts';
import { verifyArchive } from '../server/audit/retention/verify-archive.ts';
import { verifyAuditLog } from '../server/audit/verify.ts';
import { errorCode, startTestApp, type TestApp } from './harness.ts';

let app: TestApp;
let archiveDir: string;
let chloe: string;
let dan: string;
let mara: string;
const DAY = 86_400_000;
const months: string[] = [];
const reports: MaintenanceReport[] = [];

const maintain = async () => {
  const report = await runAuditMaintenance({ ...app.services, archiveDir });
  reports.push(report);
  return report;
};
const keys = () => ({ publicKey: app.services.auditSigning.key.publicKey, checkpointFile: null });

beforeAll(async () => {
  archiveDir = await mkdtemp(join(tmpdir(), 'audit-archive-'));
  app = await startTestApp({ config: { AUDIT_ARCHIVE_DIR: archiveDir } });
  const { prisma } = app.services;
  chloe = (await prisma.customer.findUniqueOrThrow({ where: { email: 'chloe@example.test' } })).id;
  dan = (await prisma.customer.findUniqueOrThrow({ where: { email: 'dan@example.test' } })).id;
  mara = (await prisma.staff.findUniqueOrThrow({ where: { email: 'mara@salon.test' } })).id;
  const today = app.clock.now();
  const start = monthStart(today, -14);
  await placeLegalHold(
    prisma,
    { staffId: mara, now: start, audit: { requestId: null, ip: null, userAgent: null } },
    { customerId: chloe },
    'Litigation hold for the billing dispute',
  );
  for (let month = 0; month < 14; month += 1) {
    app.clock.set(new Date(monthStart(start, month).getTime() + 3 * DAY));
    months.push(monthOf(app.clock.now()));
    await maintain();
    for (const [index, customerId] of [chloe, dan, dan, null].entries()) {
      app.clock.advance(60_000);
      await appendAudit(prisma, {
        action: AuditAction.OPERATION,
        outcome: AuditOutcome.ALLOWED,
        createdAt: app.clock.now(),
        staffId: mara,
        customerId,
        sessionId: `session-${month}-${index % 2}`,
        operationName: 'PortalHome',
      });
    }
    await app.app.auditCheckpoints.checkpointNow();
  }
  app.clock.set(new Date(monthStart(start, 14).getTime() + DAY));
  await maintain();
  await app.app.auditCheckpoints.checkpointNow();
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (archiveDir) await rm(archiveDir, { recursive: true, force: true });
});

describe('Retention', () => {
  it('keeps the 12 newest months live and drops the 2 oldest, partitions and all', async () => {
    const live = await partitionMonths(app.services.pool);
    expect(live).not.toContain(months[0]);
    expect(live).not.toContain(months[1]);
    for (const month of months.slice(2)) expect(live).toContain(month);
    const { rows } = await app.services.pool.query<{ month: string; records: number }>(
      `SELECT to_char("createdAt", 'YYYY-MM') AS month, count(*)::int AS records FROM "AuditEvent"
        WHERE "createdAt" < $1 GROUP BY 1 ORDER BY 1`,
      [monthStart(app.clock.now()).toISOString()],
    );
    expect(rows.map((row) => row.month)).toEqual(months.slice(2));
    expect(reports.flatMap((report) => report.dropped.map((dropped) => dropped.month))).toEqual(months.slice(0, 2));
  });

  it('archived every month past the hot months as a signed segment before dropping any', async () => {
    const segments = await app.services.prisma.auditArchiveSegment.findMany({ orderBy: { month: 'asc' } });
    // Hot: the 3 newest months; older ones are archived but stay live until retention drops them.
    expect(segments.map((segment) => segment.month)).toEqual(months.slice(0, 11));
    expect(segments.filter((segment) => segment.droppedAt).map((segment) => segment.month)).toEqual(months.slice(0, 2));
  });

  it('records each drop in the audit: the month, its counts and the segment’s hash', async () => {
    const drops = await app.services.prisma.auditEvent.findMany({
      where: { action: AuditAction.AUDIT_MONTH_DROPPED },
      orderBy: { id: 'asc' },
    });
    const segments = await app.services.prisma.auditArchiveSegment.findMany({
      where: { droppedAt: { not: null } },
      orderBy: { month: 'asc' },
    });
    expect(drops.map((drop) => drop.seen)).toEqual(
      segments.map((segment) =>
        expect.objectContaining({
          month: segment.month,
          records: segment.records,
          heldRecords: segment.heldRecords,
          sha256: segment.sha256,
        }),
      ),
    );
  });

  it('keeps the held customer’s records of the dropped months, and nobody else’s', async () => {
    const held = await app.services.prisma.auditHeldEvent.findMany({ orderBy: { id: 'asc' } });
    // Her operations of both months, and the hold's own record (it names her), placed in the first.
    expect(held.map((record) => [record.month, record.customerId, record.action])).toEqual([
      [months[0], chloe, AuditAction.AUDIT_LEGAL_HOLD_PLACED],
      [months[0], chloe, AuditAction.OPERATION],
      [months[1], chloe, AuditAction.OPERATION],
    ]);
    expect(held.some((record) => record.customerId === dan)).toBe(false);
  });

  it('verifies the archive offline with the public key alone', async () => {
    const archive = await verifyArchive(archiveDir, app.services.auditSigning.key.publicKey);
    expect(archive.findings).toEqual([]);
    expect(archive.segments).toEqual(months.slice(0, 11));
    const segments = await app.services.prisma.auditArchiveSegment.findMany();
    expect(archive.records).toBe(segments.reduce((sum, segment) => sum + segment.records, 0));
  });

  it('verifies the live log from where the dropped months end', async () => {
    const archive = await verifyArchive(archiveDir, app.services.auditSigning.key.publicKey, {
      throughMonth: months[1],
    });
    const live = await verifyAuditLog(app.services.pool, keys(), 1000, resumeAfter(archive));
    expect(live.findings).toEqual([]);
    expect(live.ok).toBe(true);
    // Without the archive, the dropped months are missing records.
    const alone = await verifyAuditLog(app.services.pool, keys());
    expect(alone.ok).toBe(false);
  });

  it('verifyAuditChain (managers) verifies the live log from the archive too', async () => {
    await app.app.auditCheckpoints.checkpointNow();
    const result = await app.gql(
      '{ verifyAuditChain { ok findings { code severity detail } } }',
      {},
      await app.signIn('mara'),
    );
    expect(
      result.data.verifyAuditChain.findings.filter((found: { severity: string }) => found.severity === 'ERROR'),
    ).toEqual([]);
    expect(result.data.verifyAuditChain.ok).toBe(true);
  });

  it('reports a segment whose file was altered', async () => {
    const file = join(archiveDir, segmentFiles(months[0]!).records);
    const original = await readFile(file);
    try {
      await writeFile(file, Buffer.concat([original, Buffer.from([0])]));
      const archive = await verifyArchive(archiveDir, app.services.auditSigning.key.publicKey);
      expect(archive.ok).toBe(false);
      expect(archive.findings.map((finding) => finding.code)).toContain('EDITED_RECORD');
    } finally {
      await writeFile(file, original);
    }
  });

  it('refuses UPDATE and DELETE in every month’s partition', async () => {
    const partition = `AuditEvent_${months[5]!.replace('-', '_')}`;
    await expect(app.services.pool.query(`DELETE FROM "${partition}"`)).rejects.toThrow(/append-only/);
    await expect(app.services.pool.query(`UPDATE "AuditEvent" SET reason = 'x'`)).rejects.toThrow(/append-only/);
    await expect(app.services.pool.query('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/);
  });
});

describe('Legal holds (GraphQL)', () => {
  const PLACE = `mutation Place($customerId: ID, $from: DateTime, $until: DateTime, $reason: String!) {
    placeAuditLegalHold(customerId: $customerId, from: $from, until: $until, reason: $reason) { id customerName reason releasedAt }
  }`;
  const RELEASE = `mutation Release($holdId: ID!, $reason: String!) {
    releaseAuditLegalHold(holdId: $holdId, reason: $reason) { id releasedAt releaseReason }
  }`;

  it('a manager places and releases a hold, each with a reason and an audit record', async () => {
    const token = await app.signIn('mara');
    const placed = await app.gql(PLACE, { customerId: dan, reason: 'Regulator asked us to keep these' }, token);
    expect(placed.errors).toBeUndefined();
    const holdId = placed.data.placeAuditLegalHold.id as string;
    const released = await app.gql(RELEASE, { holdId, reason: 'The regulator closed the case' }, token);
    expect(released.data.releaseAuditLegalHold.releaseReason).toBe('The regulator closed the case');
    const records = await app.services.prisma.auditEvent.findMany({
      where: {
        action: { in: [AuditAction.AUDIT_LEGAL_HOLD_PLACED, AuditAction.AUDIT_LEGAL_HOLD_RELEASED] },
        customerId: dan,
      },
      orderBy: { id: 'asc' },
    });
    expect(records.map((record) => [record.action, record.staffId, record.reason])).toEqual([
      [AuditAction.AUDIT_LEGAL_HOLD_PLACED, mara, 'Regulator asked us to keep these'],
      [AuditAction.AUDIT_LEGAL_HOLD_RELEASED, mara, 'The regulator closed the case'],
    ]);
    expect(errorCode(await app.gql(RELEASE, { holdId, reason: 'The regulator closed the case' }, token))).toBe(
      'CONFLICT',
    );
  });

  it('refuses a hold without a criterion, with an empty range or a short reason', async () => {
    const token = await app.signIn('mara');
    expect(errorCode(await app.gql(PLACE, { reason: 'Regulator asked us to keep these' }, token))).toBe(
      'BAD_USER_INPUT',
    );
    const at = '2026-01-01T00:00:00.000Z';
    expect(
      errorCode(await app.gql(PLACE, { from: at, until: at, reason: 'Regulator asked us to keep these' }, token)),
    ).toBe('BAD_USER_INPUT');
    expect(errorCode(await app.gql(PLACE, { customerId: dan, reason: 'short' }, token))).toBe('BAD_USER_INPUT');
  });

  it('refuses a groomer (unauthorized)', async () => {
    const token = await app.signIn('rita');
    const refused = await app.gql(PLACE, { customerId: dan, reason: 'Regulator asked us to keep these' }, token);
    expect(refused.data?.placeAuditLegalHold ?? null).toBeNull();
    expect(await app.services.prisma.auditLegalHold.count({ where: { customerId: dan, releasedAt: null } })).toBe(0);
  });
});
