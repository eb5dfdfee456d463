// `npm run bench -- --scenario=retention [--quick]`: what retention costs on the PostgreSQL of
// DATABASE_URL (or the embedded database). A past month of the audit log is filled with N records
// (1,000,000; --quick 100,000) straight into its partition, then the maintenance job of the app
// (server/audit/retention/job.ts) runs twice on a moved clock: once when the month is past the hot
// months (it writes the signed NDJSON.gz segment), once when it is past retention (it checks the
// segment, copies held records, DETACHes and DROPs the partition and records the drop). For
// comparison the same N records are put in a plain table with the same indexes and removed with
// DELETE, which is what retention would cost without partitions. The schema is dropped at the end.
import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describePublicKey } from '../server/audit/signing-key.ts';
import { runAuditMaintenance } from '../server/audit/retention/job.ts';
import { monthOf, monthStart, partitionMonths } from '../server/audit/retention/months.ts';
import { manualClock } from '../server/db/clock.ts';
import { openDatabase } from '../server/db/database.ts';

/** Fills `table` with `records` synthetic audit records of the month starting at `since` (one SQL statement). */
const fill = (table: string, records: number, since: Date) => `
  INSERT INTO "${table}" ("createdAt", action, outcome, "staffId", "customerId", "sessionId", "operationName",
                          "rootFields", "prevHash", hash, shard)
  SELECT '${since.toISOString()}'::timestamp + (n * interval '2 seconds') / ${Math.ceil(records / 1_000_000)},
         'OPERATION', 'ALLOWED', 'staff-' || (n % 20), 'customer-' || (n % 5000), 'session-' || (n / 40),
         'PortalHome', ARRAY['me'], md5(n::text) || md5((n + 1)::text), md5((n + 2)::text) || md5((n + 3)::text), n % 32
    FROM generate_series(1, ${records}) AS n`;

export async function runRetentionBench(options: { quick: boolean }) {
  const records = options.quick ? 100_000 : 1_000_000;
  const schema = `bench_retention_${randomBytes(4).toString('hex')}`;
  const database = await openDatabase({ url: process.env.DATABASE_URL, schema });
  const archiveDir = await mkdtemp(join(tmpdir(), 'bench-retention-'));
  const privateKey = generateKeyPairSync('ed25519').privateKey;
  const key = { privateKey, ...describePublicKey(createPublicKey(privateKey)) };
  const now = new Date();
  const month = monthStart(now, -13);
  const clock = manualClock(now);
  const job = {
    pool: database.pool,
    clock,
    config: { AUDIT_RETENTION_MONTHS: 12, AUDIT_HOT_MONTHS: 3, AUDIT_ARCHIVE_DIR: archiveDir, DATA_DIR: archiveDir },
    auditSigning: { key },
    archiveDir,
  };
  const timed = async <T>(run: () => Promise<T>) => {
    const start = performance.now();
    const result = await run();
    return { result, ms: performance.now() - start };
  };
  try {
    // The month's partition exists as the job would have created it then.
    clock.set(month);
    await runAuditMaintenance(job);
    const filled = await timed(() => database.pool.query(fill('AuditEvent', records, month)));
    clock.set(monthStart(month, 4));
    const archived = await timed(() => runAuditMaintenance(job));
    clock.set(monthStart(month, 13));
    const dropped = await timed(() => runAuditMaintenance(job));
    const gone = !(await partitionMonths(database.pool)).includes(monthOf(month));

    await database.pool.query(
      'CREATE TABLE "AuditEventPlain" (LIKE "AuditEvent" INCLUDING DEFAULTS INCLUDING INDEXES)',
    );
    await database.pool.query(fill('AuditEventPlain', records, month));
    const deleted = await timed(() =>
      database.pool.query(`DELETE FROM "AuditEventPlain" WHERE "createdAt" < $1`, [monthStart(month, 1).toISOString()]),
    );
    const figures = {
      retentionRecords: records,
      retentionFillMs: Math.round(filled.ms),
      retentionArchiveMs: Math.round(archived.ms),
      retentionArchived: archived.result.archived,
      retentionDropMs: Math.round(dropped.ms),
      retentionDropped: dropped.result.dropped.map((drop) => drop.month),
      retentionPartitionGone: gone,
      retentionDeleteMs: Math.round(deleted.ms),
    };
    console.log(
      `retention: ${records} records in ${monthOf(month)} (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})\n` +
        `  archive (signed NDJSON.gz segment)        ${(archived.ms / 1000).toFixed(1)} s\n` +
        `  drop (check segment, DETACH, DROP, audit) ${(dropped.ms / 1000).toFixed(2)} s  partition gone: ${gone}\n` +
        `  DELETE of as many rows (plain table)      ${(deleted.ms / 1000).toFixed(1)} s`,
    );
    return figures;
  } finally {
    await database.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await database.close();
    await rm(archiveDir, { recursive: true, force: true });
  }
}
