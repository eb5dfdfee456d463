// Tamper evidence against a database administrator (SPEC 4): each attack the auditor measured is
// run in SQL, as a DBA would (append-only triggers disabled first), inside a transaction that is
// rolled back afterwards, and the verifier must name it. The log is sharded (several hash chains,
// server/audit/chain.ts): the attacks hit a non-zero shard whose records interleave with other
// shards' records by id. The last group commits its attacks and checks the CLI's exit codes and
// the GraphQL query.
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendArguments, appendAudit, auditHash, auditShard } from '../server/audit/chain.ts';
import { checkpointSignatureValid, signCheckpoint, summarizeHeads } from '../server/audit/checkpoint-signature.ts';
import { readDatabaseCheckpoints } from '../server/audit/checkpoint-table.ts';
import { AuditFindingCodes } from '../server/audit/findings.ts';
import { readAuditRecords, verifyAuditLog, type AuditVerification } from '../server/audit/verify.ts';
import { errorCode, startTestApp, type TestApp } from './harness.ts';
import { startSession } from './impersonation-helpers.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

let app: TestApp;
let mara: string;
/** A non-zero shard holding six records, interleaved by id with another non-zero shard's. */
let target: number;

/** Session ids whose records land on two different non-zero shards. */
function twoShardKeys(taken: ReadonlySet<number>): [string, string] {
  const keys: string[] = [];
  for (let n = 0; keys.length < 2; n += 1) {
    const key = `tamper-session-${n}`;
    const shard = auditShard({ sessionId: key });
    if (shard !== 0 && !taken.has(shard) && !keys.some((other) => auditShard({ sessionId: other }) === shard))
      keys.push(key);
  }
  return keys as [string, string];
}

/** Three records on each of two shards, alternating, so their ids interleave. */
async function appendInterleaved(keys: string[], label: string) {
  for (let n = 0; n < 3; n += 1) {
    for (const sessionId of keys) {
      await appendAudit(app.services.prisma, {
        action: 'OPERATION',
        outcome: 'ALLOWED',
        createdAt: app.clock.now(),
        sessionId,
        operationName: `${label}${n}`,
        rootFields: ['me'],
      });
    }
  }
}

beforeAll(async () => {
  // No timer checkpoints: each test decides when one is taken.
  app = await startTestApp({ config: { AUDIT_CHECKPOINT_INTERVAL_MS: 3_600_000 } });
  mara = await app.signIn('mara');
  const { token, session } = await startSession(app, mara);
  // Shards no other record of the setup lands on (its session's, its staff sign-in's, ...), so each
  // of the two holds exactly the six records appended below.
  const { rows } = await app.services.pool.query<{ shard: number }>('SELECT DISTINCT shard FROM "AuditEvent"');
  const keys = twoShardKeys(new Set([...rows.map((row) => row.shard), auditShard({ sessionId: session.id })]));
  target = auditShard({ sessionId: keys[0] });
  for (const page of ['Home', 'Billing', 'Pets']) await app.gql(`query ${page} { me { name } }`, {}, token);
  await appendInterleaved(keys, 'Before');
  await app.app.auditCheckpoints.checkpointNow();
  for (const page of ['Appointments', 'Messages']) await app.gql(`query ${page} { me { name } }`, {}, token);
  await appendInterleaved(keys, 'After');
  await app.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, mara);
  await app.app.auditCheckpoints.checkpointNow();
});
afterAll(async () => {
  await app?.close();
});

const verify = (
  db: pg.ClientBase | pg.Pool,
  checkpointFile: string | null = app.services.auditSigning.checkpointFile,
) => verifyAuditLog(db, { publicKey: app.services.auditSigning.key.publicKey, checkpointFile });

const codes = (result: AuditVerification) => result.findings.map((finding) => finding.code).sort();

/** Runs an attack with the append-only triggers disabled, verifies inside it, and rolls it all back. */
async function underAttack(
  attack: (db: pg.PoolClient) => Promise<void>,
  checkpointFile?: string | null,
): Promise<AuditVerification> {
  const db = await app.services.pool.connect();
  try {
    await db.query('BEGIN');
    await db.query('ALTER TABLE "AuditEvent" DISABLE TRIGGER USER');
    await db.query('ALTER TABLE "AuditCheckpoint" DISABLE TRIGGER USER');
    await attack(db);
    return await verify(db, checkpointFile);
  } finally {
    await db.query('ROLLBACK');
    db.release();
  }
}

