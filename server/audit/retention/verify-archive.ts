// Verifies the archived segments offline, with the public key alone (`npm run audit:verify --
// --archive DIR`): each manifest's signature and file hash, then every record of every segment in
// one walk in id order, per shard, as verify.ts walks the live log (links, hashes, the heads the
// manifests' checkpoints signed). The walk ends with each shard's state where the live log takes
// over (resume.ts), so the live verify continues from the archive instead of reporting the dropped
// months as missing.
import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { auditHash } from '../chain.ts';
import { checkpointSignatureValid, type AuditCheckpoint } from '../checkpoint-signature.ts';
import type { AuditFinding, AuditFindingCode } from '../findings.ts';
import { byLastId, shardWalks, walkOf } from '../shard-walks.ts';
import { tokenFindings } from '../timestamp-verify.ts';
import type { TsaCertificate } from '../tsa-token.ts';
import type { AuditRecord } from '../verify.ts';
import type { Month } from './months.ts';
import type { ArchiveEnd, ShardResume } from './resume.ts';
import { manifestSignatureValid, type ChainLink, type SignedManifest } from './segment.ts';

/** What the archive verifier found, and where the live log takes over. */
export interface ArchiveVerification extends ArchiveEnd {
  ok: boolean;
  segments: Month[];
  records: number;
  findings: AuditFinding[];
}

/** The manifests in a folder, oldest month first. */
export async function readManifests(dir: string): Promise<SignedManifest[]> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const names = entries.filter((name) => /^audit-\d{4}-\d{2}\.manifest\.json$/.test(name)).sort();
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as SignedManifest));
}

