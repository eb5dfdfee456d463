// Key rotation of the audit checkpoints (audit/key-ring.ts): `npm run audit:rotate-key` lists a new
// key from the newest checkpoint on; the instance still on the old key signs nothing more, the
// restarted one signs with the new key, and the verifier, given the new public key only, checks
// each checkpoint with the key of its time. The restarted instance is a second app over the same
// database connection (the embedded database serves one connection at a time), and the script runs
// as a process on PostgreSQL, in-process (its function) on the embedded database. A retired key used again, or a listing nobody vouches
// for, is a finding. Managers read the list (`auditSigningKeys`); nobody else does.
import { spawn } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../server/audit/chain.ts';
import { signCheckpoint, type AuditCheckpoint } from '../server/audit/checkpoint-signature.ts';
import { readLatestCheckpoint } from '../server/audit/checkpoint-table.ts';
import { listSigningKey, RetiredSigningKeyError } from '../server/audit/key-ring.ts';
import { describePublicKey, loadSigningKey, type SigningKey } from '../server/audit/signing-key.ts';
import { verifyAuditLog, type AuditVerification } from '../server/audit/verify.ts';
import { buildApp, type App } from '../server/app.ts';
import { rotateSigningKey } from '../server/audit/key-rotation.ts';
import { demo, errorCode, startTestApp, type DemoAccount, type GqlResult, type TestApp } from './harness.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let dir: string;
let keyFile: string;
let oldKey: SigningKey;
let newKey: SigningKey;
let before: TestApp; // the instance still running with the old key
let after: Restarted; // the instance restarted with the new key
let records = 0;
let beforeRotation: AuditCheckpoint;

async function appendRecord(app: Pick<TestApp, 'services'>) {
  records += 1;
  await appendAudit(app.services.prisma, {
    action: 'OPERATION',
    outcome: 'ALLOWED',
    createdAt: new Date(),
    sessionId: `rotation-${records}`,
    operationName: `Rotation${records}`,
    rootFields: ['me'],
  });
}

const verifyWith = (key: SigningKey, db: pg.ClientBase | pg.Pool = after.services.pool) =>
  verifyAuditLog(db, { publicKey: key.publicKey, checkpointFile: null });

const codes = (result: AuditVerification) => result.findings.map((finding) => finding.code).sort();

/** `npm run audit:rotate-key` on the test database: its process on PostgreSQL, its function on the embedded one. */
async function rotate(app: TestApp): Promise<void> {
  if (!process.env.DATABASE_URL) {
    await rotateSigningKey(app.services.pool, keyFile);
    return;
  }
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['server/scripts/rotate-audit-key.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_SCHEMA: app.schema ?? 'public', AUDIT_SIGNING_KEY_FILE: keyFile },
    });
    let printed = '';
    child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    child.on('close', (exit) => resolve({ code: exit, output: printed }));
  });
  if (code !== 0) throw new Error(`audit:rotate-key failed: ${output}`);
  expect(output).toContain((await loadSigningKey(keyFile, { create: false })).fingerprint);
}

/** The instance restarted with the key file as it is now: the same database, another app. */
interface Restarted {
  app: App;
  services: TestApp['services'];
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  signIn(account: DemoAccount): Promise<string>;
}

async function restart(key: SigningKey): Promise<Restarted> {
  const services = { ...before.services, auditSigning: { ...before.services.auditSigning, key } };
  const app = buildApp(services);
  await app.start(0);
  const gql: Restarted['gql'] = async (query, variables, token) => {
    const response = await app.yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResult;
  };
  const signIn = async (account: DemoAccount) => {
    const result = await gql(
      'mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }',
      demo[account],
    );
    return result.data.signIn.token as string;
  };
  return { app, services, gql, signIn };
}