/** The ids of one shard's records, in id (chain) order. */
const shardIds = async (db: pg.ClientBase, shard = target) =>
  (
    await db.query<{ id: string }>('SELECT id::text FROM "AuditEvent" WHERE shard = $1 ORDER BY "AuditEvent".id', [
      shard,
    ])
  ).rows.map((row) => row.id);

/** Swaps the ids of two records (through a free id, the primary key being unique at every row). */
async function swapIds(db: pg.ClientBase, a: string, b: string) {
  await db.query('UPDATE "AuditEvent" SET id = -id WHERE id = $1', [a]);
  await db.query('UPDATE "AuditEvent" SET id = $1 WHERE id = $2', [a, b]);
  await db.query('UPDATE "AuditEvent" SET id = $1 WHERE id = -$2::bigint', [b, a]);
}

/** A well-linked record appended through the app's own SQL function, as someone with its EXECUTE right could. */
async function forgeRecord(db: pg.ClientBase | pg.Pool): Promise<string> {
  const { row, content } = appendArguments({
    action: 'OPERATION',
    outcome: 'ALLOWED',
    createdAt: new Date(),
    operationName: 'NothingHappened',
    rootFields: ['me'],
  });
  const { rows } = await db.query<{ id: string }>('SELECT append_audit_event($1::jsonb, $2)::text AS id', [
    row,
    content,
  ]);
  return rows[0]!.id;
}

describe('An untouched log', () => {
  it('verifies clean against every checkpoint of the database and the file sink', async () => {
    const result = await verify(app.services.pool);
    expect(result).toMatchObject({ ok: true, brokenAtId: null, problem: null, findings: [] });
    expect(result.checked).toBeGreaterThan(5);
    expect((await readDatabaseCheckpoints(app.services.pool)).length).toBeGreaterThanOrEqual(2);
  });

  it('takes no checkpoint when no record was added since the last one', async () => {
    expect(await app.app.auditCheckpoints.checkpointNow()).toBeNull();
  });
});

