// A real RFC 3161 time-stamping authority for tests: Debian's `openssl ts -reply` with a throwaway
// CA and TSA certificate (extendedKeyUsage critical, timeStamping) in a temporary folder, behind a
// small node:http handler (POST application/timestamp-query → application/timestamp-reply).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Why the TSA tests cannot run here, or null when `openssl` (with `ts`) is installed. */
export const opensslMissing: string | null = (() => {
  try {
    execFileSync('openssl', ['ts', '-help'], { stdio: 'ignore' });
    return null;
  } catch (error) {
    // `openssl ts -help` exits 1 after printing its help: only a missing binary throws ENOENT.
    return (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'openssl is not installed (apt-get install openssl)'
      : null;
  }
})();

/** The running test TSA. */
export interface TestTsa {
  url: string;
  /** The TSA's signing certificate (what AUDIT_TSA_CERT_FILE names). */
  certFile: string;
  /** A certificate the TSA did not sign with (another TSA's), for negative checks. */
  otherCertFile: string;
  /** Requests answered with a token. */
  granted: number;
  /** While down, every request gets 503 and no token. */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

const TSA_CONFIG = (dir: string) => `
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = ${dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
certs = $dir/ca.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5.6
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

/** Starts a TSA on 127.0.0.1 (any free port). */
export async function startTestTsa(): Promise<TestTsa> {
  const dir = await mkdtemp(join(tmpdir(), 'test-tsa-'));
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl(
    'req',
    '-x509',
    ...ec,
    '-days',
    '2',
    '-subj',
    '/CN=Salon test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  );
  await writeFile(join(dir, 'tsa.ext'), 'extendedKeyUsage = critical, timeStamping\nbasicConstraints = CA:FALSE\n');
  for (const name of ['tsa', 'other']) {
    await openssl('req', ...ec, '-subj', `/CN=Salon test ${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    await openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'tsa.ext',
      '-out',
      `${name}.crt`,
    );
  }
  await writeFile(join(dir, 'serial'), '01\n');
  await writeFile(join(dir, 'tsa.cnf'), TSA_CONFIG(dir));

  let down = false;
  let sequence = 0;
  const tsa = { granted: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (down || req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
        res.writeHead(down ? 503 : 400).end();
        return;
      }
      // One request at a time through openssl's serial file.
      const n = (sequence += 1);
      const query = join(dir, `q${n}.tsq`);
      const reply = join(dir, `r${n}.tsr`);
      void writeFile(query, Buffer.concat(chunks))
        .then(() => openssl('ts', '-reply', '-config', 'tsa.cnf', '-queryfile', query, '-out', reply))
        .then(() => readFile(reply))
        .then((body) => {
          tsa.granted += 1;
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(body);
        })
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    certFile: join(dir, 'tsa.crt'),
    otherCertFile: join(dir, 'other.crt'),
    get granted() {
      return tsa.granted;
    },
    setDown(value) {
      down = value;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
