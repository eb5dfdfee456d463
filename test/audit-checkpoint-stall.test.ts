// Checkpoints that prove the records (issue 22, item 1). A database administrator holds the
// checkpoint writer off (a lock on "AuditCheckpoint", or a trigger refusing its insert), deletes
// the newest records and rewinds "AuditChainHead" over them. The writer fails fast, signs a witness
// of the records into its file sink, is reported stalled (`/ready` 503, metrics) past 3 intervals,
// refuses to sign the rewound heads afterwards, and `audit:verify` names the deletion. A lock with no
// tampering only delays the checkpoint: the log verifies, with the longest unsigned gap reported.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SinkLine } from '../server/audit/checkpoint-file.ts';
import { readLatestCheckpoint } from '../server/audit/checkpoint-table.ts';
import { CheckpointRefused } from '../server/audit/checkpoint-store.ts';
import { verifyAuditLog } from '../server/audit/verify.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { startSession } from './impersonation-helpers.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HOUR = 3_600_000;

const sinkLines = async (app: TestApp): Promise<SinkLine[]> =>
  (await readFile(app.services.auditSigning.checkpointFile, 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SinkLine);

const verify = (app: TestApp, checkpointFile: string | null = app.services.auditSigning.checkpointFile) =>
  verifyAuditLog(app.services.pool, {
    publicKey: app.services.auditSigning.key.publicKey,
    checkpointFile,
    unsignedGapLimitMs: 3 * app.services.config.AUDIT_CHECKPOINT_INTERVAL_MS,
  });

const ready = async (app: TestApp) => {
  const response = await fetch(new URL('/ready', app.url));
  return { status: response.status, body: (await response.json()) as { checkpoints: string } };
};
const metrics = async (app: TestApp) => (await fetch(new URL('/metrics', app.url))).text();

/** Polls `check` until it holds (the writer's timer moves on its own in real time). */
async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Three staff-view page loads: records on the session's shard. */
async function browse(app: TestApp, token: string) {
  for (const page of ['Home', 'Billing', 'Pets']) await app.gql(`query ${page} { me { name } }`, {}, token);
}

/**
 * As the administrator, in `db`'s open transaction: deletes the newest two records of the shard of
 * the session's last record and rewinds the shard's head row to the record before them.
 */
async function deleteTailAndRewind(db: pg.ClientBase, sessionId: string) {
  await db.query('ALTER TABLE "AuditEvent" DISABLE TRIGGER USER');
  const { rows } = await db.query<{ id: string; shard: number }>(
    'SELECT id::text, shard FROM "AuditEvent" WHERE "sessionId" = $1 ORDER BY "AuditEvent".id DESC LIMIT 1',
    [sessionId],
  );
  const shard = rows[0]!.shard;
  const tail = await db.query<{ id: string }>(
    'SELECT id::text FROM "AuditEvent" WHERE shard = $1 ORDER BY "AuditEvent".id DESC LIMIT 2',
    [shard],
  );
  await db.query('DELETE FROM "AuditEvent" WHERE id = ANY($1::bigint[])', [tail.rows.map((row) => row.id)]);
  await db.query(
    `UPDATE "AuditChainHead" h SET "lastId" = last.id, hash = last.hash, count = h.count - 2
       FROM (SELECT id, hash FROM "AuditEvent" WHERE shard = $1 ORDER BY id DESC LIMIT 1) last WHERE h.shard = $1`,
    [shard],
  );
  await db.query('ALTER TABLE "AuditEvent" ENABLE TRIGGER USER');
  return tail.rows.map((row) => row.id);
}

describe('A writer the database will not let store its checkpoint (a trigger refusing it)', () => {
  let app: TestApp;
  let token: string;
  let sessionId: string;

  beforeAll(async () => {
    // No timer checkpoints: each step takes its own; time moves by hand.
    app = await startTestApp({ config: { AUDIT_CHECKPOINT_INTERVAL_MS: HOUR, AUDIT_CHECKPOINT_TIMEOUT_MS: 500 } });
    const started = await startSession(app, await app.signIn('mara'));
    ({ token } = started);
    sessionId = started.session.id;
    await browse(app, token);
    await app.app.auditCheckpoints.checkpointNow();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('witnesses the unsigned records in its file sink, and is stalled past 3 intervals', async () => {
    await app.services.pool.query(`CREATE FUNCTION refuse_checkpoint() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'checkpoints are off'; END; $$ LANGUAGE plpgsql`);
    await app.services.pool.query(
      'CREATE TRIGGER refuse_checkpoint BEFORE INSERT ON "AuditCheckpoint" FOR EACH ROW EXECUTE FUNCTION refuse_checkpoint()',
    );
    await browse(app, token);
    await expect(app.app.auditCheckpoints.checkpointNow()).rejects.toThrow(/checkpoints are off/);
    const witness = (await sinkLines(app)).findLast((line) => line.type === 'witness');
    expect(witness).toMatchObject({ type: 'witness', log: { key: app.services.auditSigning.key.fingerprint } });

    expect(await ready(app)).toMatchObject({ status: 200, body: { checkpoints: 'ok' } });
    app.clock.advance(3 * HOUR + 1);
    expect(await ready(app)).toMatchObject({ status: 503, body: { ready: false, checkpoints: 'stalled' } });
    const text = await metrics(app);
    expect(text).toMatch(/^salon_audit_checkpoint_stalled 1$/m);
    expect(text).toMatch(/^salon_audit_checkpoint_failures_total\{reason="error"\} [1-9]/m);
    expect(Number(/^salon_audit_checkpoint_unsigned_seconds (\S+)$/m.exec(text)![1])).toBeGreaterThan(3 * 3600);
  });

  it('refuses to sign heads rewound over deleted records, and audit:verify names the deletion', async () => {
    const before = await readLatestCheckpoint(app.services.pool);
    const db = await app.services.pool.connect();
    let deleted: string[];
    try {
      await db.query('BEGIN');
      deleted = await deleteTailAndRewind(db, sessionId);
      await db.query('DROP TRIGGER refuse_checkpoint ON "AuditCheckpoint"');
      await db.query('COMMIT');
    } finally {
      db.release();
    }
    const refused = await app.app.auditCheckpoints.checkpointNow().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CheckpointRefused);
    expect((refused as CheckpointRefused).problem.code).toBe('DELETED_RECORD');
    expect(await readLatestCheckpoint(app.services.pool)).toEqual(before);
    expect((await sinkLines(app)).at(-1)).toMatchObject({ type: 'refusal', code: 'DELETED_RECORD' });
    expect(await ready(app)).toMatchObject({ status: 503, body: { checkpoints: 'stalled' } });

    const result = await verify(app);
    expect(result.ok).toBe(false);
    // The witness signed the deleted record: missing (or a deleted tail, if no record came after it).
    const witnessed = result.findings.find((finding) => finding.detail.includes("the writer's witness"));
    expect(witnessed).toMatchObject({ code: expect.stringMatching(/^DELETED_(RECORD|TAIL)$/) });
    expect(deleted!).toContain(witnessed!.recordId);
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        code: 'DELETED_RECORD',
        detail: expect.stringMatching(/^the checkpoint writer refused to sign/),
      }),
    );
    // The database alone cannot tell: the evidence is the sink's.
    expect((await verify(app, null)).ok).toBe(true);
  });
});

