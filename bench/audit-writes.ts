// `npm run bench -- --scenario=audit-writes [--quick]`: how many audit records per second the
// database takes from 64 concurrent writers, each a staff-view session appending OPERATION records
// one after the other through the app's real append path (server/audit/chain.ts `appendAudit`:
// one `append_audit_event` statement, autocommit), on the PostgreSQL of DATABASE_URL.
//
// Three phases in the same run: "before" (main's single chain, migrations 0001-0009: one advisory
// lock per append) on a fresh schema; then on a fresh schema with every migration, "shards" (the
// 32 shards of migration 0010, one autocommit statement per record, `appendAudit`) and "group
// commit" (the app's path since migration 0015: audit/group-commit.ts, records arriving while
// earlier ones are in flight written together by one append_audit_events statement). A
// sampler counts, every 20 ms, the writers' backends waiting for a lock (pg_stat_activity). After
// the "after" phase the whole log is verified. Then, on a third schema, records of the largest size
// an audit record may have (just under AUDIT_RECORD_MAX_BYTES, audit/bounded.ts) are appended and
// verified, beside as many normal ones: verification's cost per record and per MB at the bound.
// Every schema is dropped at the end.
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import pg from 'pg';
import { AUDIT_RECORD_MAX_BYTES } from '../server/audit/bounded.ts';
import { appendArguments, appendAudit, AUDIT_SHARDS, type AuditEntry } from '../server/audit/chain.ts';
import { createAuditBatcher } from '../server/audit/group-commit.ts';
import { verifyAuditLog } from '../server/audit/verify.ts';
import { mean, percentile } from './load.ts';

const MIGRATIONS = fileURLToPath(new URL('../prisma/migrations/', import.meta.url));
const WRITERS = 64;

/** One phase's figures. */
interface PhaseFigures {
  records: number;
  failures: number;
  recordsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Writers' backends waiting for a lock, mean and max over the samples. */
  lockWaitingMean: number;
  lockWaitingMax: number;
}

