// The sharded audit log (migration 0010) on a database that already holds a log written by the
// single chain: the migrations up to 0009 are applied by hand, records are appended through the
// old function and signed by a v1 checkpoint, then 0010 runs. The old records and their checkpoint
// still verify (they are shard 0's beginning), shard 0 goes on from the old head, and the
// checkpoints written afterwards sign every shard.
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendArguments, auditShard, GENESIS_HASH, type AuditEntry } from '../server/audit/chain.ts';
import { signCheckpoint } from '../server/audit/checkpoint-signature.ts';
import { readDatabaseCheckpoints } from '../server/audit/checkpoint-table.ts';
import { createCheckpointWriter } from '../server/audit/checkpoints.ts';
import { describePublicKey, type SigningKey } from '../server/audit/signing-key.ts';
import { verifyAuditLog } from '../server/audit/verify.ts';
import { loadConfig } from '../server/config.ts';
import { manualClock } from '../server/db/clock.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../server/db/embedded.ts';

const MIGRATIONS = fileURLToPath(new URL('../prisma/migrations/', import.meta.url));

let embedded: EmbeddedDatabase | undefined;
let pool: pg.Pool;
let schema: string;
let dir: string;
let key: SigningKey;
let checkpointFile: string;

const entry = (n: number, sessionId: string | null = null): AuditEntry => ({
  action: 'OPERATION',
  outcome: 'ALLOWED',
  createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, n)),
  sessionId,
  staffId: 'staff-legacy',
  operationName: `Page${n}`,
  rootFields: ['me'],
});

async function applyMigration(name: string) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(await readFile(join(MIGRATIONS, name, 'migration.sql'), 'utf8'));
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

const verify = () => verifyAuditLog(pool, { publicKey: key.publicKey, checkpointFile });

beforeAll(async () => {
  const url = process.env.DATABASE_URL ?? (embedded = await startEmbeddedDatabase()).url;
  schema = process.env.DATABASE_URL ? `test_${randomBytes(6).toString('hex')}` : 'public';
  pool = new pg.Pool({ connectionString: url, options: `-c search_path="${schema}"`, max: embedded ? 1 : 4 });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  dir = await mkdtemp(join(tmpdir(), 'audit-shards-'));
  checkpointFile = join(dir, 'audit-checkpoints.ndjson');
  const privateKey = generateKeyPairSync('ed25519').privateKey;
  key = { privateKey, ...describePublicKey(createPublicKey(privateKey)) };

  const names = (await readdir(MIGRATIONS)).sort();
  for (const name of names.filter((name) => name < '0010')) await applyMigration(name);
  // The old single chain: five records through the old two-argument function, a v1 checkpoint.
  for (let n = 0; n < 5; n += 1) {
    const { row, content } = appendArguments(entry(n));
    await pool.query('SELECT append_audit_event($1::jsonb, $2)', [row, content]);
  }
  const { rows } = await pool.query<{ id: string; hash: string }>(
    'SELECT id::text, hash FROM "AuditEvent" ORDER BY id DESC LIMIT 1',
  );
  const unsigned = {
    createdAt: new Date().toISOString(),
    lastId: rows[0]!.id,
    headHash: rows[0]!.hash,
    count: 5,
    prevSignature: null,
    shards: null,
  };
  const signature = signCheckpoint(unsigned, key.privateKey);
  const inserted = await pool.query<{ id: string }>(
    `INSERT INTO "AuditCheckpoint" ("createdAt", "lastId", "headHash", count, "prevSignature", signature, "keyFingerprint")
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text`,
    [unsigned.createdAt, unsigned.lastId, unsigned.headHash, unsigned.count, null, signature, key.fingerprint],
  );
  const v1 = { id: inserted.rows[0]!.id, ...unsigned, signature, keyFingerprint: key.fingerprint };
  const { shards: _omitted, ...asWrittenBefore } = v1;
  await writeFile(checkpointFile, `${JSON.stringify(asWrittenBefore)}\n`);

  for (const name of names.filter((name) => name >= '0010')) await applyMigration(name);
});

