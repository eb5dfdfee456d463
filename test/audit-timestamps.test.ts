// External timestamps of the audit checkpoints (RFC 3161) against a real TSA: Debian's `openssl ts`
// behind a small HTTP handler (test/tsa.ts). A stamped checkpoint verifies against the TSA's
// certificate; a token altered, or moved to another checkpoint, is a finding; a TSA that is down
// leaves the app serving and the checkpoint writer writing, and the checkpoint is stamped once the
// TSA is back.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { appendAudit } from '../server/audit/chain.ts';
import type { AuditCheckpoint } from '../server/audit/checkpoint-signature.ts';
import { readLatestCheckpoint } from '../server/audit/checkpoint-table.ts';
import { verifyAuditLog, type AuditVerification } from '../server/audit/verify.ts';
import { archiveMonth } from '../server/audit/retention/archive.ts';
import { monthOf } from '../server/audit/retention/months.ts';
import { segmentFiles, signManifest } from '../server/audit/retention/segment.ts';
import { verifyArchive } from '../server/audit/retention/verify-archive.ts';
import { parseTsaCertificate } from '../server/audit/tsa-token.ts';
import { processRegistry } from '../server/observability/process-metrics.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { opensslMissing, startTestTsa, type TestTsa } from './tsa.ts';

let tsa: TestTsa;
let app: TestApp;
let records = 0;

const pool = () => app.services.pool;

/** The checkpoint ids that have a token. */
async function stampedIds(db: pg.ClientBase | pg.Pool = pool()): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT "checkpointId"::text AS id FROM "AuditCheckpointTimestamp" ORDER BY "checkpointId"',
  );
  return rows.map((row) => row.id);
}

/** Adds a record and signs a checkpoint over it (or finds the one the timer signed first). */
async function newCheckpoint(): Promise<AuditCheckpoint> {
  records += 1;
  await appendAudit(app.services.prisma, {
    action: 'OPERATION',
    outcome: 'ALLOWED',
    createdAt: app.clock.now(),
    sessionId: `timestamps-${records}`,
    operationName: `Timestamped${records}`,
    rootFields: ['me'],
  });
  const checkpoint = (await app.app.auditCheckpoints.checkpointNow()) ?? (await readLatestCheckpoint(pool()));
  if (!checkpoint) throw new Error('no checkpoint written');
  return checkpoint;
}

/** Waits until the background timestamper has stamped `checkpoint`. */
const stamped = (checkpoint: AuditCheckpoint) =>
  vi.waitFor(async () => expect(await stampedIds()).toContain(checkpoint.id), { timeout: 15_000, interval: 50 });

const verify = (db: pg.ClientBase | pg.Pool = pool(), tsaCertFile = tsa.certFile) =>
  verifyAuditLog(db, {
    publicKey: app.services.auditSigning.key.publicKey,
    checkpointFile: app.services.auditSigning.checkpointFile,
    tsaCertFile,
  });

const timestampFindings = (result: AuditVerification) =>
  result.findings.filter((finding) => finding.code === 'BAD_TIMESTAMP' || finding.code === 'NOT_TIMESTAMPED');

/** Runs an attack on the tokens with the append-only triggers off, verifies inside it, and rolls it back. */
async function underAttack(attack: (db: pg.PoolClient) => Promise<void>): Promise<AuditVerification> {
  const db = await pool().connect();
  try {
    await db.query('BEGIN');
    await db.query('ALTER TABLE "AuditCheckpointTimestamp" DISABLE TRIGGER USER');
    await attack(db);
    return await verify(db);
  } finally {
    await db.query('ROLLBACK');
    db.release();
  }
}

const tsaFailures = async () =>
  (await processRegistry.getSingleMetric('salon_audit_tsa_failures_total')!.get()).values[0]?.value ?? 0;

