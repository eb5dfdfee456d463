// The audit log's maintenance (issue 22, retention), run by every instance every
// AUDIT_MAINTENANCE_INTERVAL_MS, one at a time per schema: (1) partitions for this month and the
// next two (and for any month the DEFAULT partition caught); (2) every month older than
// AUDIT_HOT_MONTHS archived as a signed segment (archive.ts), still live; (3) every month past
// AUDIT_RETENTION_MONTHS dropped, once its segment on disk is checked whole: its held records
// (legal-holds.ts) copied into AuditHeldEvent, the partition detached and dropped, and the drop
// recorded in the audit, all in one transaction; (4) held copies no hold keeps any more removed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { AuditAction, AuditOutcome, type Prisma } from '@prisma/client';
import type pg from 'pg';
import { appendArguments, auditShard, type AuditEntry } from '../chain.ts';
import type { AuditSigning } from '../checkpoints.ts';
import type { Config } from '../../config.ts';
import type { Clock } from '../../db/clock.ts';
import { AdvisoryLock } from '../../db/locks.ts';
import { archiveMonth } from './archive.ts';
import { heldBy } from './legal-holds.ts';
import {
  dropPartition,
  ensurePartitions,
  monthOf,
  monthStart,
  partitionMonths,
  partitionOf,
  type Month,
} from './months.ts';
import type { SignedManifest } from './segment.ts';

/** What the job needs from the app. */
export interface MaintenanceServices {
  pool: pg.Pool;
  clock: Clock;
  config: Pick<Config, 'AUDIT_RETENTION_MONTHS' | 'AUDIT_HOT_MONTHS' | 'AUDIT_ARCHIVE_DIR' | 'DATA_DIR'>;
  auditSigning: Pick<AuditSigning, 'key'>;
  archiveDir: string;
}

/** Where the segments go: AUDIT_ARCHIVE_DIR, else audit-archive/ inside DATA_DIR. */
export const auditArchiveDir = (config: Pick<Config, 'AUDIT_ARCHIVE_DIR' | 'DATA_DIR'>) =>
  config.AUDIT_ARCHIVE_DIR ?? join(config.DATA_DIR, 'audit-archive');

/** Runs the job now and every AUDIT_MAINTENANCE_INTERVAL_MS; returns what stops it. */
export function startAuditMaintenance(
  services: Omit<MaintenanceServices, 'archiveDir' | 'config'> & { config: Config },
  logError: (message: string, error: unknown) => void,
): () => Promise<void> {
  const job = { ...services, archiveDir: auditArchiveDir(services.config) };
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = runAuditMaintenance(job).catch((error: unknown) => logError('Audit maintenance failed', error));
  };
  run();
  const timer = setInterval(run, services.config.AUDIT_MAINTENANCE_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** What one run did. */
export interface MaintenanceReport {
  /** false: another instance was running it. */
  ran: boolean;
  partitionsCreated: Month[];
  archived: Month[];
  dropped: { month: Month; records: number; held: number; sha256: string }[];
  heldReleased: number;
}

const fileSha256 = (file: string) =>
  new Promise<string>((resolve, reject) => {
    const digest = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => digest.update(chunk as Buffer))
      .on('end', () => resolve(digest.digest('hex')))
      .on('error', reject);
  });

type Client = pg.PoolClient;

async function storedSegment(client: Client, month: Month) {
  const { rows } = await client.query<{ manifest: SignedManifest; droppedAt: Date | null }>(
    'SELECT manifest, "droppedAt" FROM "AuditArchiveSegment" WHERE month = $1',
    [month],
  );
  return rows[0];
}

/** Appends an audit record of the job (no staff member: the system) in the caller's transaction. */
async function recordJob(client: Client, now: Date, action: AuditAction, seen: Prisma.InputJsonValue) {
  const entry: AuditEntry = { action, outcome: AuditOutcome.ALLOWED, createdAt: now, seen };
  const { row, content } = appendArguments(entry);
  await client.query('SELECT append_audit_event($1::jsonb, $2, $3::smallint)', [row, content, auditShard(entry)]);
}

async function archive(client: Client, services: MaintenanceServices, month: Month, now: Date) {
  const manifest = await archiveMonth(client, month, { dir: services.archiveDir, key: services.auditSigning.key, now });
  if (!manifest) return null;
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO "AuditArchiveSegment" (month, file, sha256, records, "firstId", "lastId", manifest, "archivedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (month) DO UPDATE SET file = $2, sha256 = $3, records = $4, "firstId" = $5, "lastId" = $6, manifest = $7, "archivedAt" = $8`,
      [
        month,
        manifest.file,
        manifest.sha256,
        manifest.records,
        manifest.firstId,
        manifest.lastId,
        manifest,
        now.toISOString(),
      ],
    );
    await recordJob(client, now, AuditAction.AUDIT_MONTH_ARCHIVED, {
      month,
      records: manifest.records,
      file: manifest.file,
      sha256: manifest.sha256,
    });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return manifest;
}

