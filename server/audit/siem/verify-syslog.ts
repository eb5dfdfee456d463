// Verifies what a SIEM receiver wrote (a syslog file, or any export with one message per line)
// with the public key alone, no database: rebuilds every shard's chain from the records in it,
// checks each record's hash (chain.ts's auditHash), each checkpoint's signature and chaining, and
// the signed heads against the chains. Duplicates (the stream is at-least-once) are dropped when
// identical and reported when not; a missing stretch of a chain is reported as a gap.
import type { KeyObject } from 'node:crypto';
import { auditHash } from '../chain.ts';
import { checkpointSignatureValid, type AuditCheckpoint } from '../checkpoint-signature.ts';
import type { AuditFinding, AuditFindingCode } from '../findings.ts';
import { byLastId, shardWalks, walkOf } from '../shard-walks.ts';
import { parseStreamLine, type StreamedRecord } from './syslog-message.ts';

/** What the file verifier found. */
export interface SyslogVerification {
  /** No error-level finding. */
  ok: boolean;
  /** Distinct records and checkpoints in the file. */
  records: number;
  checkpoints: number;
  /** Lines that repeated an item already read (identical copies). */
  duplicates: number;
  findings: AuditFinding[];
}

const MAX_FINDINGS_PER_CODE = 100;

/**
 * Verifies the text of a receiver's file with the public key, or the keys (after a rotation, every
 * key that signed: a checkpoint counts when one of them verifies it).
 */
