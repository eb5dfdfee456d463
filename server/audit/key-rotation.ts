// Rotating the key that signs audit checkpoints (`npm run audit:rotate-key`, README "Rotating the
// signing key"): a new Ed25519 key is staged beside the key file, listed in the database as the
// signing key from the newest checkpoint on (the current key stays listed for the checkpoints
// before), then put in place of the old key file. Instances still running with the old key sign no
// more checkpoints (key-ring.ts) until they restart with the new file.
import { generateKeyPairSync } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import type pg from 'pg';
import { listSigningKeyNow } from './key-ring.ts';
import { loadSigningKey, type SigningKey } from './signing-key.ts';

/** What a rotation did. */
export interface KeyRotation {
  retired: SigningKey;
  current: SigningKey;
  /** The new key signs the checkpoints with an id above this one. */
  afterCheckpointId: string;
}

/**
 * Rotates the key in `keyFile` (mode 0600 kept; with `privateOnly`, a key file others may read is
 * refused first). If the database step fails, nothing changed; once the new key is listed it is
 * never deleted: should the final rename fail, the error says where the staged key is.
 */
export async function rotateSigningKey(
  pool: pg.Pool,
  keyFile: string,
  options: { privateOnly?: boolean; now?: Date } = {},
): Promise<KeyRotation> {
  const retired = await loadSigningKey(keyFile, { create: false, privateOnly: options.privateOnly });
  const staged = `${keyFile}.new`;
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await writeFile(staged, pem, { mode: 0o600, flag: 'wx' });
  const current = await loadSigningKey(staged, { create: false });
  const now = options.now ?? new Date();
  let listed;
  try {
    // The current key first: on a log whose key was never listed, it keeps the checkpoints before.
    await listSigningKeyNow(pool, retired, now);
    listed = await listSigningKeyNow(pool, current, now);
  } catch (error) {
    await rm(staged, { force: true });
    throw error;
  }
  // Once listed, the new key is the only one that may sign: never deleted from here on.
  await rename(staged, keyFile).catch((error: unknown) => {
    throw new Error(`The new key is listed but not in place: move ${staged} to ${keyFile} by hand`, { cause: error });
  });
  return { retired, current, afterCheckpointId: listed?.afterCheckpointId ?? '0' };
}
