// CLI: verifies what a SIEM receiver wrote (the file of rsyslog, syslog-ng, or a SIEM export with
// one message per line) with the public key alone, no database:
//   npm run audit:verify-syslog -- FILE [--key PUBLIC_KEY_PEM ...]
// The keys: every --key (after a rotation, each key that signed), else AUDIT_PUBLIC_KEY_FILE, else the signing key file of the configuration. Rebuilds
// every shard's chain from the file, checks every record's hash and every checkpoint's signature,
// ignores identical duplicates (the stream is at-least-once) and reports gaps. Prints one line per
// finding and exits like `npm run audit:verify`: 0 intact, 1 could not run, 10-16 tampering or
// gaps (11 DELETED_RECORD: a gap; 12 DELETED_TAIL: the file ends before a signed record), 20 unverified tail.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { exitCodeFor } from '../audit/findings.ts';
import { verifySyslogText } from '../audit/siem/verify-syslog.ts';
import { auditSigningFiles, loadPublicKey } from '../audit/signing-key.ts';
import { loadConfig } from '../config.ts';

const { values, positionals } = parseArgs({
  options: { key: { type: 'string', multiple: true }, syslog: { type: 'string' } },
  allowPositionals: true,
});
const file = values.syslog ?? positionals[0];
if (!file) {
  console.error('usage: npm run audit:verify-syslog -- FILE [--key PUBLIC_KEY_PEM ...]');
  process.exit(1);
}
try {
  const config = loadConfig();
  const keyFiles = values.key ?? [config.AUDIT_PUBLIC_KEY_FILE ?? auditSigningFiles(config).keyFile];
  const keys = await Promise.all(keyFiles.map(loadPublicKey));
  const result = verifySyslogText(
    await readFile(file, 'utf8'),
    keys.map((key) => key.publicKey),
  );
  for (const finding of result.findings) console.error(`${finding.severity} ${finding.code}: ${finding.detail}`);
  console.log(
    `${result.ok ? 'Syslog copy intact' : 'Syslog copy NOT intact'}: ${result.records} records, ${result.checkpoints} checkpoints, ` +
      `${result.duplicates} duplicate lines, keys ${keys.map((key) => key.fingerprint).join(' ')}, ${result.findings.length} findings`,
  );
  process.exitCode = exitCodeFor(result.findings);
} catch (error) {
  console.error(`The syslog copy could not be verified: ${(error as Error).message}`);
  process.exitCode = 1;
}