const databaseUrl = process.env.DATABASE_URL;

describe.skipIf(!databaseUrl)('A writer held off by a lock on "AuditCheckpoint" (PostgreSQL)', () => {
  const INTERVAL = 300;
  let app: TestApp;
  let token: string;
  let sessionId: string;
  let admin: pg.Client;

  beforeAll(async () => {
    app = await startTestApp({
      realClock: true,
      config: { AUDIT_CHECKPOINT_INTERVAL_MS: INTERVAL, AUDIT_CHECKPOINT_TIMEOUT_MS: 100 },
    });
    const started = await startSession(app, await app.signIn('mara'));
    ({ token } = started);
    sessionId = started.session.id;
    admin = new pg.Client({ connectionString: app.databaseUrl, options: `-c search_path=${app.schema}` });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.query('ROLLBACK').catch(() => undefined);
    await admin?.end();
    await app?.close();
  });

  /** Takes the lock as the administrator would, and returns once the writer has witnessed the records after it. */
  async function lockAndBrowse() {
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE "AuditCheckpoint" IN ACCESS EXCLUSIVE MODE');
    await browse(app, token);
    const { rows } = await app.services.pool.query<{ id: string }>('SELECT max(id)::text AS id FROM "AuditEvent"');
    await eventually(
      async () =>
        (await sinkLines(app)).some(
          (line) => line.type === 'witness' && line.shards.some((head) => BigInt(head.lastId) >= BigInt(rows[0]!.id)),
        ),
      'a witness of the records written under the lock',
    );
    // The app kept serving: the records are there, and nothing could be checkpointed.
    return rows[0]!.id;
  }

  it('only delays the checkpoint when nothing is touched: /ready recovers, verify passes and reports the gap', async () => {
    await browse(app, token);
    await lockAndBrowse();
    await eventually(async () => (await ready(app)).status === 503, '/ready to answer 503');
    expect((await ready(app)).body).toMatchObject({ checkpoints: 'stalled' });
    expect(await metrics(app)).toMatch(/^salon_audit_checkpoint_failures_total\{reason="lock_timeout"\} [1-9]/m);
    await admin.query('COMMIT');
    await eventually(async () => (await ready(app)).status === 200, '/ready to answer 200 again');
    const result = await verify(app);
    expect(result.ok).toBe(true);
    expect(result.findings.map((finding) => finding.code)).toContain('UNSIGNED_GAP');
    expect(result.longestUnsignedGap!.seconds).toBeGreaterThan((3 * INTERVAL) / 1000);
    expect(result.stream.witnesses).toBeGreaterThan(0);
  });

  it('refuses the rewound heads after the lock, and audit:verify exits with a deletion code', async () => {
    await lockAndBrowse();
    await eventually(async () => (await ready(app)).status === 503, '/ready to answer 503');
    await deleteTailAndRewind(admin, sessionId);
    await admin.query('SELECT pg_sleep(0.2)');
    await admin.query('COMMIT');
    await eventually(async () => (await sinkLines(app)).at(-1)?.type === 'refusal', 'the refusal in the sink');
    expect((await ready(app)).status).toBe(503);

    const result = await verify(app);
    expect(result.ok).toBe(false);
    expect(result.findings.some((finding) => /witness/.test(finding.detail))).toBe(true);

    // `npm run audit:verify`, with the public key only.
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/scripts/verify-audit-chain.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: app.databaseUrl,
        DATABASE_SCHEMA: app.schema ?? '',
        AUDIT_SIGNING_KEY_FILE: app.services.auditSigning.keyFile,
        AUDIT_CHECKPOINT_DIR: dirname(app.services.auditSigning.checkpointFile),
        AUDIT_CHECKPOINT_INTERVAL_MS: String(INTERVAL),
      },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(output).toContain('Audit log TAMPERED');
    expect(output).toMatch(/Longest unsigned gap: \d+\.\d s/);
    expect([11, 12]).toContain(exitCode);
  });
});