describe('Records tampered with', () => {
  it('spreads the records over several shards, interleaved by id', async () => {
    const { rows } = await app.services.pool.query<{ shards: number }>(
      'SELECT count(DISTINCT shard)::int AS shards FROM "AuditEvent"',
    );
    expect(rows[0]!.shards).toBeGreaterThanOrEqual(3);
    const ids = await shardIds(app.services.pool as unknown as pg.ClientBase);
    expect(ids).toHaveLength(6);
    // Another shard's records sit between this shard's first and last.
    const between = await app.services.pool.query(
      'SELECT 1 FROM "AuditEvent" WHERE id > $1 AND id < $2 AND shard <> $3',
      [ids[0], ids[5], target],
    );
    expect(between.rowCount).toBeGreaterThan(0);
  });

  it('names a record edited in place', async () => {
    let edited = '';
    const result = await underAttack(async (db) => {
      edited = (await shardIds(db))[1]!;
      await db.query(`UPDATE "AuditEvent" SET reason = 'nothing to see' WHERE id = $1`, [edited]);
    });
    expect(codes(result)).toEqual(['EDITED_RECORD']);
    expect(result).toMatchObject({ ok: false, brokenAtId: edited, problem: 'row content changed' });
  });

  it('names a shard rewritten from an edited record on, every later hash of the shard recomputed', async () => {
    const result = await underAttack(async (db) => {
      const [, second] = await shardIds(db);
      await db.query(`UPDATE "AuditEvent" SET reason = 'nothing to see' WHERE id = $1`, [second]);
      let prevHash: string | null = null;
      for (const record of await readAuditRecords(db, '0', 10_000)) {
        if (record.shard !== target) continue;
        if (prevHash !== null && BigInt(record.id) >= BigInt(second!)) {
          const hash = auditHash(prevHash, record);
          await db.query('UPDATE "AuditEvent" SET "prevHash" = $1, hash = $2 WHERE id = $3', [
            prevHash,
            hash,
            record.id,
          ]);
          prevHash = hash;
        } else prevHash = record.hash;
      }
    });
    expect(codes(result)).toEqual(['REWRITTEN_CHAIN']);
    expect(result.ok).toBe(false);
    expect(result.problem).toContain(`shard ${target}`);
  });

  it('names a record deleted from the middle of a shard, at the next record of that shard', async () => {
    let after = '';
    const result = await underAttack(async (db) => {
      const [, , deleted, next] = await shardIds(db);
      after = next!;
      await db.query('DELETE FROM "AuditEvent" WHERE id = $1', [deleted]);
    });
    expect(codes(result)).toEqual(['DELETED_RECORD']);
    expect(result).toMatchObject({ brokenAtId: after, problem: 'previous row missing or changed' });
  });

  it('names two records swapped (reordered) within a shard', async () => {
    const result = await underAttack(async (db) => {
      const [, second, , fourth] = await shardIds(db);
      await swapIds(db, second!, fourth!);
    });
    expect(new Set(codes(result))).toEqual(new Set(['REORDERED_RECORD']));
    expect(result.ok).toBe(false);
    expect(result.problem).toMatch(
      new RegExp(`of shard ${target} links to record \\d+, which is not the record before it`),
    );
  });

  it('names the two newest records of a shard deleted as a deleted tail of that shard', async () => {
    const result = await underAttack(async (db) => {
      const ids = await shardIds(db);
      await db.query('DELETE FROM "AuditEvent" WHERE id = ANY($1::bigint[])', [ids.slice(-2)]);
    });
    expect(codes(result)).toEqual(['DELETED_TAIL']);
    expect(result.problem).toMatch(new RegExp(`^shard ${target} ends after 4 records`));
  });

  it('names a truncated log as a deleted tail', async () => {
    const result = await underAttack(async (db) => {
      await db.query('TRUNCATE "AuditEvent"');
    });
    expect(codes(result)).toEqual(['DELETED_TAIL']);
    expect(result.checked).toBe(0);
  });

  it('still names the deleted tail when the newest checkpoint is deleted from the database too', async () => {
    const result = await underAttack(async (db) => {
      const ids = await shardIds(db);
      await db.query('DELETE FROM "AuditEvent" WHERE id = ANY($1::bigint[])', [ids.slice(-2)]);
      await db.query('DELETE FROM "AuditCheckpoint" WHERE id = (SELECT max(id) FROM "AuditCheckpoint")');
    });
    expect(codes(result)).toEqual(['CHECKPOINT_MISMATCH', 'DELETED_TAIL']);
  });
});

describe('Signed shard heads', () => {
  it('signs the head of every non-empty shard', async () => {
    const [last] = (await readDatabaseCheckpoints(app.services.pool)).slice(-1);
    const { rows } = await app.services.pool.query<{ shard: number; count: number }>(
      'SELECT shard, count(*)::int AS count FROM "AuditEvent" GROUP BY shard ORDER BY shard',
    );
    expect(last!.shards!.map((head) => ({ shard: head.shard, count: head.count }))).toEqual(rows);
    expect(last!.count).toBe(rows.reduce((sum, row) => sum + row.count, 0));
  });

  it('does not verify a checkpoint whose head of one shard was altered', async () => {
    const [last] = (await readDatabaseCheckpoints(app.services.pool)).slice(-1);
    const publicKey = app.services.auditSigning.key.publicKey;
    expect(checkpointSignatureValid(last!, publicKey)).toBe(true);
    const shards = last!.shards!.map((head) => (head.shard === target ? { ...head, count: head.count - 1 } : head));
    expect(checkpointSignatureValid({ ...last!, shards }, publicKey)).toBe(false);
  });

  it('names a shard head altered in the database checkpoint as a bad signature without the file sink', async () => {
    const result = await underAttack(async (db) => {
      await db.query(
        `UPDATE "AuditCheckpoint" SET shards = (
           SELECT jsonb_agg(CASE WHEN (head->>'shard')::int = $1
             THEN jsonb_set(head, '{count}', to_jsonb((head->>'count')::int - 2)) ELSE head END)
           FROM jsonb_array_elements(shards) AS head)
         WHERE id = (SELECT max(id) FROM "AuditCheckpoint")`,
        [target],
      );
      const ids = await shardIds(db);
      await db.query('DELETE FROM "AuditEvent" WHERE id = ANY($1::bigint[])', [ids.slice(1, 3)]);
    }, null);
    // The altered checkpoint is not trusted: what it signed alone is reported as unverified.
    expect(codes(result)).toEqual(['BAD_CHECKPOINT_SIGNATURE', 'DELETED_RECORD', 'UNVERIFIED_TAIL']);
  });
});

