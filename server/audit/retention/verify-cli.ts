// `npm run audit:verify -- --archive DIR [--offline]`: the archive's part of the verifier CLI
// (server/scripts/verify-audit-chain.ts). Every segment in DIR is checked with the public key
// alone; with the database, the live walk then resumes where the dropped months end (resume.ts).
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Queryable } from '../checkpoint-table.ts';
import type { AuditFinding } from '../findings.ts';
import { parseTsaCertificate } from '../tsa-token.ts';
import { partitionMonths } from './months.ts';
import { resumeAfter, type WalkResume } from './resume.ts';
import { verifyArchive } from './verify-archive.ts';
import type { AuditVerification } from '../verify.ts';

/** The archive's findings, a line to print, and the live walk's start (with a database). */
export interface ArchiveCheck {
  findings: AuditFinding[];
  summary: string;
  resume?: WalkResume;
}

/** The archive's findings merged into the live verify's result (its first error, `ok`). */
export function withArchive(result: AuditVerification, archive: ArchiveCheck): AuditVerification {
  const findings = [...result.findings, ...archive.findings];
  const firstError = findings.find((found) => found.severity === 'ERROR');
  return {
    ...result,
    findings,
    ok: !firstError,
    brokenAtId: firstError?.recordId ?? null,
    problem: firstError?.detail ?? null,
  };
}

/**
 * Verifies the archive in `dir` (none there: nothing to check), with its timestamp tokens when the
 * TSA's certificate is given; with `db`, also prepares the live walk's resume.
 */
export async function checkArchive(
  dir: string,
  publicKey: KeyObject,
  db: Queryable | null,
  tsaCertFile?: string | null,
): Promise<ArchiveCheck> {
  const tsa = tsaCertFile ? parseTsaCertificate(await readFile(tsaCertFile, 'utf8')) : undefined;
  const archive = await verifyArchive(dir, publicKey, { tsa });
  const summary = `Archive ${dir}: ${archive.segments.length} segments (${archive.segments[0] ?? '-'} to ${archive.segments.at(-1) ?? '-'}), ${archive.records} records, ${archive.ok ? 'intact' : 'TAMPERED'}`;
  if (!db) return { findings: archive.findings, summary };
  // Archived months still in the database are walked live; the dropped ones are where it resumes.
  const live = new Set(await partitionMonths(db));
  const dropped = archive.segments.filter((month) => !live.has(month));
  if (dropped.length === 0) return { findings: archive.findings, summary };
  const throughMonth = dropped.at(-1)!;
  const through =
    throughMonth === archive.segments.at(-1) ? archive : await verifyArchive(dir, publicKey, { throughMonth, tsa });
  return {
    findings: archive.findings,
    summary: `${summary}; live log resumes after ${throughMonth}`,
    resume: resumeAfter(through),
  };
}