afterAll(async () => {
  if (schema !== 'public') await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool?.end();
  await embedded?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('A log written by the single chain, after migration 0010', () => {
  it('keeps its records as shard 0 and verifies them against the v1 checkpoint', async () => {
    const { rows } = await pool.query<{ shard: number; count: number }>(
      'SELECT shard, count(*)::int AS count FROM "AuditEvent" GROUP BY shard',
    );
    expect(rows).toEqual([{ shard: 0, count: 5 }]);
    expect(await verify()).toMatchObject({ ok: true, checked: 5, findings: [] });
  });

  it("starts shard 0's head at the old chain's last record and every other shard at the genesis hash", async () => {
    const { rows } = await pool.query<{ shard: number; lastId: string; hash: string; count: string }>(
      'SELECT shard, "lastId"::text AS "lastId", hash, count::text FROM "AuditChainHead" ORDER BY shard',
    );
    const last = await pool.query<{ id: string; hash: string }>(
      'SELECT id::text, hash FROM "AuditEvent" ORDER BY id DESC LIMIT 1',
    );
    expect(rows).toHaveLength(32);
    expect(rows[0]).toEqual({ shard: 0, lastId: last.rows[0]!.id, hash: last.rows[0]!.hash, count: '5' });
    expect(rows.slice(1).every((head) => head.hash === GENESIS_HASH && head.count === '0')).toBe(true);
  });

  it('links new shard-0 records to the old head, starts other shards at genesis, and verifies all with a v2 checkpoint', async () => {
    const oldHead = (await pool.query<{ hash: string }>('SELECT hash FROM "AuditEvent" ORDER BY id DESC LIMIT 1'))
      .rows[0]!.hash;
    const sessions = ['legacy-a', 'legacy-b', 'legacy-c'];
    for (let n = 0; n < 6; n += 1) {
      const record = entry(10 + n, sessions[n % sessions.length]!);
      const { row, content } = appendArguments(record);
      await pool.query('SELECT append_audit_event($1::jsonb, $2, $3::smallint)', [row, content, auditShard(record)]);
    }
    const { row, content } = appendArguments(entry(20));
    await pool.query('SELECT append_audit_event($1::jsonb, $2)', [row, content]);
    const firstNewOfShard0 = await pool.query<{ prevHash: string }>(
      'SELECT "prevHash" FROM "AuditEvent" WHERE shard = 0 ORDER BY id OFFSET 5 LIMIT 1',
    );
    expect(firstNewOfShard0.rows[0]!.prevHash).toBe(oldHead);

    const config = loadConfig(process.env, {});
    const writer = createCheckpointWriter({
      pool,
      clock: manualClock(),
      config,
      auditSigning: { key, keyFile: join(dir, 'unused.pem'), checkpointFile },
    });
    const checkpoint = await writer.checkpointNow();
    await writer.stop();
    expect(checkpoint!.prevSignature).toBe((await readDatabaseCheckpoints(pool))[0]!.signature);
    expect(checkpoint!.count).toBe(12);
    expect(checkpoint!.shards!.length).toBeGreaterThanOrEqual(2);
    expect(await verify()).toMatchObject({ ok: true, checked: 12, findings: [] });
  });

  it('still names an old record edited after the migration (unauthorized change)', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE "AuditEvent" DISABLE TRIGGER USER');
      await client.query(
        `UPDATE "AuditEvent" SET "operationName" = 'Nothing' WHERE id = (SELECT min(id) FROM "AuditEvent")`,
      );
      const result = await verifyAuditLog(client, { publicKey: key.publicKey, checkpointFile });
      expect(result.findings.map((finding) => finding.code)).toEqual(['EDITED_RECORD']);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