describe('Records forged', () => {
  it('reports a record appended through append_audit_event after the last checkpoint as an unverified tail', async () => {
    let forged = '';
    const result = await underAttack(async (db) => {
      forged = await forgeRecord(db);
    });
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'UNVERIFIED_TAIL',
        severity: 'WARNING',
        recordId: forged,
        detail: expect.stringMatching(/^1 record /),
      }),
    ]);
    expect(result.ok).toBe(true);
  });

  it('names a checkpoint forged without the key to cover a forged record', async () => {
    const result = await underAttack(async (db) => {
      const forged = await forgeRecord(db);
      const [last] = (await readDatabaseCheckpoints(db)).slice(-1);
      const { rows } = await db.query<{ hash: string }>('SELECT hash FROM "AuditEvent" WHERE id = $1', [forged]);
      // The forged record is on shard 0 (the function's default): a v2 checkpoint naming it as shard 0's head.
      const shards = last!.shards!.map((head) =>
        head.shard === 0 ? { shard: 0, lastId: forged, headHash: rows[0]!.hash, count: head.count + 1 } : head,
      );
      const unsigned = {
        createdAt: new Date().toISOString(),
        ...summarizeHeads(shards),
        prevSignature: last!.signature,
        shards,
      };
      const attackerKey = generateKeyPairSync('ed25519').privateKey;
      await db.query(
        `INSERT INTO "AuditCheckpoint" ("createdAt", "lastId", "headHash", count, "prevSignature", shards, signature, "keyFingerprint")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          ...Object.values({ ...unsigned, shards: JSON.stringify(shards) }),
          signCheckpoint(unsigned, attackerKey),
          last!.keyFingerprint,
        ],
      );
    });
    expect(codes(result)).toEqual(['BAD_CHECKPOINT_SIGNATURE', 'UNVERIFIED_TAIL']);
  });

  it('names a checkpoint altered in the database as a mismatch with the file sink', async () => {
    const result = await underAttack(async (db) => {
      await db.query(
        'UPDATE "AuditCheckpoint" SET count = count - 1 WHERE id = (SELECT max(id) FROM "AuditCheckpoint")',
      );
    });
    expect(codes(result)).toEqual(['CHECKPOINT_MISMATCH']);
  });
});

describe('The append function', () => {
  it('is not executable by PUBLIC, only by the role the app writes with (single and group commit)', async () => {
    const { rows } = await app.services.pool.query<{ name: string; acl: string[]; role: string }>(
      `SELECT proname AS name, proacl::text[] AS acl, current_user AS role FROM pg_proc
       WHERE proname IN ('append_audit_event', 'append_audit_events') AND pronamespace = current_schema()::regnamespace`,
    );
    expect(rows.map((row) => row.name).sort()).toEqual(['append_audit_event', 'append_audit_events']);
    for (const row of rows) {
      expect(row.acl.some((entry) => entry.startsWith('='))).toBe(false);
      expect(row.acl.some((entry) => entry.startsWith(`${row.role}=X`))).toBe(true);
    }
  });

  it('refuses a role without the grant (unauthorized)', async () => {
    const db = await app.services.pool.connect();
    try {
      await db.query('BEGIN');
      await db.query('CREATE ROLE audit_tamper_reader');
      await db.query('GRANT USAGE ON SCHEMA "' + (app.schema ?? 'public') + '" TO audit_tamper_reader');
      await db.query('SET LOCAL ROLE audit_tamper_reader');
      await db.query('SAVEPOINT single');
      await expect(forgeRecord(db)).rejects.toThrow(/permission denied for function append_audit_event/);
      await db.query('ROLLBACK TO SAVEPOINT single');
      const { row, content } = appendArguments({
        action: 'OPERATION',
        outcome: 'ALLOWED',
        createdAt: new Date(),
        rootFields: [],
      });
      await expect(
        db.query('SELECT append_audit_events($1::jsonb[], $2::text[], $3::smallint[], $4::text[])', [
          [row],
          [content],
          [0],
          [null],
        ]),
      ).rejects.toThrow(/permission denied for function append_audit_events/);
    } finally {
      await db.query('ROLLBACK');
      db.release();
    }
  });
});

/** Runs `npm run audit:verify`'s script against this test's database, schema and file sink. */
async function runVerifierCli(publicKeyFile: string): Promise<{ exitCode: number | null; output: string }> {
  // The embedded database serves connections one message stream at a time: the app stays off it
  // while the CLI runs.
  const held = await app.services.pool.connect();
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/scripts/verify-audit-chain.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: app.databaseUrl,
        DATABASE_SCHEMA: app.schema ?? '',
        AUDIT_PUBLIC_KEY_FILE: publicKeyFile,
        AUDIT_CHECKPOINT_DIR: dirname(app.services.auditSigning.checkpointFile),
      },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { exitCode, output };
  } finally {
    held.release();
  }
}

describe('Attacks that stay (committed): the CLI and the GraphQL query', () => {
  const VERIFY = '{ verifyAuditChain { ok checked brokenAtId problem findings { code severity recordId detail } } }';
  let keyDir: string;
  let publicKeyFile: string;

  beforeAll(async () => {
    keyDir = await mkdtemp(join(tmpdir(), 'audit-public-key-'));
    publicKeyFile = join(keyDir, 'audit-public-key.pem');
    await writeFile(publicKeyFile, app.services.auditSigning.key.publicKeyPem);
  });
  afterAll(async () => {
    await rm(keyDir, { recursive: true, force: true });
  });

  it('exits 0 on an intact log with only the public key', async () => {
    const { exitCode, output } = await runVerifierCli(publicKeyFile);
    expect(output).toContain('Audit log intact');
    expect(exitCode).toBe(0);
  });

  it('exits with the unverified-tail code after a forged append, and the query lists it as a warning', async () => {
    const forged = await forgeRecord(app.services.pool);
    const { exitCode, output } = await runVerifierCli(publicKeyFile);
    expect(output).toContain(`WARNING UNVERIFIED_TAIL (record ${forged})`);
    expect(exitCode).toBe(AuditFindingCodes.UNVERIFIED_TAIL.exitCode);
    const result = await app.gql(VERIFY, {}, mara);
    expect(result.data.verifyAuditChain).toMatchObject({
      ok: true,
      findings: [{ code: 'UNVERIFIED_TAIL', severity: 'WARNING', recordId: forged }],
    });
  });

  it('exits with the edited-record code after an edit in place, and the query lists it', async () => {
    const pool = app.services.pool;
    await pool.query('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_no_update_delete"');
    try {
      await pool.query(`UPDATE "AuditEvent" SET reason = 'nothing to see' WHERE id = 2`);
    } finally {
      await pool.query('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_no_update_delete"');
    }
    const { exitCode, output } = await runVerifierCli(publicKeyFile);
    expect(output).toContain('ERROR EDITED_RECORD (record 2)');
    expect(exitCode).toBe(AuditFindingCodes.EDITED_RECORD.exitCode);
    const result = await app.gql(VERIFY, {}, mara);
    expect(result.data.verifyAuditChain).toMatchObject({ ok: false, brokenAtId: '2', problem: 'row content changed' });
    expect(result.data.verifyAuditChain.findings.map((finding: { code: string }) => finding.code)).toEqual([
      'EDITED_RECORD',
      'UNVERIFIED_TAIL',
    ]);
  });
});

describe('The signing key', () => {
  it('is shown to managers as a public key and fingerprint', async () => {
    const result = await app.gql('{ auditSigningKey { publicKeyPem fingerprint } }', {}, mara);
    expect(result.data.auditSigningKey).toEqual({
      publicKeyPem: app.services.auditSigning.key.publicKeyPem,
      fingerprint: app.services.auditSigning.key.fingerprint,
    });
    expect(result.data.auditSigningKey.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('is not shown to other staff (unauthorized)', async () => {
    const rita = await app.signIn('rita');
    expect(errorCode(await app.gql('{ auditSigningKey { fingerprint } }', {}, rita))).toBe('FORBIDDEN');
  });
});
