// CLI (`npm run audit:rotate-key`): rotates the key that signs audit checkpoints
// (audit/key-rotation.ts) for the configured database and AUDIT_SIGNING_KEY_FILE, then says what to
// do next: restart every instance, and give auditors the new public key (printed).
import { rotateSigningKey } from '../audit/key-rotation.ts';
import { auditSigningFiles } from '../audit/signing-key.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';

const config = loadConfig();
const { keyFile } = auditSigningFiles(config);
const database = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  schema: config.DATABASE_SCHEMA,
  preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
});
try {
  const { retired, current, afterCheckpointId } = await rotateSigningKey(database.pool, keyFile, {
    privateOnly: config.NODE_ENV === 'production',
  });
  console.log(
    `Audit signing key rotated: ${current.fingerprint} signs the checkpoints after ${afterCheckpointId}; ` +
      `${retired.fingerprint} stays listed for those before.\n` +
      'Restart every instance now (until then none signs a checkpoint), and give auditors the new public key ' +
      `(AUDIT_PUBLIC_KEY_FILE):\n${current.publicKeyPem}`,
  );
} catch (error) {
  console.error(`Audit signing key not rotated: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
