// Writes a month of the audit log as a signed segment (segment.ts) to the archive folder: the
// records streamed out of the month's partition in id order into gzip, hashed as written, then the
// manifest signed with the audit signing key. The files are written under temporary names and
// renamed, so a segment on disk is always whole. The partition is not touched.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import type { AuditCheckpoint } from '../checkpoint-signature.ts';
import type { Queryable } from '../checkpoint-table.ts';
import type { SigningKey } from '../signing-key.ts';
import type { AuditRecord } from '../verify.ts';
import { partitionOf, startOfMonth, type Month } from './months.ts';
import {
  segmentFiles,
  signManifest,
  type ChainLink,
  type SegmentShard,
  type SegmentTimestamp,
  type SignedManifest,
} from './segment.ts';

/** The record columns, as verify.ts reads them (createdAt as ISO text). */
export const RECORD_COLUMNS = `id::text, "prevHash", hash, to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  action::text, outcome::text, "staffId", "customerId", "sessionId", "operationName", "operationType",
  "rootFields", variables, "errorCode", reason, "requestId", ip, "userAgent", seen, shard`;

const PAGE = 5000;

/** Writes one line to the gzip stream, waiting when it is full. */
async function writeLine(stream: NodeJS.WritableStream, line: string) {
  if (!stream.write(line)) await new Promise((resolve) => stream.once('drain', resolve));
}

/** The checkpoints whose heads fall in [firstId, lastId], and the first one signed after lastId. */
async function coveringCheckpoints(db: Queryable, firstId: string, lastId: string): Promise<AuditCheckpoint[]> {
  const { rows } = await db.query<AuditCheckpoint>(
    `SELECT id::text, to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt", "lastId"::text AS "lastId",
            "headHash", count, "prevSignature", signature, "keyFingerprint", shards
       FROM "AuditCheckpoint"
      WHERE "lastId" >= $1::bigint
        AND id <= coalesce((SELECT min(id) FROM "AuditCheckpoint" WHERE "lastId" >= $2::bigint), 9223372036854775807)
      ORDER BY "AuditCheckpoint".id`,
    [firstId, lastId],
  );
  return rows;
}

/** The RFC 3161 tokens of `checkpoints` (those the TSA has stamped so far). */
async function checkpointTimestamps(db: Queryable, checkpoints: AuditCheckpoint[]): Promise<SegmentTimestamp[]> {
  if (checkpoints.length === 0) return [];
  const { rows } = await db.query<SegmentTimestamp>(
    `SELECT "checkpointId"::text AS "checkpointId", encode(token, 'base64') AS token, "tsaUrl"
       FROM "AuditCheckpointTimestamp" WHERE "checkpointId" = ANY($1::bigint[]) ORDER BY "checkpointId"`,
    [checkpoints.map((checkpoint) => checkpoint.id)],
  );
  // encode() wraps base64 every 76 characters.
  return rows.map((row) => ({ ...row, token: row.token.replace(/\n/g, '') }));
}

/**
 * Archives a month: returns its signed manifest, or null when the month has no record. The caller
 * records it (AuditArchiveSegment) and audits it.
 */
export async function archiveMonth(
  db: Queryable,
  month: Month,
  options: { dir: string; key: SigningKey; now: Date },
): Promise<SignedManifest | null> {
  const files = segmentFiles(month);
  await mkdir(options.dir, { recursive: true, mode: 0o750 });
  const temporary = join(options.dir, `.${files.records}.${process.pid}.tmp`);
  const gzip = createGzip();
  const out = createWriteStream(temporary, { mode: 0o640 });
  const digest = createHash('sha256');
  gzip.on('data', (chunk: Buffer) => digest.update(chunk));
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    gzip.on('error', reject);
  });
  gzip.pipe(out);

  const shards = new Map<number, SegmentShard>();
  let records = 0;
  let firstId: string | null = null;
  let lastId = '0';
  for (;;) {
    const { rows } = await db.query<AuditRecord>(
      `SELECT ${RECORD_COLUMNS} FROM "${partitionOf(month)}" WHERE id > $1::bigint ORDER BY "${partitionOf(month)}".id LIMIT ${PAGE}`,
      [lastId],
    );
    for (const row of rows) {
      await writeLine(gzip, `${JSON.stringify(row)}\n`);
      const shard = shards.get(row.shard);
      if (shard) Object.assign(shard, { count: shard.count + 1, lastId: row.id, lastHash: row.hash });
      else
        shards.set(row.shard, {
          shard: row.shard,
          count: 1,
          firstId: row.id,
          firstPrevHash: row.prevHash,
          lastId: row.id,
          lastHash: row.hash,
        });
      firstId ??= row.id;
      lastId = row.id;
      records += 1;
    }
    if (rows.length < PAGE) break;
  }
  gzip.end();
  await done;
  if (firstId === null) {
    await unlink(temporary);
    return null;
  }

  const until = new Date(startOfMonth(month).getTime());
  until.setUTCMonth(until.getUTCMonth() + 1);
  const { rows: later } = await db.query<ChainLink>(
    `SELECT id::text, shard, "prevHash", hash FROM "AuditEvent" WHERE "createdAt" >= $1 AND id < $2::bigint ORDER BY "AuditEvent".id`,
    [until.toISOString(), lastId],
  );
  const checkpoints = await coveringCheckpoints(db, firstId, lastId);
  const manifest = signManifest(
    {
      format: 'salon-audit-segment/1',
      month,
      file: files.records,
      sha256: digest.digest('hex'),
      records,
      firstId,
      lastId,
      shards: [...shards.values()].sort((a, b) => a.shard - b.shard),
      later,
      checkpoints,
      timestamps: await checkpointTimestamps(db, checkpoints),
      archivedAt: options.now.toISOString(),
      keyFingerprint: options.key.fingerprint,
    },
    options.key.privateKey,
  );
  await rename(temporary, join(options.dir, files.records));
  const manifestTemporary = join(options.dir, `.${files.manifest}.${process.pid}.tmp`);
  await writeFile(manifestTemporary, `${JSON.stringify(manifest, null, 1)}\n`, { mode: 0o640 });
  await rename(manifestTemporary, join(options.dir, files.manifest));
  return manifest;
}