export function verifySyslogText(text: string, publicKeys: KeyObject | KeyObject[]): SyslogVerification {
  const findings: AuditFinding[] = [];
  const finding = (
    code: AuditFindingCode,
    detail: string,
    where: { recordId?: string; checkpointId?: string } = {},
  ) => {
    if (findings.filter((found) => found.code === code).length >= MAX_FINDINGS_PER_CODE) return;
    const severity = code === 'UNVERIFIED_TAIL' ? 'WARNING' : 'ERROR';
    findings.push({
      code,
      severity,
      recordId: where.recordId ?? null,
      checkpointId: where.checkpointId ?? null,
      detail,
    });
  };

  const records = new Map<string, { record: StreamedRecord; text: string }>();
  const checkpoints = new Map<string, { checkpoint: AuditCheckpoint; text: string }>();
  let duplicates = 0;
  text.split('\n').forEach((line, index) => {
    const item = parseStreamLine(line);
    if (item === null) return;
    if (item === 'unreadable')
      return finding('EDITED_RECORD', `line ${index + 1} is an audit message but not readable (cut short?)`);
    const [id, copies, value] =
      item.kind === 'record'
        ? [item.record.id, records as Map<string, { text: string }>, item.record]
        : [item.checkpoint.id, checkpoints as Map<string, { text: string }>, item.checkpoint];
    const seen = copies.get(id);
    const textOf = JSON.stringify(value);
    if (!seen) return copies.set(id, { [item.kind]: value, text: textOf } as never);
    if (seen.text === textOf) duplicates += 1;
    else if (item.kind === 'record')
      finding('EDITED_RECORD', `line ${index + 1} repeats record ${id} with other content`, { recordId: id });
    else
      finding('CHECKPOINT_MISMATCH', `line ${index + 1} repeats checkpoint ${id} with other content`, {
        checkpointId: id,
      });
  });

  const trusted = trustedFileCheckpoints(
    [...checkpoints.values()].map((entry) => entry.checkpoint),
    [publicKeys].flat(),
    finding,
  );
  const walks = shardWalks(trusted);
  let unverified = 0;
  let firstUnverified: string | null = null;
  const ordered = [...records.values()]
    .map((entry) => entry.record)
    .sort((a, b) => byLastId({ lastId: a.id }, { lastId: b.id }));
  for (const record of ordered) {
    const id = BigInt(record.id);
    const walk = walkOf(walks, record.shard);
    while (walk.next < walk.signed.length && BigInt(walk.signed[walk.next]!.lastId) < id) {
      const head = walk.signed[walk.next++]!;
      finding(
        'DELETED_RECORD',
        `gap: record ${head.lastId} of shard ${record.shard}, signed by checkpoint ${head.checkpoint.id}, is not in the file`,
        {
          recordId: head.lastId,
          checkpointId: head.checkpoint.id,
        },
      );
    }
    if (record.prevHash !== walk.prevHash) {
      const after = walk.checked ? `after the shard's record before it in the file` : `at the start of the shard`;
      finding(
        'DELETED_RECORD',
        `gap: records of shard ${record.shard} before record ${record.id} are missing (${after})`,
        {
          recordId: record.id,
        },
      );
      // Counting resumes from the gap: the signed counts below can no longer be compared.
      walk.checked = Number.NaN;
    }
    if (auditHash(record.prevHash, { ...record, createdAt: new Date(record.createdAt) }) !== record.hash)
      finding('EDITED_RECORD', `record ${record.id} of shard ${record.shard} does not match its hash`, {
        recordId: record.id,
      });
    walk.prevHash = record.hash;
    walk.checked += 1;
    if (id > walk.signedThrough) {
      unverified += 1;
      firstUnverified ??= record.id;
    }
    while (walk.next < walk.signed.length && BigInt(walk.signed[walk.next]!.lastId) === id) {
      const head = walk.signed[walk.next++]!;
      const where = { recordId: record.id, checkpointId: head.checkpoint.id };
      if (record.hash !== head.headHash)
        finding(
          'REWRITTEN_CHAIN',
          `record ${record.id} of shard ${record.shard} is not the one checkpoint ${head.checkpoint.id} signed`,
          where,
        );
      else if (walk.checked < head.count)
        finding(
          'DELETED_RECORD',
          `gap: ${head.count - walk.checked} records of shard ${record.shard} up to ${record.id} are missing (checkpoint ${head.checkpoint.id} signed ${head.count})`,
          where,
        );
      else if (walk.checked > head.count)
        finding(
          'REWRITTEN_CHAIN',
          `${walk.checked - head.count} records of shard ${record.shard} up to ${record.id} were inserted (checkpoint ${head.checkpoint.id} signed ${head.count})`,
          where,
        );
    }
  }
  for (const [shard, walk] of walks) {
    if (walk.next >= walk.signed.length) continue;
    const head = walk.signed[walk.signed.length - 1]!;
    finding(
      'DELETED_TAIL',
      `gap: the file's shard ${shard} ends before record ${head.lastId}, which checkpoint ${head.checkpoint.id} signed`,
      {
        recordId: head.lastId,
        checkpointId: head.checkpoint.id,
      },
    );
  }
  if (unverified > 0)
    finding(
      'UNVERIFIED_TAIL',
      `${unverified} record${unverified === 1 ? '' : 's'} from ${firstUnverified} on after the last checkpoint of their shard in the file`,
      {
        recordId: firstUnverified ?? undefined,
      },
    );
  return {
    ok: !findings.some((found) => found.severity === 'ERROR'),
    records: records.size,
    checkpoints: checkpoints.size,
    duplicates,
    findings,
  };
}

/** The checkpoints signed by one of the keys, oldest first; a forged one, or a break in their chain, is a finding. */
function trustedFileCheckpoints(
  checkpoints: AuditCheckpoint[],
  publicKeys: KeyObject[],
  finding: (code: AuditFindingCode, detail: string, where: { checkpointId?: string }) => void,
): AuditCheckpoint[] {
  const trusted = checkpoints
    .sort((a, b) => byLastId({ lastId: a.id }, { lastId: b.id }))
    .filter((checkpoint) => {
      if (publicKeys.some((key) => checkpointSignatureValid(checkpoint, key))) return true;
      finding('BAD_CHECKPOINT_SIGNATURE', `checkpoint ${checkpoint.id} is not signed by any key given`, {
        checkpointId: checkpoint.id,
      });
      return false;
    });
  trusted.forEach((checkpoint, index) => {
    const expected = index === 0 ? null : trusted[index - 1]!.signature;
    if (checkpoint.prevSignature !== expected)
      finding(
        'CHECKPOINT_MISMATCH',
        index === 0
          ? `gap: checkpoint ${checkpoint.id} chains to a checkpoint that is not in the file`
          : `gap: checkpoints between ${trusted[index - 1]!.id} and ${checkpoint.id} are missing from the file`,
        { checkpointId: checkpoint.id },
      );
  });
  return trusted;
}