/** Runs an attack as a DBA (append-only triggers off), verifies inside it with the new key, and rolls it back. */
async function underAttack(attack: (db: pg.PoolClient) => Promise<void>): Promise<AuditVerification> {
  const db = await after.services.pool.connect();
  try {
    await db.query('BEGIN');
    await db.query('ALTER TABLE "AuditCheckpoint" DISABLE TRIGGER USER');
    await db.query('ALTER TABLE "AuditSigningKey" DISABLE TRIGGER USER');
    await attack(db);
    return await verifyWith(newKey, db);
  } finally {
    await db.query('ROLLBACK');
    db.release();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audit-rotation-'));
  keyFile = join(dir, 'audit-signing-key.pem');
  await writeFile(
    keyFile,
    generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    { mode: 0o600 },
  );
  oldKey = await loadSigningKey(keyFile, { create: false });
  before = await startTestApp({ config: { AUDIT_SIGNING_KEY_FILE: keyFile, AUDIT_CHECKPOINT_INTERVAL_MS: 3_600_000 } });
  await appendRecord(before);
  beforeRotation = (await before.app.auditCheckpoints.checkpointNow())!;

  await rotate(before);
  newKey = await loadSigningKey(keyFile, { create: false });
  expect(newKey.fingerprint).not.toBe(oldKey.fingerprint);
  after = await restart(newKey);
  // An app, the rotation script's process and a second app: slow on a loaded machine.
}, 180_000);
afterAll(async () => {
  await after?.app.stop();
  await before?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Rotating the signing key', () => {
  it('lets the instance still on the retired key sign no checkpoint', async () => {
    await appendRecord(before);
    await expect(before.app.auditCheckpoints.checkpointNow()).rejects.toBeInstanceOf(RetiredSigningKeyError);
  });

  it('signs with the new key from the rotation on, and the new public key verifies the whole log', async () => {
    await appendRecord(after);
    const checkpoint = await after.app.auditCheckpoints.checkpointNow();
    expect(checkpoint?.keyFingerprint).toBe(newKey.fingerprint);
    const result = await verifyWith(newKey);
    expect(codes(result)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('tells an auditor holding only the old key that a newer key signs now', async () => {
    await appendRecord(after);
    await after.app.auditCheckpoints.checkpointNow();
    const result = await verifyWith(oldKey);
    expect(result.ok).toBe(false);
    expect(codes(result)).toContain('UNTRUSTED_KEY');
    expect(result.findings.find((finding) => finding.code === 'UNTRUSTED_KEY')?.detail).toContain(newKey.fingerprint);
  });

  it('names a checkpoint signed with the retired key after its retirement', async () => {
    const result = await underAttack(async (db) => {
      const last = (await readLatestCheckpoint(db))!;
      // Someone with the old private key (a backup, a former operator) signs the heads as they are.
      const unsigned = {
        createdAt: new Date().toISOString(),
        lastId: last.lastId,
        headHash: last.headHash,
        count: last.count,
        prevSignature: last.signature,
        shards: last.shards,
      };
      await db.query(
        `INSERT INTO "AuditCheckpoint" ("createdAt", "lastId", "headHash", count, "prevSignature", shards, signature, "keyFingerprint")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          ...Object.values({ ...unsigned, shards: JSON.stringify(unsigned.shards) }),
          signCheckpoint(unsigned, oldKey.privateKey),
          oldKey.fingerprint,
        ],
      );
    });
    expect(codes(result)).toEqual(['RETIRED_KEY']);
    expect(result.findings[0]!.detail).toContain(`retired after checkpoint ${beforeRotation.id}`);
  });

  it('names a key listed behind the auditor’s back, and a listing moved to give the old key more time', async () => {
    const attacker = generateKeyPairSync('ed25519').privateKey;
    const forged = await underAttack(async (db) => {
      await listSigningKey(db, { privateKey: attacker, ...describePublicKey(createPublicKey(attacker)) }, new Date());
    });
    expect(codes(forged)).toEqual(['UNTRUSTED_KEY']);

    const moved = await underAttack(async (db) => {
      await db.query(
        'UPDATE "AuditSigningKey" SET "afterCheckpointId" = "afterCheckpointId" + 1000 WHERE fingerprint = $1',
        [newKey.fingerprint],
      );
    });
    expect(moved.ok).toBe(false);
    expect(codes(moved)).toContain('UNTRUSTED_KEY');
  });
});

describe('auditSigningKeys', () => {
  const QUERY = '{ auditSigningKeys { fingerprint publicKeyPem afterCheckpointId since previousFingerprint } }';

  it('lists every key oldest first, the retired one with the checkpoints of its time', async () => {
    const mara = await after.signIn('mara');
    const result = await after.gql(QUERY, {}, mara);
    expect(result.errors).toBeUndefined();
    expect(result.data.auditSigningKeys).toEqual([
      expect.objectContaining({ fingerprint: oldKey.fingerprint, afterCheckpointId: '0', previousFingerprint: null }),
      expect.objectContaining({
        fingerprint: newKey.fingerprint,
        afterCheckpointId: beforeRotation.id,
        previousFingerprint: oldKey.fingerprint,
        publicKeyPem: newKey.publicKeyPem,
      }),
    ]);
  });

  it('is refused to staff who are not managers, and to customers (unauthorized)', async () => {
    for (const account of ['rita', 'chloe'] as const) {
      const result = await after.gql(QUERY, {}, await after.signIn(account));
      expect(result.data?.auditSigningKeys ?? null).toBeNull();
      expect(errorCode(result)).toBeTruthy();
    }
  });
});