/** A segment's records in file order, hashing the file's bytes as they are read. */
async function* segmentRecords(file: string, digest: ReturnType<typeof createHash>): AsyncGenerator<AuditRecord> {
  const raw = createReadStream(file);
  raw.on('data', (chunk) => digest.update(chunk as Buffer));
  const lines = createInterface({ input: raw.pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) if (line) yield JSON.parse(line) as AuditRecord;
}

type Entry = { record: AuditRecord; link?: undefined } | { link: ChainLink; record?: undefined };

/**
 * Verifies the segments of `dir` (only months through `throughMonth`, when given); with the TSA's
 * certificate, also the covering checkpoints' timestamp tokens the manifests carry.
 */
export async function verifyArchive(
  dir: string,
  publicKey: KeyObject,
  options: { throughMonth?: Month; tsa?: TsaCertificate } = {},
): Promise<ArchiveVerification> {
  const findings: AuditFinding[] = [];
  const finding = (code: AuditFindingCode, recordId: string | null, detail: string) =>
    findings.push({ code, severity: 'ERROR', recordId, checkpointId: null, detail });
  const manifests = (await readManifests(dir)).filter(
    (manifest) => !options.throughMonth || manifest.month <= options.throughMonth,
  );
  const checkpoints = new Map<string, AuditCheckpoint>();
  for (const manifest of manifests) {
    if (!manifestSignatureValid(manifest, publicKey)) {
      finding('BAD_CHECKPOINT_SIGNATURE', null, `the manifest of ${manifest.month} is not signed by this key`);
      continue;
    }
    for (const checkpoint of manifest.checkpoints) {
      if (checkpointSignatureValid(checkpoint, publicKey)) checkpoints.set(checkpoint.signature, checkpoint);
      else
        finding(
          'BAD_CHECKPOINT_SIGNATURE',
          null,
          `checkpoint ${checkpoint.id} in the manifest of ${manifest.month} is not signed by this key`,
        );
    }
  }
  const walks = shardWalks([...checkpoints.values()].sort(byLastId));
  if (options.tsa) {
    const tokens = new Map(
      manifests
        .filter((manifest) => manifestSignatureValid(manifest, publicKey))
        .flatMap((manifest) => manifest.timestamps ?? [])
        .map((stamp) => [stamp.checkpointId, Buffer.from(stamp.token, 'base64')] as const),
    );
    findings.push(...(await tokenFindings(tokens, [...checkpoints.values()], options.tsa)));
  }

  // Every segment's records, merged by id, with the later months' links of the manifests.
  const digests = manifests.map(() => createHash('sha256'));
  const sources = manifests.map((manifest, index) => segmentRecords(join(dir, manifest.file), digests[index]!));
  const heads = await Promise.all(sources.map((source) => source.next()));
  const links = manifests.flatMap((manifest) => manifest.later).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const counts = manifests.map(() => 0);
  const nextEntry = async (): Promise<Entry | null> => {
    let best = -1;
    heads.forEach((head, index) => {
      if (!head.done && (best < 0 || BigInt(head.value.id) < BigInt(heads[best]!.value!.id))) best = index;
    });
    const record = best >= 0 ? (heads[best]!.value as AuditRecord) : null;
    while (links.length && record && BigInt(links[0]!.id) === BigInt(record.id)) links.shift(); // archived after all
    if (links.length && (!record || BigInt(links[0]!.id) < BigInt(record.id))) return { link: links.shift()! };
    if (!record) return null;
    counts[best]! += 1;
    heads[best] = await sources[best]!.next();
    return { record };
  };

  let records = 0;
  let resumeAt: Map<number, ShardResume> | null = null;
  const tail: ChainLink[] = [];
  const lastIds = new Map<number, string>();
  const snapshot = () =>
    new Map(
      [...walks].map(([shard, walk]) => [
        shard,
        { prevHash: walk.prevHash, count: walk.checked, lastId: lastIds.get(shard) ?? '0' },
      ]),
    );
  for (let entry = await nextEntry(); entry; entry = await nextEntry()) {
    const row = entry.record ?? entry.link;
    const walk = walkOf(walks, row.shard);
    // The first link is the first live record: the live walk takes over from here.
    if (entry.link) resumeAt ??= snapshot();
    else if (resumeAt) tail.push({ id: row.id, shard: row.shard, prevHash: row.prevHash, hash: row.hash });
    if (row.prevHash !== walk.prevHash)
      finding(
        'DELETED_RECORD',
        row.id,
        `record ${row.id} of shard ${row.shard} does not link to the archived record before it`,
      );
    if (entry.record) {
      records += 1;
      if (
        auditHash(entry.record.prevHash, { ...entry.record, createdAt: new Date(entry.record.createdAt) }) !==
        entry.record.hash
      )
        finding('EDITED_RECORD', row.id, `archived record ${row.id} no longer matches its hash`);
    }
    walk.prevHash = row.hash;
    walk.checked += 1;
    lastIds.set(row.shard, row.id);
    while (walk.next < walk.signed.length && BigInt(walk.signed[walk.next]!.lastId) <= BigInt(row.id)) {
      const head = walk.signed[walk.next++]!;
      if (head.lastId !== row.id)
        finding(
          'DELETED_RECORD',
          head.lastId,
          `record ${head.lastId} of shard ${row.shard}, signed by checkpoint ${head.checkpoint.id}, is missing from the archive`,
        );
      else if (head.headHash !== row.hash || head.count !== walk.checked)
        finding(
          'REWRITTEN_CHAIN',
          row.id,
          `archived record ${row.id} of shard ${row.shard} is not what checkpoint ${head.checkpoint.id} signed`,
        );
    }
  }
  manifests.forEach((manifest, index) => {
    if (digests[index]!.digest('hex') !== manifest.sha256)
      finding('EDITED_RECORD', null, `the file ${manifest.file} is not the one its manifest signed (SHA-256 differs)`);
    else if (counts[index] !== manifest.records)
      finding(
        'DELETED_RECORD',
        null,
        `${manifest.file} holds ${counts[index]} records, its manifest ${manifest.records}`,
      );
  });
  return {
    ok: !findings.some((found) => found.severity === 'ERROR'),
    segments: manifests.map((manifest) => manifest.month),
    records,
    findings,
    shards: resumeAt ?? snapshot(),
    tail,
  };
}
