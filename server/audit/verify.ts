// Proves the audit log whole or names what was done to it (SPEC 4): one pass in id order checks
// every record against its shard's chain (chain.ts) and against the shard heads the trusted
// checkpoints signed. Used by the `verifyAuditChain` query and by `npm run audit:verify`.
import { auditHash } from './chain.ts';
import type { AuditCheckpoint } from './checkpoint-signature.ts';
import type { Queryable } from './checkpoint-table.ts';
import type { AuditFinding, AuditFindingCode } from './findings.ts';
import { shardWalks, tellReorderings, walkOf, type BrokenLink } from './shard-walks.ts';
import { timestampFindings } from './timestamp-verify.ts';
import { readAuditRecords } from './records.ts';
import { trustedCheckpoints, type TrustedCheckpoints, type VerificationKeys } from './trusted-checkpoints.ts';
import { witnessHeads } from './witness.ts';
import type { WalkResume } from './retention/resume.ts';

export { readAuditRecords, type AuditRecord } from './records.ts';

/** What the verifier found over the whole log. */
export interface AuditVerification {
  /** No error-level finding (an unverified tail alone is ok). */
  ok: boolean;
  /** Records walked. */
  checked: number;
  /** The record of the first error finding (kept from the chain-only verifier). */
  brokenAtId: string | null;
  problem: string | null;
  findings: AuditFinding[];
  /** The longest a record waited for the checkpoint that signed it (witnesses aside); null: none signed. */
  longestUnsignedGap: { seconds: number; recordId: string; checkpointId: string } | null;
  /** The stream read: the log's name, the sinks and their lines of other logs, the witnesses counted. */
  stream: Pick<TrustedCheckpoints, 'log' | 'sinks'> & { witnesses: number };
}

/** How a signer of heads is named: a checkpoint by its id, a witness by its time (it has no id). */
const signer = (checkpoint: AuditCheckpoint & { witness?: true }) =>
  checkpoint.witness ? `the writer's witness of ${checkpoint.createdAt}` : `checkpoint ${checkpoint.id}`;

/** At most this many findings of one code are listed (a table rewritten row by row would list every row). */
const MAX_FINDINGS_PER_CODE = 100;

/**
 * Walks the whole log in id order, in pages, and checks each shard against every trusted checkpoint.
 * With `resume` (retention/resume.ts), each shard starts where its archived months end.
 */
