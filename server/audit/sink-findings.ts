// The checkpoint stream read whole: the database table and every configured file sink, merged by
// checkpoint id. A checkpoint of a sink missing from the database, or one of the database missing
// from a sink that holds later ones, is a finding; a sink that only lacks the newest is behind (a
// warning). Witnesses and refusals (witness.ts) count when signed by a trusted key.
import type { AuditCheckpoint } from './checkpoint-signature.ts';
import { headTuples } from './checkpoint-signature.ts';
import type { SinkContents } from './checkpoint-file.ts';
import type { AuditFinding, AuditFindingCode } from './findings.ts';
import type { CheckpointKeys } from './key-ring-verify.ts';
import { lineSignatureValid, type AuditRefusal, type AuditWitness } from './witness.ts';

const headsText = (checkpoint: AuditCheckpoint) =>
  checkpoint.shards ? JSON.stringify(headTuples(checkpoint.shards)) : null;

/** Whether two copies of a checkpoint say the same. */
export const sameCheckpoint = (a: AuditCheckpoint, b: AuditCheckpoint) =>
  (['createdAt', 'lastId', 'headHash', 'count', 'prevSignature', 'signature', 'keyFingerprint'] as const).every(
    (field) => a[field] === b[field],
  ) && headsText(a) === headsText(b);

/** What the sinks add to the database's checkpoints. */
export interface SinkComparison {
  /** Per checkpoint id, the distinct copies the sinks hold, with where. */
  copies: Map<string, { checkpoint: AuditCheckpoint; where: string }[]>;
  witnesses: AuditWitness[];
  findings: AuditFinding[];
}

const error = (code: AuditFindingCode, checkpointId: string | null, detail: string): AuditFinding => ({
  code,
  severity: 'ERROR',
  recordId: null,
  checkpointId,
  detail,
});

/** Compares each sink with the database, and checks the witnesses and refusals the sinks hold. */
export function compareSinks(
  inDatabase: AuditCheckpoint[],
  sinks: { file: string; contents: SinkContents | null }[],
  keys: CheckpointKeys['keys'],
  valid: (checkpoint: AuditCheckpoint) => boolean,
): SinkComparison {
  const findings: AuditFinding[] = [];
  const copies = new Map<string, { checkpoint: AuditCheckpoint; where: string }[]>();
  const witnesses: AuditWitness[] = [];
  const byId = new Map(inDatabase.map((checkpoint) => [checkpoint.id, checkpoint]));
  const signedByTrustedKey = (line: AuditWitness | AuditRefusal) => {
    const key = keys.find((trusted) => trusted.fingerprint === line.keyFingerprint);
    return !!key && lineSignatureValid(line, key.publicKey);
  };
  for (const { file, contents } of sinks) {
    const where = `sink ${file}`;
    if (!contents || contents.checkpoints.length === 0) {
      if (inDatabase.length > 0)
        findings.push(
          error(
            'CHECKPOINT_MISMATCH',
            null,
            `the ${where} ${contents ? 'holds none' : 'is missing, with none'} of the database's ${inDatabase.length} checkpoints`,
          ),
        );
      if (!contents) continue;
    }
    for (const line of contents.unreadableLines)
      findings.push(error('BAD_CHECKPOINT_SIGNATURE', null, `line ${line} of the ${where} is not a checkpoint`));
    const held = new Set<string>();
    let newest = 0n;
    for (const checkpoint of contents.checkpoints) {
      const known = copies.get(checkpoint.id) ?? [];
      if (!known.some((copy) => sameCheckpoint(copy.checkpoint, checkpoint))) known.push({ checkpoint, where });
      copies.set(checkpoint.id, known);
      if (held.has(checkpoint.id)) continue;
      held.add(checkpoint.id);
      if (BigInt(checkpoint.id) > newest) newest = BigInt(checkpoint.id);
      const stored = byId.get(checkpoint.id);
      if (!stored)
        findings.push(
          error(
            'CHECKPOINT_MISMATCH',
            checkpoint.id,
            `checkpoint ${checkpoint.id} of the ${where} is missing from the database`,
          ),
        );
      else if (!sameCheckpoint(stored, checkpoint))
        findings.push(
          error(
            'CHECKPOINT_MISMATCH',
            checkpoint.id,
            `checkpoint ${checkpoint.id} in the database differs from its copy in the ${where}`,
          ),
        );
    }
    const lacking = inDatabase.filter((checkpoint) => !held.has(checkpoint.id));
    if (contents.checkpoints.length > 0)
      for (const checkpoint of lacking.filter((missing) => BigInt(missing.id) < newest))
        findings.push(
          error(
            'CHECKPOINT_MISMATCH',
            checkpoint.id,
            `checkpoint ${checkpoint.id} of the database is missing from the ${where}, which holds later ones (lines removed)`,
          ),
        );
    // Only genuine checkpoints can be waiting to be copied; a forged one is named by its signature.
    const behind = lacking.filter((missing) => BigInt(missing.id) > newest && valid(missing));
    if (contents.checkpoints.length > 0 && behind.length > 0)
      findings.push({
        code: 'SINK_BEHIND',
        severity: 'WARNING',
        recordId: null,
        checkpointId: behind[0]!.id,
        detail: `the ${where} lacks the database's newest ${behind.length} checkpoint(s), from ${behind[0]!.id} on (not copied yet, or its instance stopped)`,
      });
    for (const witness of contents.witnesses) {
      if (signedByTrustedKey(witness)) witnesses.push(witness);
      else
        findings.push(
          error(
            'BAD_CHECKPOINT_SIGNATURE',
            null,
            `the witness of ${witness.createdAt} in the ${where} is not signed by a trusted key`,
          ),
        );
    }
    for (const refusal of contents.refusals)
      findings.push(
        signedByTrustedKey(refusal)
          ? error(
              refusal.code,
              null,
              `the checkpoint writer refused to sign at ${refusal.createdAt} (${where}): ${refusal.detail}`,
            )
          : error(
              'BAD_CHECKPOINT_SIGNATURE',
              null,
              `the refusal of ${refusal.createdAt} in the ${where} is not signed by a trusted key`,
            ),
      );
  }
  for (const [id, known] of copies)
    if (known.length > 1)
      findings.push(
        error(
          'CHECKPOINT_MISMATCH',
          id,
          `checkpoint ${id} differs between the ${known.map((copy) => copy.where).join(' and the ')}`,
        ),
      );
  return { copies, witnesses, findings };
}
