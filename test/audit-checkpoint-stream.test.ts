// One checkpoint stream per log (issue 22, item 2): two instances of one deployment, each with its own
// AUDIT_CHECKPOINT_DIR, write checkpoints in turn; each copies the other's into its own sink, so the
// verifier, reading the database and any one folder merged by checkpoint id, catches a checkpoint
// of B deleted with the records after it, whichever folder it is given. A sink missing a checkpoint
// the database has is a finding too, and a file shared with another log is read for this log only.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../server/audit/chain.ts';
import type { AuditCheckpoint } from '../server/audit/checkpoint-signature.ts';
import { verifyAuditLog, type AuditVerification } from '../server/audit/verify.ts';
import { startTestApp, startTestAppBeside, type TestApp } from './harness.ts';

let folder: string;
let a: TestApp;
let b: TestApp;
let other: TestApp;
/** Checkpoint 1 by A, checkpoint 2 by B, the newest. */
let byA: AuditCheckpoint;
let byB: AuditCheckpoint;

const sinkOf = (app: TestApp) => app.services.auditSigning.checkpointFile;
const codes = (result: AuditVerification) => [...new Set(result.findings.map((finding) => finding.code))].sort();

async function appendRecords(app: TestApp, label: string, count = 3) {
  for (let n = 0; n < count; n += 1)
    await appendAudit(app.services.prisma, {
      action: 'OPERATION',
      outcome: 'ALLOWED',
      createdAt: app.clock.now(),
      sessionId: `${label}-${n}`,
      operationName: label,
      rootFields: ['me'],
    });
}

const verify = (db: pg.Pool | pg.ClientBase, checkpointFile: string | null, otherCheckpointFiles: string[] = []) =>
  verifyAuditLog(db, { publicKey: a.services.auditSigning.key.publicKey, checkpointFile, otherCheckpointFiles });

