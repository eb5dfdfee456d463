// CLI: checks a customer's downloaded staff-access history (Settings, "Download my staff-access
// history") with nothing but the file and, optionally, the salon's public key:
//   npm run audit:verify-history -- FILE [--key PUBLIC_KEY_PEM]
// Checks the Ed25519 signature over line 2 (the history, byte for byte), that the fingerprint the
// file names is its key's, and with --key that the key is the salon's own. Exit codes:
//   0  the signature verifies (and, with --key, it is the salon's key)
//   1  the check could not run (no file, unreadable file or key)
//   2  NOT_A_HISTORY_FILE        not shaped as a downloaded history
//   3  SIGNATURE_INVALID         the history or the signature was changed after signing
//   4  KEY_FINGERPRINT_MISMATCH  the fingerprint named is not the included key's
//   5  NOT_THE_EXPECTED_KEY      signed, but by another key than the one given with --key
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { checkHistoryFile, type HistoryFinding } from '../audit/customer-history-file.ts';
import { loadPublicKey } from '../audit/signing-key.ts';

const EXIT_CODES: Record<HistoryFinding, number> = {
  NOT_A_HISTORY_FILE: 2,
  SIGNATURE_INVALID: 3,
  KEY_FINGERPRINT_MISMATCH: 4,
  NOT_THE_EXPECTED_KEY: 5,
};

const { values, positionals } = parseArgs({ options: { key: { type: 'string' } }, allowPositionals: true });
const [file] = positionals;
if (!file || positionals.length > 1) {
  console.error('Usage: npm run audit:verify-history -- FILE [--key PUBLIC_KEY_PEM]');
  process.exit(1);
}
try {
  const expected = values.key ? await loadPublicKey(values.key) : undefined;
  const check = checkHistoryFile(await readFile(file), expected);
  if (check.finding) {
    console.error(
      `${check.finding}: ${file} does not verify${check.keyFingerprint ? ` (key ${check.keyFingerprint})` : ''}`,
    );
    process.exitCode = EXIT_CODES[check.finding];
  } else {
    const coverage = (check.history as { coverage?: { views?: number } }).coverage;
    console.log(
      `Signature valid: ${file}, ${coverage?.views ?? 0} staff views, signed by key ${check.keyFingerprint}` +
        (expected ? ' (the key given)' : ' (compare this fingerprint with the salon’s published one)'),
    );
  }
} catch (error) {
  console.error(`The check could not run: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
