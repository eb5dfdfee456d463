// CLI: checks the audit log of the configured database (DATABASE_URL and DATABASE_SCHEMA, or the
// embedded one in DATA_DIR) against its hash chain and against every signed checkpoint and witness,
// from the database and from every file sink: AUDIT_CHECKPOINT_DIR and each `--checkpoint-dir DIR`
// (other instances' folders), merged by checkpoint id; lines of other logs are skipped. Uses the
// public half of the signing key (AUDIT_PUBLIC_KEY_FILE, else AUDIT_SIGNING_KEY_FILE or the default
// key file; never created here). Prints the longest a record waited for its checkpoint.
// Prints one line per finding and exits with the smallest code found:
//    0  intact: every record is covered by a valid checkpoint
//    1  the check could not run (database or key unreadable)
//   10  EDITED_RECORD             a record's content no longer matches its hash
//   11  DELETED_RECORD            a record is missing from the middle of the log
//   12  DELETED_TAIL              the log ends before the last signed record (truncation)
//   13  REWRITTEN_CHAIN           the chain was rehashed or records inserted: a signed checkpoint disagrees
//   14  BAD_CHECKPOINT_SIGNATURE  a checkpoint not signed by this key (forged, or altered with no file copy)
//   15  CHECKPOINT_MISMATCH       a sink's checkpoint missing or different in the database, a database
//                                 checkpoint missing from a sink holding later ones, or no chain
//   17  BAD_TIMESTAMP             a checkpoint's RFC 3161 token fails (AUDIT_TSA_CERT_FILE given)
//   18  RETIRED_KEY               a checkpoint signed by a listed key that is not the one of its time
//   19  UNTRUSTED_KEY             the list of signing keys is not vouched for by this (the newest) key
//   20  UNVERIFIED_TAIL           warning: records after the last checkpoint (normal for a few seconds)
//   21  NOT_TIMESTAMPED           warning: checkpoints without a TSA token yet (AUDIT_TSA_CERT_FILE given)
//   23  UNSIGNED_GAP              warning: a record waited more than 3 checkpoint intervals (writer held off)
//   24  SINK_BEHIND               warning: a sink lacks the newest checkpoints (not copied yet)
//   Error findings of a sink's signed refusal use the code of what the writer found (10-13).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { STALLED_AFTER_INTERVALS } from '../audit/checkpoint-health.ts';
import { exitCodeFor } from '../audit/findings.ts';
import { auditSigningFiles, loadPublicKey } from '../audit/signing-key.ts';
import { verifyAuditLog } from '../audit/verify.ts';
import { checkArchive } from '../audit/retention/verify-cli.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';

const config = loadConfig();
const files = auditSigningFiles(config);
const { values: args } = parseArgs({
  strict: false,
  options: {
    'checkpoint-dir': { type: 'string', multiple: true },
    // Archived months (retention): checked offline; with --offline, without the database.
    archive: { type: 'string' },
    offline: { type: 'boolean' },
  },
});
const otherCheckpointFiles = ((args['checkpoint-dir'] ?? []) as string[]).map((dir) =>
  join(dir, 'audit-checkpoints.ndjson'),
);
const key = await loadPublicKey(config.AUDIT_PUBLIC_KEY_FILE ?? files.keyFile);
const archiveDir = typeof args.archive === 'string' ? args.archive : null;
if (archiveDir && args.offline) {
  const archive = await checkArchive(archiveDir, key.publicKey, null, config.AUDIT_TSA_CERT_FILE);
  for (const finding of archive.findings) console.error(`${finding.severity} ${finding.code}: ${finding.detail}`);
  console.log(archive.summary);
  process.exit(exitCodeFor(archive.findings));
}
const database = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  schema: config.DATABASE_SCHEMA,
});
try {
  const archive = archiveDir
    ? await checkArchive(archiveDir, key.publicKey, database.pool, config.AUDIT_TSA_CERT_FILE)
    : null;
  const result = await verifyAuditLog(
    database.pool,
    {
      publicKey: key.publicKey,
      checkpointFile: files.checkpointFile,
      otherCheckpointFiles,
      unsignedGapLimitMs: STALLED_AFTER_INTERVALS * config.AUDIT_CHECKPOINT_INTERVAL_MS,
      tsaCertFile: config.AUDIT_TSA_CERT_FILE,
    },
    1000,
    archive?.resume,
  );
  result.findings.push(...(archive?.findings ?? []));
  result.ok &&= !archive?.findings.some((finding) => finding.severity === 'ERROR');
  if (archive) console.log(archive.summary);
  for (const finding of result.findings) {
    const where = [
      finding.recordId && `record ${finding.recordId}`,
      finding.checkpointId && `checkpoint ${finding.checkpointId}`,
    ]
      .filter(Boolean)
      .join(', ');
    console.error(`${finding.severity} ${finding.code}${where ? ` (${where})` : ''}: ${finding.detail}`);
  }
  for (const sink of result.stream.sinks)
    console.log(
      `Sink ${sink.file}: ${sink.present ? 'read' : 'missing'}${sink.otherLogLines ? `, ${sink.otherLogLines} lines of other logs skipped` : ''}`,
    );
  const gap = result.longestUnsignedGap;
  console.log(
    `Longest unsigned gap: ${gap ? `${gap.seconds.toFixed(1)} s (record ${gap.recordId}, checkpoint ${gap.checkpointId})` : 'none'}` +
      `; witnesses read: ${result.stream.witnesses}`,
  );
  console.log(
    `${result.ok ? 'Audit log intact' : 'Audit log TAMPERED'}: ${result.checked} records checked, key ${key.fingerprint}, ` +
      `${result.findings.length} findings`,
  );
  process.exitCode = exitCodeFor(result.findings);
} finally {
  await database.close();
}
