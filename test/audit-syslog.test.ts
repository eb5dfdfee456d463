// SIEM streaming (issue 22, item 5): every audit record and checkpoint reaches a real syslog
// receiver (Debian's rsyslog, test/rsyslog.ts), at least once and in order, across a receiver
// outage and an instance handing over to another, with one sender at a time; and what the receiver
// wrote verifies with the public key alone (server/audit/siem/verify-syslog.ts), which also names
// gaps, edits and forged checkpoints in such a file.
import { execFile } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { appendAudit } from '../server/audit/chain.ts';
import { signCheckpoint } from '../server/audit/checkpoint-signature.ts';
import { parseStreamLine } from '../server/audit/siem/syslog-message.ts';
import { createAuditStreamer } from '../server/audit/siem/streamer.ts';
import { openSyslogConnection, syslogTarget } from '../server/audit/siem/syslog-connection.ts';
import { verifySyslogText } from '../server/audit/siem/verify-syslog.ts';
import { createJsonLogger } from '../server/observability/logger.ts';
import { startTestApp, startTestAppBeside, type TestApp } from './harness.ts';
import {
  findRsyslogd,
  makeReceiverCertificates,
  rsyslogHasTls,
  startRsyslog,
  type RsyslogReceiver,
} from './rsyslog.ts';

const rsyslogd = findRsyslogd();
if (!rsyslogd) console.warn('audit-syslog: skipped, rsyslogd is not installed (apt-get install rsyslog)');

let receiver: RsyslogReceiver;
let first: TestApp;
let second: TestApp | null = null;
/** The instance that sends: the first, until the two-instance test hands over to the second. */
let current: TestApp;
/** One signing key for every instance of the deployment. */
let keyFile: string;
const publicKey = () => createPublicKey(first.services.auditSigning.key.publicKeyPem);
const syslogConfig = () => ({
  AUDIT_SIGNING_KEY_FILE: keyFile,
  AUDIT_SYSLOG_URL: receiver.url,
  AUDIT_SYSLOG_SETTLE_MS: 200,
  AUDIT_SYSLOG_HOSTNAME: 'salon-test',
  AUDIT_SYSLOG_LAG_WARN_SECONDS: 1,
  // Checkpoints when a test takes them (and at stop), not on a timer.
  AUDIT_CHECKPOINT_INTERVAL_MS: 3_600_000,
});

/** `count` records on as many sessions (so over many shards), with text and JSON that must survive the trip. */
async function writeRecords(app: TestApp, count: number) {
  for (let n = 0; n < count; n += 1) {
    await appendAudit(app.services.prisma, {
      action: 'OPERATION',
      outcome: n % 3 === 0 ? 'DENIED' : 'ALLOWED',
      createdAt: app.clock.now(),
      sessionId: randomUUID(),
      operationName: `Syslog${n}`,
      rootFields: ['me', 'pets'],
      variables: { z: n, a: ['Chloé', 'line\nbreak', '"quoted" ] \\'] },
      reason: n === 0 ? 'Rückruf — "why?" ✓' : null,
    });
  }
  await app.app.auditCheckpoints.checkpointNow();
}

/** The ids the database has, and the items of each kind in the receiver's file. */
async function delivery(app: TestApp, from: RsyslogReceiver = receiver) {
  const { rows: records } = await app.services.pool.query<{ id: string }>('SELECT id::text FROM "AuditEvent"');
  const { rows: checkpoints } = await app.services.pool.query<{ id: string }>('SELECT id::text FROM "AuditCheckpoint"');
  const items = (await from.read()).split('\n').map(parseStreamLine);
  const received = new Set(
    items.flatMap((item) =>
      item && item !== 'unreadable' ? [item.kind === 'record' ? `r${item.record.id}` : `c${item.checkpoint.id}`] : [],
    ),
  );
  const missing = [...records.map((row) => `r${row.id}`), ...checkpoints.map((row) => `c${row.id}`)].filter(
    (key) => !received.has(key),
  );
  return { items, missing, records: records.length, checkpoints: checkpoints.length };
}

/** Waits until the receiver's file has every record and checkpoint of the database. */
async function receivedEverything(app: TestApp, from: RsyslogReceiver = receiver) {
  await vi.waitFor(
    async () => {
      const { missing } = await delivery(app, from);
      expect(missing).toEqual([]);
    },
    { timeout: 30_000, interval: 100 },
  );
  return delivery(app, from);
}

