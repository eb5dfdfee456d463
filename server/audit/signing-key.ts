// The Ed25519 key that signs audit checkpoints lives outside the database, so that someone who can
// rewrite the database cannot sign (SPEC 4). Loads it (creating one on first start when allowed),
// finds its files, and gives the public half and fingerprint an auditor keeps.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '../config.ts';

/** What verifies checkpoints: the public half of the signing key. */
export interface AuditPublicKey {
  publicKey: KeyObject;
  /** SPKI PEM, what an auditor keeps to run the verifier elsewhere. */
  publicKeyPem: string;
  /** `SHA256:` and the base64 SHA-256 of the DER public key (the form `ssh-keygen -l` prints). */
  fingerprint: string;
}

/** The private key that signs checkpoints, with its public half. */
export interface SigningKey extends AuditPublicKey {
  privateKey: KeyObject;
}

/**
 * Where the key and the file sink live: settings, else in the folder `audit/` inside DATA_DIR (or in
 * `root`, for tests), never beside it: deployments whose data folders share a parent share nothing.
 */
export function auditSigningFiles(config: Config, root = join(config.DATA_DIR, 'audit')) {
  return {
    keyFile: config.AUDIT_SIGNING_KEY_FILE ?? join(root, 'audit-signing-key.pem'),
    checkpointFile: join(config.AUDIT_CHECKPOINT_DIR ?? join(root, 'audit-checkpoints'), 'audit-checkpoints.ndjson'),
  };
}

/** The PEM and fingerprint of a public key. */
export function describePublicKey(publicKey: KeyObject): AuditPublicKey {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    fingerprint: `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`,
  };
}

/**
 * Reads the Ed25519 private key; with `create`, a missing file is created (mode 0600, never
 * overwriting one written concurrently). With `privateOnly` (production), a key file that its group
 * or others may read or write is refused: whoever can read it can sign checkpoints over a rewritten log.
 */
export async function loadSigningKey(
  file: string,
  options: { create: boolean; privateOnly?: boolean },
): Promise<SigningKey> {
  let pem: string;
  if (options.privateOnly) await assertPrivateFile(file);
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !options.create) {
      throw new Error(
        `Audit signing key ${file} cannot be read (create one with: openssl genpkey -algorithm ed25519 -out ${file})`,
        { cause: error },
      );
    }
    pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    // 0700 for every folder made: the default puts it inside DATA_DIR, which may not exist yet, and
    // the embedded database's folder must stay private (server/db/embedded.ts).
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, pem, { mode: 0o600, flag: 'wx' }).catch(async (writeError: NodeJS.ErrnoException) => {
      if (writeError.code !== 'EEXIST') throw writeError;
      pem = await readFile(file, 'utf8');
    });
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`Audit signing key ${file} is not an Ed25519 key`);
  return { privateKey, ...describePublicKey(createPublicKey(privateKey)) };
}

/** Throws unless only the file's owner may read or write it (mode 0600 or 0400). */
async function assertPrivateFile(file: string): Promise<void> {
  const mode = await stat(file).then(
    (stats) => stats.mode,
    () => 0, // a missing file is reported by the read below
  );
  if ((mode & 0o077) !== 0)
    throw new Error(
      `Audit signing key ${file} is readable or writable by group or others (mode ${(mode & 0o777).toString(8)}): run chmod 600 ${file}`,
    );
}

/** The public key from a public or private key PEM file (the verifier needs only the public half). */
export async function loadPublicKey(file: string): Promise<AuditPublicKey> {
  return describePublicKey(createPublicKey(await readFile(file, 'utf8')));
}