export async function verifyAuditLog(
  db: Queryable,
  keys: VerificationKeys,
  pageSize = 1000,
  resume?: WalkResume,
): Promise<AuditVerification> {
  const stream = await trustedCheckpoints(db, keys);
  const { checkpoints, findings: checkpointFindings } = stream;
  const chainFindings: AuditFinding[] = [];
  // Checkpoint findings about the records: the earliest checkpoint that disagrees says it (later ones follow from it).
  const coverage = new Map<AuditFindingCode, AuditFinding>();
  const record = (
    code: AuditFindingCode,
    recordId: string,
    detail: string,
    checkpoint?: AuditCheckpoint & { witness?: true },
  ) => {
    const checkpointId = checkpoint && !checkpoint.witness ? checkpoint.id : null;
    const found: AuditFinding = { code, severity: 'ERROR', recordId, checkpointId, detail };
    if (checkpoint) {
      if (!coverage.has(code)) coverage.set(code, found);
    } else if (chainFindings.filter((listed) => listed.code === code).length < MAX_FINDINGS_PER_CODE) {
      chainFindings.push(found);
      return found;
    }
    return null;
  };
  /** Broken links, told apart once the walk is over: a predecessor still in its shard means a reordering. */
  const brokenLinks: BrokenLink[] = [];

  // Witnesses sign heads like checkpoints: records they saw must still be there.
  const walks = shardWalks([...checkpoints, ...stream.witnesses.map(witnessHeads)]);
  let longestUnsignedGap: AuditVerification['longestUnsignedGap'] = null;
  resume?.seed(walks);
  let checked = 0;
  let lastId: string | null = null;
  let unverified = 0;
  let firstUnverified: string | null = null;

  for (;;) {
    const page = await readAuditRecords(db, lastId ?? '0', pageSize);
    for (const row of page) {
      const id = BigInt(row.id);
      resume?.before(walks, id);
      const walk = walkOf(walks, row.shard);
      const where = `shard ${row.shard}`;
      while (walk.next < walk.signed.length && BigInt(walk.signed[walk.next]!.lastId) < id) {
        const head = walk.signed[walk.next++]!;
        record(
          'DELETED_RECORD',
          head.lastId,
          `record ${head.lastId} of ${where}, signed by ${signer(head.checkpoint)}, is missing`,
          head.checkpoint,
        );
      }
      if (row.prevHash !== walk.prevHash) {
        const finding = record('DELETED_RECORD', row.id, 'previous row missing or changed');
        if (finding) brokenLinks.push({ finding, shard: row.shard, prevHash: row.prevHash });
      }
      if (auditHash(row.prevHash, row) !== row.hash) record('EDITED_RECORD', row.id, 'row content changed');
      walk.prevHash = row.hash;
      walk.checked += 1;
      checked += 1;
      if (id > walk.signedThrough) {
        unverified += 1;
        firstUnverified ??= row.id;
      }
      const signedBy = walk.signed.slice(walk.next).find((head) => !(head.checkpoint as { witness?: true }).witness);
      const waited = signedBy ? Date.parse(signedBy.checkpoint.createdAt) - row.createdAt.getTime() : 0;
      if (signedBy && waited > (longestUnsignedGap?.seconds ?? 0) * 1000)
        longestUnsignedGap = { seconds: waited / 1000, recordId: row.id, checkpointId: signedBy.checkpoint.id };
      while (walk.next < walk.signed.length && BigInt(walk.signed[walk.next]!.lastId) === id) {
        const head = walk.signed[walk.next++]!;
        const checkpoint = head.checkpoint;
        if (row.hash !== head.headHash)
          record(
            'REWRITTEN_CHAIN',
            row.id,
            `record ${row.id} of ${where} (or one before it) was rewritten and the chain rehashed: its hash is not the one ${signer(checkpoint)} signed`,
            checkpoint,
          );
        else if (walk.checked < head.count)
          record(
            'DELETED_RECORD',
            row.id,
            `${head.count - walk.checked} records of ${where} up to ${row.id} are missing (${signer(checkpoint)} signed ${head.count})`,
            checkpoint,
          );
        else if (walk.checked > head.count)
          record(
            'REWRITTEN_CHAIN',
            row.id,
            `${walk.checked - head.count} records of ${where} up to ${row.id} were inserted (${signer(checkpoint)} signed ${head.count})`,
            checkpoint,
          );
      }
      lastId = row.id;
    }
    if (page.length < pageSize) break;
  }
  resume?.before(walks, null);
  for (const [shard, walk] of walks) {
    if (walk.next >= walk.signed.length) continue;
    const head = walk.signed[walk.signed.length - 1]!;
    record(
      'DELETED_TAIL',
      head.lastId,
      `shard ${shard} ends after ${walk.checked} records but ${signer(head.checkpoint)} signed its records through ${head.lastId} (${head.count} records)`,
      head.checkpoint,
    );
  }
  await tellReorderings(db, brokenLinks);

  // A missing record the chain walk already named needs no second finding from the count.
  const chainNamed = new Set(chainFindings.map((found) => found.code));
  const findings = [
    ...chainFindings,
    ...[...coverage.values()].filter((found) => !(found.code === 'DELETED_RECORD' && chainNamed.has('DELETED_RECORD'))),
    ...checkpointFindings,
    ...(await timestampFindings(db, checkpoints, keys.tsaCertFile)),
    ...(resume?.findings ?? []),
  ];
  if (unverified > 0) {
    findings.push({
      code: 'UNVERIFIED_TAIL',
      severity: 'WARNING',
      recordId: firstUnverified,
      checkpointId: null,
      detail: `${unverified} record${unverified === 1 ? '' : 's'} from ${firstUnverified} on after the last signed checkpoint of their shard`,
    });
  }
  const gap = longestUnsignedGap as AuditVerification['longestUnsignedGap'];
  if (gap && keys.unsignedGapLimitMs !== undefined && gap.seconds * 1000 > keys.unsignedGapLimitMs)
    findings.push({
      code: 'UNSIGNED_GAP',
      severity: 'WARNING',
      recordId: gap.recordId,
      checkpointId: gap.checkpointId,
      detail: `record ${gap.recordId} waited ${gap.seconds.toFixed(1)} s for checkpoint ${gap.checkpointId} (more than 3 intervals: the writer was held off)`,
    });
  const firstError = findings.find((found) => found.severity === 'ERROR');
  return {
    ok: !firstError,
    checked,
    brokenAtId: firstError?.recordId ?? null,
    problem: firstError?.detail ?? null,
    findings,
    longestUnsignedGap: gap,
    stream: { log: stream.log, sinks: stream.sinks, witnesses: stream.witnesses.length },
  };
}