/** A fresh schema with the migrations whose name passes `include`, and a pool of WRITERS connections on it. */
async function freshSchema(url: string, label: string, include: (name: string) => boolean, connections = WRITERS) {
  const schema = `bench_audit_${label}_${randomBytes(4).toString('hex')}`;
  const pool = new pg.Pool({
    connectionString: url,
    options: `-c search_path="${schema}"`,
    max: connections,
    application_name: schema,
  });
  await pool.query(`CREATE SCHEMA "${schema}"`);
  for (const name of (await readdir(MIGRATIONS)).sort().filter(include)) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(await readFile(`${MIGRATIONS}${name}/migration.sql`, 'utf8'));
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { schema }) });
  return {
    schema,
    pool,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

/** What a staff view's page read records, about the size of the real thing. */
function recordOf(writer: number, sessionId: string, n: number): AuditEntry {
  return {
    action: 'OPERATION',
    outcome: 'ALLOWED',
    createdAt: new Date(),
    staffId: `bench-staff-${writer}`,
    customerId: `bench-customer-${writer}`,
    sessionId,
    operationName: 'HomePage',
    operationType: 'query',
    rootFields: ['me'],
    variables: {},
    requestId: `${sessionId}-${n}`,
    ip: '127.0.0.1',
    userAgent: 'salon-bench-audit-writes',
    seen: {
      fields: ['me.name', 'me.pets.name', 'me.invoices.totalCents'],
      records: { Invoice: 8, Pet: 2 },
      refused: [],
    },
  };
}

/** 64 writers appending for `durationMs`, with the lock-wait sampler; `append` is one record. */
async function runPhase(
  sampler: pg.Pool,
  schema: string,
  durationMs: number,
  append: (entry: AuditEntry) => Promise<unknown>,
): Promise<PhaseFigures> {
  const latencies: number[] = [];
  let failures = 0;
  const samples: number[] = [];
  const timer = setInterval(() => {
    void sampler
      .query<{ waiting: number }>(
        `SELECT count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS waiting
           FROM pg_stat_activity WHERE application_name = $1`,
        [schema],
      )
      .then(({ rows }) => samples.push(rows[0]!.waiting))
      .catch(() => undefined);
  }, 20);
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      const sessionId = `bench-session-${writer}-${randomBytes(4).toString('hex')}`;
      for (let n = 0; performance.now() < deadline; n += 1) {
        const t0 = performance.now();
        try {
          await append(recordOf(writer, sessionId, n));
          latencies.push(performance.now() - t0);
        } catch (error) {
          if (failures++ === 0) console.error('audit-writes: an append failed:', String(error).slice(0, 300));
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  clearInterval(timer);
  latencies.sort((a, b) => a - b);
  return {
    records: latencies.length,
    failures,
    recordsPerSec: (latencies.length / elapsed) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    lockWaitingMean: samples.length ? mean(samples) : Number.NaN,
    lockWaitingMax: samples.length ? Math.max(...samples) : Number.NaN,
  };
}

const round = (value: number, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : -1);

/** A record of `seenBytes` of what-was-seen field paths: the largest size the bound lets through. */
function recordOfSize(seenBytes: number, n: number): AuditEntry {
  const fields: string[] = [];
  for (let size = 2; size < seenBytes; size += 40) fields.push(`me.pets.${n}.vaccinations.${fields.length}.name`);
  return {
    action: 'OPERATION',
    outcome: 'ALLOWED',
    createdAt: new Date(),
    staffId: `bench-staff-${n % 50}`,
    customerId: `bench-customer-${n % 50}`,
    sessionId: `bench-session-${n % 50}`,
    operationName: 'HomePage',
    operationType: 'query',
    rootFields: ['me'],
    variables: {},
    requestId: `bench-${n}`,
    seen: { fields },
  };
}

/** Verifies `count` records of one size on a fresh schema: records/s and MB/s of the verifier. */
async function verifyRecordsOfSize(url: string, label: string, count: number, seenBytes: number) {
  // Few connections: the "after" schema still holds WRITERS of PostgreSQL's 100.
  const connections = 8;
  const schema = await freshSchema(url, label, () => true, connections);
  try {
    const entries = Array.from({ length: count }, (_, n) => recordOfSize(seenBytes, n));
    for (let start = 0; start < entries.length; start += connections)
      await Promise.all(entries.slice(start, start + connections).map((entry) => appendAudit(schema.prisma, entry)));
    const { rows } = await schema.pool.query<{ bytes: string; largest: number }>(
      `SELECT sum(pg_column_size(e.*))::text AS bytes, max(octet_length(e.seen::text) + octet_length(e.variables::text))::int AS largest FROM "AuditEvent" e`,
    );
    const started = performance.now();
    const { privateKey } = generateKeyPairSync('ed25519');
    const verification = await verifyAuditLog(schema.pool, {
      publicKey: createPublicKey(privateKey),
      checkpointFile: null,
    });
    const seconds = (performance.now() - started) / 1000;
    return {
      ok: verification.ok && verification.checked === count,
      recordsPerSec: count / seconds,
      mbPerSec: Number(rows[0]!.bytes) / 1e6 / seconds,
      largestJsonBytes: rows[0]!.largest,
    };
  } finally {
    await schema.drop();
  }
}

/** The audit-writes micro-benchmark; returns `auditRecordsPerSec` and the figures around it. */
export async function runAuditWritesBench(options: {
  quick: boolean;
}): Promise<Record<string, number | string | boolean>> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.log('audit-writes: needs DATABASE_URL (a PostgreSQL); the embedded database runs one query at a time.');
    return { auditWritesSkipped: true };
  }
  const durationMs = options.quick ? 1_000 : 5_000;
  const sampler = new pg.Pool({ connectionString: url, max: 1 });
  // One schema (and one pool of WRITERS connections) at a time: PostgreSQL's default max_connections is 100.
  // The single chain before migration 0010 is history: a quick run (`--quick`, under a minute) skips it.
  let single: PhaseFigures | null = null;
  const before = options.quick ? null : await freshSchema(url, 'before', (name) => name < '0010');
  if (before)
    try {
      const appendToSingleChain = (entry: AuditEntry) => {
        const { row, content } = appendArguments(entry);
        return before.prisma.$queryRaw`SELECT append_audit_event(${row}::jsonb, ${content})`;
      };
      await runPhase(sampler, before.schema, 300, appendToSingleChain); // connections opened, plans cached
      single = await runPhase(sampler, before.schema, durationMs, appendToSingleChain);
    } finally {
      await before.drop();
    }
  const after = await freshSchema(url, 'after', () => true);
  try {
    await runPhase(sampler, after.schema, 300, (entry) => appendAudit(after.prisma, entry));
    const sharded = await runPhase(sampler, after.schema, durationMs, (entry) => appendAudit(after.prisma, entry));
    // The app's pool has 10 connections (server/db/database.ts); the batcher uses at most 2 of them.
    const batcher = createAuditBatcher(after.pool);
    await runPhase(sampler, after.schema, 300, (entry) => batcher.append(entry));
    const grouped = await runPhase(sampler, after.schema, durationMs, (entry) => batcher.append(entry));

    const verifyStarted = performance.now();
    const { privateKey } = generateKeyPairSync('ed25519');
    const verification = await verifyAuditLog(after.pool, {
      publicKey: createPublicKey(privateKey),
      checkpointFile: null,
    });
    const verifyMs = performance.now() - verifyStarted;
    const { rows } = await after.pool.query<{ records: number; shards: number }>(
      'SELECT count(*)::int AS records, count(DISTINCT shard)::int AS shards FROM "AuditEvent"',
    );

    const { rows: version } = await sampler.query<{ server_version: string }>('SHOW server_version');
    console.log(
      `audit-writes: ${WRITERS} writers, ${durationMs / 1000} s per phase, PostgreSQL ${version[0]!.server_version}, ` +
        `Node ${process.version}, ${cpus().length} CPU(s)`,
    );
    const line = (name: string, figures: PhaseFigures) =>
      console.log(
        `  ${name.padEnd(28)} ${round(figures.recordsPerSec, 0).toString().padStart(6)} records/s  ` +
          `p50 ${round(figures.p50Ms, 2)} ms  p99 ${round(figures.p99Ms, 2)} ms  ` +
          `lock waiters mean ${round(figures.lockWaitingMean, 1)} max ${figures.lockWaitingMax}  failures ${figures.failures}`,
      );
    if (single) line('before (single chain, main)', single);
    line(`${AUDIT_SHARDS} shards, one per statement`, sharded);
    line(`${AUDIT_SHARDS} shards, group commit`, grouped);
    console.log(
      `  verified ${verification.checked} records over ${rows[0]!.shards} shards in ${round(verifyMs, 0)} ms: ` +
        `${verification.ok ? 'intact' : `BROKEN: ${verification.problem}`}`,
    );
    const sized = options.quick ? 100 : 5_000;
    // A quick run verifies the largest records only (the normal ones are the common, cheaper case).
    const normal = options.quick ? null : await verifyRecordsOfSize(url, 'normal', sized, 300);
    const largest = await verifyRecordsOfSize(url, 'largest', sized, AUDIT_RECORD_MAX_BYTES - 2_000);
    for (const [name, figures] of [
      ['normal records', normal],
      ['largest records', largest],
    ] as const)
      if (figures)
        console.log(
          `  verify, ${sized} ${name} (${figures.largestJsonBytes} JSON bytes each): ` +
            `${round(figures.recordsPerSec, 0)} records/s, ${round(figures.mbPerSec, 1)} MB/s, ${figures.ok ? 'intact' : 'BROKEN'}`,
        );
    const ok =
      verification.ok &&
      verification.checked === rows[0]!.records &&
      sharded.failures === 0 &&
      grouped.failures === 0 &&
      (normal?.ok ?? true) &&
      largest.ok;
    return {
      auditRecordsPerSec: round(grouped.recordsPerSec, 0),
      ...(single ? { auditRecordsPerSecBefore: round(single.recordsPerSec, 0) } : {}),
      auditRecordsPerSecOnePerStatement: round(sharded.recordsPerSec, 0),
      auditWriteP99Ms: round(grouped.p99Ms, 2),
      auditLockWaitersMean: round(grouped.lockWaitingMean, 2),
      ...(single ? { auditLockWaitersMeanBefore: round(single.lockWaitingMean, 2) } : {}),
      auditWriters: WRITERS,
      auditShards: AUDIT_SHARDS,
      auditWritesVerified: ok,
      ...(normal ? { verifyNormalRecordsPerSec: round(normal.recordsPerSec, 0) } : {}),
      verifyLargestRecordsPerSec: round(largest.recordsPerSec, 0),
      verifyLargestMBPerSec: round(largest.mbPerSec, 1),
      ...(options.quick ? { auditWritesQuick: true } : {}),
    };
  } finally {
    await after.drop();
    await sampler.end();
  }
}