/** How many lines of the file carry the record with this id. */
const copiesOf = (items: Awaited<ReturnType<typeof delivery>>['items'], id: string) =>
  items.filter((item) => item && item !== 'unreadable' && item.kind === 'record' && item.record.id === id).length;

const lag = async (app: TestApp) => {
  const text = await (await app.app.yoga.fetch('http://test/metrics')).text();
  return Number(/^salon_audit_siem_lag_records\{kind="record"\} (\d+)/m.exec(text)?.[1]);
};

describe.skipIf(!rsyslogd)(
  `streaming the audit log to rsyslog${rsyslogd ? '' : ' (skipped: rsyslogd is not installed; apt-get install rsyslog)'}`,
  () => {
    beforeAll(async () => {
      receiver = await startRsyslog();
      keyFile = join(await mkdtemp(join(tmpdir(), 'syslog-key-')), 'audit-signing-key.pem');
      await writeFile(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), {
        mode: 0o600,
      });
      first = current = await startTestApp({ config: syslogConfig() });
    });

    afterAll(async () => {
      await second?.close();
      await first?.close();
      await receiver?.close();
    });

    test('a fresh receiver gets every record and checkpoint, and its file verifies with the public key alone', async () => {
      await first.signIn('mara');
      await writeRecords(first, 40);
      const { records, checkpoints, items } = await receivedEverything(first);
      expect(records).toBeGreaterThan(40);
      expect(checkpoints).toBeGreaterThan(0);

      const result = verifySyslogText(await receiver.read(), publicKey());
      expect(result.findings.filter((found) => found.severity === 'ERROR')).toEqual([]);
      expect(result.records).toBe(records);
      const reason = items.find(
        (item) => item && item !== 'unreadable' && item.kind === 'record' && item.record.reason,
      );
      expect(reason).toMatchObject({ record: { reason: 'Rückruf — "why?" ✓' } });
      // rsyslog wrote RFC 5424 lines as sent: priority "log audit"/info, our host and app name.
      expect(await receiver.read()).toMatch(
        /^<110>1 \S+ salon-test salon-audit \d+ audit-record \[salonAudit@32473 kind="record"/m,
      );
    });

    test('the verifier script checks the file with nothing but a public key file', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'syslog-verify-'));
      const keyFile = join(dir, 'public.pem');
      await writeFile(keyFile, first.services.auditSigning.key.publicKeyPem);
      const run = await promisify(execFile)(
        'npx',
        ['tsx', 'server/scripts/verify-audit-syslog.ts', receiver.file, '--key', keyFile],
        { env: { ...process.env, DATABASE_URL: '' } },
      ).catch((error: { code: number; stdout: string }) => error);
      // 0, or 20: records (the sign-in's) after the last checkpoint.
      expect([0, 20]).toContain('code' in run ? run.code : 0);
      expect(run.stdout).toMatch(/Syslog copy intact/);
    });

    // Two instances share a database on PostgreSQL (the embedded one serves one process).
    test.skipIf(!process.env.DATABASE_URL)(
      'two instances send each record once, and the second resumes where the first was acknowledged',
      async () => {
        second = await startTestAppBeside(first, { config: syslogConfig() });
        await writeRecords(second, 10);
        await writeRecords(first, 10);
        let { items } = await receivedEverything(first);
        const { rows } = await first.services.pool.query<{ id: string }>(
          'SELECT id::text FROM "AuditEvent" ORDER BY id',
        );
        // One sender at a time: no record was sent twice while both ran.
        expect(rows.map((row) => copiesOf(items, row.id))).toEqual(rows.map(() => 1));

        await first.app.stop();
        current = second;
        await writeRecords(second, 10);
        ({ items } = await receivedEverything(second));
        expect(copiesOf(items, rows[0]!.id)).toBe(1);
        expect(verifySyslogText(await receiver.read(), publicKey()).ok).toBe(true);
      },
    );

    test('records written while the receiver is down arrive once it is back, with the lag shown meanwhile', async () => {
      const app = current;
      await receiver.stop();
      const logged = vi.spyOn(process.stderr, 'write');
      try {
        await writeRecords(app, 25);
        // The oldest record not yet acknowledged is now older than AUDIT_SYSLOG_LAG_WARN_SECONDS.
        app.clock.advance(2000);
        await vi.waitFor(async () => expect(await lag(app)).toBeGreaterThan(0), { timeout: 10_000 });
        await vi.waitFor(() => expect(logged.mock.calls.join('\n')).toMatch(/audit syslog stream is behind/), {
          timeout: 10_000,
        });
      } finally {
        logged.mockRestore();
      }
      await receiver.start();
      await writeRecords(app, 5);
      await receivedEverything(app);
      await vi.waitFor(async () => expect(await lag(app)).toBe(0), { timeout: 10_000 });

      const result = verifySyslogText(await receiver.read(), publicKey());
      expect(result.findings.filter((found) => found.severity === 'ERROR')).toEqual([]);
    });

    test.skipIf(!rsyslogHasTls())(
      `over TLS (RFC 5425) the stream reaches a receiver whose certificate chains to AUDIT_SYSLOG_CA_FILE, and no other${
        rsyslogHasTls() ? '' : ' (skipped: rsyslog-gnutls is not installed)'
      }`,
      async () => {
        const tls = await makeReceiverCertificates(await mkdtemp(join(tmpdir(), 'syslog-tls-')));
        const tlsReceiver = await startRsyslog(tls);
        // A second destination is a second stream, with its own position: it gets the whole log.
        const config = {
          ...current.services.config,
          AUDIT_SYSLOG_URL: tlsReceiver.url,
          AUDIT_SYSLOG_CA_FILE: tls.caFile,
        };
        const streamer = createAuditStreamer({ ...current.services, config }, createJsonLogger('error'))!;
        try {
          await expect(openSyslogConnection(syslogTarget(tlsReceiver.url), 2000)).rejects.toThrow();
          streamer.start();
          await writeRecords(current, 5);
          await receivedEverything(current, tlsReceiver);
          expect(verifySyslogText(await tlsReceiver.read(), publicKey()).ok).toBe(true);
        } finally {
          await streamer.stop();
          await tlsReceiver.close();
        }
      },
    );

    describe('the verifier on a copy that was tampered with', () => {
      const lines = async () => (await receiver.read()).split('\n').filter(Boolean);
      const recordLines = async () =>
        (await lines()).filter((line) => parseStreamLine(line) !== null && line.includes('"salon-audit-record/1"'));

      test('identical duplicates are tolerated and counted', async () => {
        const all = await lines();
        const result = verifySyslogText([...all, ...all].join('\n'), publicKey());
        expect(result.ok).toBe(true);
        expect(result.duplicates).toBeGreaterThanOrEqual(all.length);
      });

      test('a record missing from the file is reported as a gap', async () => {
        const records = await recordLines();
        const gone = records[Math.floor(records.length / 2)]!;
        const result = verifySyslogText((await lines()).filter((line) => line !== gone).join('\n'), publicKey());
        expect(result.ok).toBe(false);
        // In the middle of its shard, or the last record of its shard a checkpoint signed.
        const gap = result.findings.find((found) => found.code === 'DELETED_RECORD' || found.code === 'DELETED_TAIL');
        expect(gap?.detail).toMatch(/^gap: /);
      });

      test('a record changed in the file no longer matches its hash', async () => {
        const target = (await recordLines())[3]!;
        const edited = (await lines()).map((line) =>
          line === target ? line.replace('"OPERATION"', '"STAFF_SIGNED_IN"') : line,
        );
        const result = verifySyslogText(edited.join('\n'), publicKey());
        expect(result.findings.map((found) => found.code)).toContain('EDITED_RECORD');
      });

      test('a checkpoint signed by another key is reported, and vouches for nothing', async () => {
        const last = (await lines())
          .map(parseStreamLine)
          .findLast((item) => item && item !== 'unreadable' && item.kind === 'checkpoint');
        if (!last || last === 'unreadable' || last.kind !== 'checkpoint') throw new Error('no checkpoint in the file');
        const forged = { ...last.checkpoint, id: '999999', prevSignature: last.checkpoint.signature };
        const otherKey = generateKeyPairSync('ed25519');
        forged.signature = signCheckpoint(forged, otherKey.privateKey);
        const line = `<109>1 ${forged.createdAt} x salon-audit 1 audit-checkpoint - ${JSON.stringify({ type: 'salon-audit-checkpoint/1', checkpoint: forged })}`;
        const text = [...(await lines()), line].join('\n');
        const result = verifySyslogText(text, publicKey());
        expect(result.findings.map((found) => found.code)).toEqual(['BAD_CHECKPOINT_SIGNATURE']);
        // Given both keys (a rotation), it is a checkpoint like any other.
        const rotated = verifySyslogText(text, [publicKey(), otherKey.publicKey]);
        expect(rotated.findings.filter((found) => found.severity === 'ERROR')).toEqual([]);
      });
    });
  },
);
