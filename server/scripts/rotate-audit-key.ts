// CLI (`npm run audit:rotate-key`): rotates the key that signs audit checkpoints. Makes a new Ed25519
// key beside AUDIT_SIGNING_KEY_FILE, lists it in the database as the signing key from the newest
// checkpoint on (the current key stays listed for the checkpoints before; audit/key-ring.ts), then
// puts it in place of the old key file. Instances still running with the old key sign no more
// checkpoints: restart every instance next. Prints the new public key for the auditors.
import { generateKeyPairSync } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { listSigningKeyNow } from '../audit/key-ring.ts';
import { auditSigningFiles, loadSigningKey } from '../audit/signing-key.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';

const config = loadConfig();
const { keyFile } = auditSigningFiles(config);
const current = await loadSigningKey(keyFile, { create: false, privateOnly: config.NODE_ENV === 'production' });
const staged = `${keyFile}.new`;
await writeFile(staged, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), {
  mode: 0o600,
  flag: 'wx',
});
const next = await loadSigningKey(staged, { create: false });
const database = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  schema: config.DATABASE_SCHEMA,
  preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
});
let listedNext = false;
try {
  // The current key first: on a log whose key was never listed, it keeps the checkpoints before.
  await listSigningKeyNow(database.pool, current, new Date());
  const listed = await listSigningKeyNow(database.pool, next, new Date());
  listedNext = true;
  await rename(staged, keyFile);
  console.log(
    `Audit signing key rotated: ${next.fingerprint} signs the checkpoints after ${listed?.afterCheckpointId ?? '?'}; ` +
      `${current.fingerprint} stays listed for those before.\n` +
      `Restart every instance now (until then none signs a checkpoint), and give auditors the new public key ` +
      `(AUDIT_PUBLIC_KEY_FILE):\n${next.publicKeyPem}`,
  );
} catch (error) {
  // Once listed, the new key is the only one that may sign: never delete it then.
  if (listedNext) console.error(`The new key is listed but not in place: move ${staged} to ${keyFile} by hand`);
  else await rm(staged, { force: true });
  console.error(`Audit signing key not rotated: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