/** Whether the partition still holds exactly what the manifest signed (count and id range) and the file is whole. */
async function segmentStillMatches(
  client: Client,
  services: MaintenanceServices,
  month: Month,
  manifest: SignedManifest,
) {
  const { rows } = await client.query<{ records: number; firstId: string | null; lastId: string | null }>(
    `SELECT count(*)::int AS records, min(id)::text AS "firstId", max(id)::text AS "lastId" FROM "${partitionOf(month)}"`,
  );
  const live = rows[0]!;
  if (live.records !== manifest.records || live.firstId !== manifest.firstId || live.lastId !== manifest.lastId)
    return false;
  return (await fileSha256(join(services.archiveDir, manifest.file)).catch(() => null)) === manifest.sha256;
}

async function drop(client: Client, month: Month, manifest: SignedManifest, now: Date) {
  await client.query('BEGIN');
  try {
    const held = await client.query(
      `INSERT INTO "AuditHeldEvent" SELECT e.*, $1 FROM "${partitionOf(month)}" e WHERE ${heldBy('e')} ON CONFLICT (id) DO NOTHING`,
      [month],
    );
    await dropPartition(client, month);
    await client.query('UPDATE "AuditArchiveSegment" SET "droppedAt" = $2, "heldRecords" = $3 WHERE month = $1', [
      month,
      now.toISOString(),
      held.rowCount ?? 0,
    ]);
    await recordJob(client, now, AuditAction.AUDIT_MONTH_DROPPED, {
      month,
      records: manifest.records,
      heldRecords: held.rowCount ?? 0,
      file: manifest.file,
      sha256: manifest.sha256,
    });
    await client.query('COMMIT');
    return held.rowCount ?? 0;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** Removes the held copies no active hold keeps any more, and records how many. */
async function purgeReleased(client: Client, now: Date): Promise<number> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<{ month: string; records: number }>(
      `WITH released AS (DELETE FROM "AuditHeldEvent" e WHERE NOT ${heldBy('e')} RETURNING month)
       SELECT month, count(*)::int AS records FROM released GROUP BY month ORDER BY month`,
    );
    for (const { month, records } of rows)
      await recordJob(client, now, AuditAction.AUDIT_MONTH_DROPPED, { month, releasedHeldRecords: records });
    await client.query('COMMIT');
    return rows.reduce((sum, row) => sum + row.records, 0);
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** One maintenance run (see the top of this file). */
export async function runAuditMaintenance(services: MaintenanceServices): Promise<MaintenanceReport> {
  const report: MaintenanceReport = { ran: false, partitionsCreated: [], archived: [], dropped: [], heldReleased: 0 };
  const client = await services.pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS locked',
      [AdvisoryLock.AuditMaintenance],
    );
    if (!rows[0]!.locked) return report;
    report.ran = true;
    try {
      const now = services.clock.now();
      report.partitionsCreated = await ensurePartitions(client, now);
      const { AUDIT_RETENTION_MONTHS: retention, AUDIT_HOT_MONTHS: hot } = services.config;
      const archiveBefore = monthOf(monthStart(now, -Math.min(hot, retention)));
      const dropBefore = monthOf(monthStart(now, -retention));
      for (const month of await partitionMonths(client)) {
        if (month >= archiveBefore) break;
        let manifest = (await storedSegment(client, month))?.manifest ?? null;
        if (!manifest) {
          manifest = await archive(client, services, month, now);
          if (manifest) report.archived.push(month);
        }
        if (month >= dropBefore) continue;
        if (manifest && !(await segmentStillMatches(client, services, month, manifest))) {
          manifest = await archive(client, services, month, now);
          if (manifest) report.archived.push(month);
        }
        if (!manifest) {
          await dropPartition(client, month); // an empty month: nothing to archive or record
          continue;
        }
        const held = await drop(client, month, manifest, now);
        report.dropped.push({ month, records: manifest.records, held, sha256: manifest.sha256 });
      }
      report.heldReleased = await purgeReleased(client, now);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', [AdvisoryLock.AuditMaintenance]);
    }
    return report;
  } finally {
    client.release();
  }
}
