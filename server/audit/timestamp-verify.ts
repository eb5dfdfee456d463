// The verifier's look at the checkpoints' RFC 3161 tokens (timestamps.ts wrote them): each trusted
// checkpoint's token must be the TSA's (AUDIT_TSA_CERT_FILE) over that checkpoint's signature, with
// a genTime not before the checkpoint and not in the future. Checkpoints without one are a warning.
import { readFile } from 'node:fs/promises';
import type { AuditCheckpoint } from './checkpoint-signature.ts';
import type { Queryable } from './checkpoint-table.ts';
import type { AuditFinding } from './findings.ts';
import { checkToken, parseTsaCertificate, timestampedBytes, type TsaCertificate } from './tsa-token.ts';

/** Clock difference allowed between the server that signed and the TSA. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** At most this many BAD_TIMESTAMP findings are listed. */
const MAX_FINDINGS = 100;

/**
 * The timestamp findings over `checkpoints` (the trusted ones): BAD_TIMESTAMP for each token that
 * fails, one NOT_TIMESTAMPED warning for those without. No certificate file: tokens are not checked.
 */
export async function timestampFindings(
  db: Queryable,
  checkpoints: AuditCheckpoint[],
  tsaCertFile: string | null | undefined,
  now = new Date(),
): Promise<AuditFinding[]> {
  if (!tsaCertFile) return [];
  const tsa = parseTsaCertificate(await readFile(tsaCertFile, 'utf8'));
  const { rows } = await db.query<{ checkpointId: string; token: Buffer }>(
    'SELECT "checkpointId"::text AS "checkpointId", token FROM "AuditCheckpointTimestamp"',
  );
  return tokenFindings(new Map(rows.map((row) => [row.checkpointId, row.token])), checkpoints, tsa, now);
}

/**
 * The findings over `checkpoints` given their tokens by checkpoint id, wherever the tokens are kept
 * (the database, an archived segment's manifest).
 */
export async function tokenFindings(
  tokens: ReadonlyMap<string, Buffer>,
  checkpoints: readonly AuditCheckpoint[],
  tsa: TsaCertificate,
  now = new Date(),
): Promise<AuditFinding[]> {
  const findings: AuditFinding[] = [];
  const bad = (checkpoint: AuditCheckpoint, detail: string) => {
    if (findings.length < MAX_FINDINGS)
      findings.push({ code: 'BAD_TIMESTAMP', severity: 'ERROR', recordId: null, checkpointId: checkpoint.id, detail });
  };
  const missing: AuditCheckpoint[] = [];
  for (const checkpoint of [...checkpoints].sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)))) {
    const token = tokens.get(checkpoint.id);
    if (!token) {
      missing.push(checkpoint);
      continue;
    }
    const check = await checkToken(token, timestampedBytes(checkpoint.signature), tsa);
    if (!check.valid) {
      bad(checkpoint, `the timestamp of checkpoint ${checkpoint.id} ${check.problem}`);
      continue;
    }
    const signedAt = new Date(checkpoint.createdAt).getTime();
    if (check.genTime.getTime() < signedAt - CLOCK_SKEW_MS)
      bad(
        checkpoint,
        `the timestamp of checkpoint ${checkpoint.id} (${check.genTime.toISOString()}) is before the checkpoint was signed (${checkpoint.createdAt})`,
      );
    else if (check.genTime.getTime() > now.getTime() + CLOCK_SKEW_MS)
      bad(checkpoint, `the timestamp of checkpoint ${checkpoint.id} is in the future (${check.genTime.toISOString()})`);
  }
  if (missing.length > 0) {
    const first = missing[0]!;
    findings.push({
      code: 'NOT_TIMESTAMPED',
      severity: 'WARNING',
      recordId: null,
      checkpointId: first.id,
      detail: `${missing.length} checkpoint${missing.length === 1 ? ' has' : 's have'} no TSA timestamp (the first: ${first.id}, signed ${first.createdAt})`,
    });
  }
  return findings;
}