describe.skipIf(opensslMissing)(
  `Checkpoint timestamps (RFC 3161)${opensslMissing ? `: skipped, ${opensslMissing}` : ''}`,
  () => {
    beforeAll(async () => {
      tsa = await startTestTsa();
      app = await startTestApp({
        config: {
          AUDIT_TSA_URL: tsa.url,
          AUDIT_TSA_CERT_FILE: tsa.certFile,
          // The timestamper looks every 200 ms and, while the TSA fails, at most every 400 ms.
          AUDIT_CHECKPOINT_INTERVAL_MS: 200,
          AUDIT_TSA_RETRY_MAX_MS: 400,
        },
      });
      // Certificates made by openssl and an app started: slow on a loaded machine.
    }, 180_000);
    afterAll(async () => {
      await app?.close();
      await tsa?.close();
    });

    it('stamps each checkpoint, and the token verifies against the TSA certificate', async () => {
      const checkpoint = await newCheckpoint();
      await stamped(checkpoint);
      await vi.waitFor(async () => expect(timestampFindings(await verify())).toEqual([]), { timeout: 15_000 });
      const { rows } = await pool().query<{ genTime: Date; tsaUrl: string }>(
        'SELECT "genTime", "tsaUrl" FROM "AuditCheckpointTimestamp" WHERE "checkpointId" = $1',
        [checkpoint.id],
      );
      expect(rows[0]!.tsaUrl).toBe(tsa.url);
      // openssl's genTime has whole seconds: within a second of the checkpoint's own time.
      expect(Math.abs(rows[0]!.genTime.getTime() - new Date(checkpoint.createdAt).getTime())).toBeLessThan(60_000);
      expect((await verify()).ok).toBe(true);
    });

    it('names tokens not signed by the TSA certificate the verifier is given', async () => {
      await stamped(await newCheckpoint());
      const result = await verify(pool(), tsa.otherCertFile);
      expect(result.ok).toBe(false);
      expect(result.findings.find((finding) => finding.code === 'BAD_TIMESTAMP')?.detail).toMatch(
        /is not signed by the TSA certificate/,
      );
    });

    it('names a token altered in the database', async () => {
      const checkpoint = await newCheckpoint();
      await stamped(checkpoint);
      const result = await underAttack(async (db) => {
        // The last bytes are the TSA's signature value.
        await db.query(
          `UPDATE "AuditCheckpointTimestamp" SET token = overlay(token placing '\\x00'::bytea from length(token) - 3 for 1)
          WHERE "checkpointId" = $1`,
          [checkpoint.id],
        );
      });
      expect(timestampFindings(result)).toEqual([
        expect.objectContaining({ code: 'BAD_TIMESTAMP', severity: 'ERROR', checkpointId: checkpoint.id }),
      ]);
      expect(result.ok).toBe(false);
    });

    it("names another checkpoint's token put in place of a checkpoint's own", async () => {
      const first = await newCheckpoint();
      const second = await newCheckpoint();
      await stamped(second);
      const result = await underAttack(async (db) => {
        await db.query('DELETE FROM "AuditCheckpointTimestamp" WHERE "checkpointId" = $1', [second.id]);
        await db.query(
          `INSERT INTO "AuditCheckpointTimestamp" ("checkpointId", token, "genTime", "tsaUrl")
         SELECT $1, token, "genTime", "tsaUrl" FROM "AuditCheckpointTimestamp" WHERE "checkpointId" = $2`,
          [second.id, first.id],
        );
      });
      expect(timestampFindings(result)).toEqual([
        expect.objectContaining({
          code: 'BAD_TIMESTAMP',
          checkpointId: second.id,
          detail: expect.stringMatching(/stamps other data/),
        }),
      ]);
    });

    it("an archived month carries its checkpoints' tokens, checked offline with the TSA certificate", async () => {
      const first = await newCheckpoint();
      const second = await newCheckpoint();
      await stamped(first);
      await stamped(second);
      const dir = await mkdtemp(join(tmpdir(), 'salon-archive-tsa-'));
      try {
        const key = app.services.auditSigning.key;
        const month = monthOf(app.clock.now());
        const manifest = (await archiveMonth(pool(), month, { dir, key, now: app.clock.now() }))!;
        expect(manifest.timestamps?.map((stamp) => stamp.checkpointId)).toEqual(
          expect.arrayContaining([first.id, second.id]),
        );
        const tsaCert = parseTsaCertificate(await readFile(tsa.certFile, 'utf8'));
        const badTimestamps = async () =>
          (await verifyArchive(dir, key.publicKey, { tsa: tsaCert })).findings.filter(
            (finding) => finding.code === 'BAD_TIMESTAMP',
          );
        expect(await badTimestamps()).toEqual([]);
        // The operator swaps one checkpoint's token for another's and signs the manifest again.
        const stamps = manifest.timestamps!;
        const swapped = stamps.map((stamp) =>
          stamp.checkpointId === second.id
            ? { ...stamp, token: stamps.find((other) => other.checkpointId === first.id)!.token }
            : stamp,
        );
        const { signature: _signature, ...unsigned } = manifest;
        const forged = signManifest({ ...unsigned, timestamps: swapped }, key.privateKey);
        await writeFile(join(dir, segmentFiles(month).manifest), JSON.stringify(forged));
        expect(await badTimestamps()).toEqual([
          expect.objectContaining({ code: 'BAD_TIMESTAMP', checkpointId: second.id }),
        ]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('keeps serving and checkpointing while the TSA is down, reports it, and stamps the checkpoint once it is back', async () => {
      tsa.setDown(true);
      const failuresBefore = await tsaFailures();
      try {
        const checkpoint = await newCheckpoint();
        // The app answers and the writer wrote its checkpoint, TSA or not.
        expect(await app.signIn('max')).toBeTruthy();
        await vi.waitFor(async () => expect(await tsaFailures()).toBeGreaterThan(failuresBefore), { timeout: 15_000 });
        expect(await stampedIds()).not.toContain(checkpoint.id);
        const result = await verify();
        expect(result.ok).toBe(true);
        expect(timestampFindings(result)).toEqual([
          expect.objectContaining({ code: 'NOT_TIMESTAMPED', severity: 'WARNING' }),
        ]);
        expect(
          (await processRegistry.getSingleMetric('salon_audit_timestamp_oldest_pending_seconds')!.get()).values[0]
            ?.value,
        ).toBeGreaterThanOrEqual(0);
        tsa.setDown(false);
        await stamped(checkpoint);
        await vi.waitFor(async () => expect(timestampFindings(await verify())).toEqual([]), { timeout: 15_000 });
      } finally {
        tsa.setDown(false);
      }
    });
  },
);