/** Deletes B's checkpoint and the records it alone signed, verifies inside the transaction, rolls back. */
async function afterDeletingB(checkpointFile: string | null): Promise<AuditVerification> {
  const db = await a.services.pool.connect();
  try {
    await db.query('BEGIN');
    await db.query('ALTER TABLE "AuditEvent" DISABLE TRIGGER USER');
    await db.query('ALTER TABLE "AuditCheckpoint" DISABLE TRIGGER USER');
    await db.query('DELETE FROM "AuditCheckpoint" WHERE id = $1', [byB.id]);
    await db.query('DELETE FROM "AuditEvent" WHERE id > $1', [byA.lastId]);
    return await verify(db, checkpointFile);
  } finally {
    await db.query('ROLLBACK');
    db.release();
  }
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'audit-stream-'));
  const keyFile = join(folder, 'shared-key.pem');
  await writeFile(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
  // No timer checkpoints: each step takes its own. One key, one folder each.
  const config = (dir: string) => ({
    AUDIT_CHECKPOINT_INTERVAL_MS: 3_600_000,
    AUDIT_SIGNING_KEY_FILE: keyFile,
    AUDIT_CHECKPOINT_DIR: join(folder, dir),
  });
  a = await startTestApp({ config: config('a') });
  b = await startTestAppBeside(a, { config: config('b') });
  // A log of its own (another database), writing to A's folder as a shared parent folder would.
  other = await startTestApp({ config: { ...config('a'), AUDIT_CHECKPOINT_INTERVAL_MS: 3_600_000 } });
  await appendRecords(a, 'first');
  byA = (await a.app.auditCheckpoints.checkpointNow())!;
  await appendRecords(b, 'second', 7);
  byB = (await b.app.auditCheckpoints.checkpointNow())!;
  // A's next tick has nothing to sign, and copies B's checkpoint into its own folder.
  expect(await a.app.auditCheckpoints.checkpointNow()).toBeNull();
  await appendRecords(other, 'elsewhere');
  await other.app.auditCheckpoints.checkpointNow();
  // Three apps start here: on a loaded machine (the embedded database) that takes more than a minute.
}, 240_000);
afterAll(async () => {
  await other?.close();
  await b?.close();
  await a?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('Two instances, a folder each', () => {
  it('hold the whole stream in each folder, and verify clean with either', async () => {
    expect(BigInt(byB.id)).toBeGreaterThan(BigInt(byA.id));
    for (const app of [a, b]) {
      const ids = (await readFile(sinkOf(app), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditCheckpoint & { log?: { system: string } })
        .filter((line) => line.log?.system !== undefined && line.id !== undefined);
      expect(ids.map((line) => line.id)).toEqual(expect.arrayContaining([byA.id, byB.id]));
      const result = await verify(a.services.pool, sinkOf(app));
      expect(result.findings).toEqual([]);
    }
  });

  it("name B's checkpoint deleted with the records after it, with A's folder", async () => {
    const result = await afterDeletingB(sinkOf(a));
    expect(result.ok).toBe(false);
    expect(codes(result)).toEqual(['CHECKPOINT_MISMATCH', 'DELETED_TAIL']);
    expect(result.findings).toContainEqual(
      expect.objectContaining({ code: 'CHECKPOINT_MISMATCH', checkpointId: byB.id }),
    );
  });

  it("name it with B's folder too", async () => {
    const result = await afterDeletingB(sinkOf(b));
    expect(codes(result)).toEqual(['CHECKPOINT_MISMATCH', 'DELETED_TAIL']);
  });

  it('pass it without a folder: the database alone cannot tell (why every sink is read)', async () => {
    const result = await afterDeletingB(null);
    expect(result.findings).toEqual([]);
  });
});

describe('A sink that lost a line', () => {
  it('names a checkpoint of the database missing from a sink that holds later ones', async () => {
    const lines = (await readFile(sinkOf(a), 'utf8')).split('\n').filter(Boolean);
    const edited = join(folder, 'edited.ndjson');
    await writeFile(edited, `${lines.filter((line) => JSON.parse(line).id !== byA.id).join('\n')}\n`);
    const result = await verify(a.services.pool, edited);
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'CHECKPOINT_MISMATCH',
        checkpointId: byA.id,
        detail: expect.stringContaining('holds later ones'),
      }),
    ]);
  });

  it('warns of a sink that lacks only the newest checkpoints (not copied yet)', async () => {
    const lines = (await readFile(sinkOf(a), 'utf8')).split('\n').filter(Boolean);
    const behind = join(folder, 'behind.ndjson');
    await writeFile(behind, `${lines.filter((line) => JSON.parse(line).id !== byB.id).join('\n')}\n`);
    const result = await verify(a.services.pool, behind);
    expect(result.ok).toBe(true);
    expect(codes(result)).toEqual(['SINK_BEHIND']);
  });

  it('reads every folder given, so a deletion is named even beside a folder that lost it', async () => {
    const lines = (await readFile(sinkOf(a), 'utf8')).split('\n').filter(Boolean);
    const stale = join(folder, 'stale.ndjson');
    await writeFile(stale, `${lines.filter((line) => JSON.parse(line).id !== byB.id).join('\n')}\n`);
    const db = await a.services.pool.connect();
    try {
      await db.query('BEGIN');
      await db.query('ALTER TABLE "AuditCheckpoint" DISABLE TRIGGER USER');
      await db.query('DELETE FROM "AuditCheckpoint" WHERE id = $1', [byB.id]);
      expect(codes(await verify(db, stale))).toEqual(['UNVERIFIED_TAIL']);
      expect(codes(await verify(db, stale, [sinkOf(b)]))).toEqual(['CHECKPOINT_MISMATCH']);
    } finally {
      await db.query('ROLLBACK');
      db.release();
    }
  });
});

describe("Another log's lines in the same file", () => {
  it('are skipped, not reported as a mismatch', async () => {
    expect(sinkOf(other)).toBe(sinkOf(a));
    const result = await verify(a.services.pool, sinkOf(a));
    expect(result.findings).toEqual([]);
    expect(result.stream.sinks).toEqual([{ file: sinkOf(a), present: true, otherLogLines: expect.any(Number) }]);
    expect(result.stream.sinks[0]!.otherLogLines).toBeGreaterThan(0);
  });

  it('still counts a line that names no log (written before names) as this log', async () => {
    const { log } = (await verify(a.services.pool, sinkOf(a))).stream;
    const own = (await readFile(sinkOf(a), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .filter((line) =>
        ['system', 'database', 'schema', 'key'].every((field) => line.log[field] === log[field as keyof typeof log]),
      );
    const legacy = join(folder, 'legacy.ndjson');
    await writeFile(legacy, own.map(({ log: _name, ...unnamed }) => `${JSON.stringify(unnamed)}\n`).join(''));
    expect((await verify(a.services.pool, legacy)).findings).toEqual([]);
  });
});
