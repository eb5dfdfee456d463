// Debian's rsyslog as a real syslog receiver for tests: a temporary configuration with imtcp on a
// free port (octet-counted framing is on by default) writing every message, RFC 5424 as received,
// to one file, run as a foreground process (`rsyslogd -n -f conf -i pidfile`). It can be stopped
// and started again on the same port, to play a receiver outage. With `tls`, imtcp speaks TLS
// (RFC 5425) through rsyslog's GnuTLS driver (Debian's rsyslog-gnutls).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

/** The rsyslogd binary (Debian puts it in /usr/sbin), or null when rsyslog is not installed. */
export function findRsyslogd(): string | null {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  return folders.map((folder) => join(folder, 'rsyslogd')).find((file) => existsSync(file)) ?? null;
}

/** Whether rsyslog's GnuTLS network driver (package rsyslog-gnutls) is installed. */
export const rsyslogHasTls = () =>
  ['/usr/lib/x86_64-linux-gnu/rsyslog', '/usr/lib/aarch64-linux-gnu/rsyslog', '/usr/lib/rsyslog'].some((folder) =>
    existsSync(join(folder, 'lmnsd_gtls.so')),
  );

/** PEM files of the receiver's certificate (for 127.0.0.1), its key and the CA that signed it. */
export interface ReceiverTls {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface RsyslogReceiver {
  /** tcp://127.0.0.1:<port> (tls://... with `tls`), for AUDIT_SYSLOG_URL. */
  url: string;
  /** The file every received message is written to. */
  file: string;
  /** The file's text so far ('' before the first message). */
  read(): Promise<string>;
  /** Stops rsyslogd (SIGTERM, waits for it to exit): the port refuses connections until `start`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

const run = promisify(execFile);

/** Makes a test CA and a certificate for 127.0.0.1 it signed (openssl), in `dir`. */
export async function makeReceiverCertificates(dir: string): Promise<ReceiverTls> {
  const file = (name: string) => join(dir, name);
  const newKey = ['-newkey', 'rsa:2048', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=salon test CA',
  ]);
  await run('openssl', [
    'req',
    ...newKey,
    '-keyout',
    file('receiver.key'),
    '-out',
    file('receiver.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  await writeFile(file('receiver.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    file('receiver.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('receiver.pem'),
    '-days',
    '2',
    '-extfile',
    file('receiver.ext'),
  ]);
  return { caFile: file('ca.pem'), certFile: file('receiver.pem'), keyFile: file('receiver.key') };
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Starts rsyslogd on a free port; throws when it is not installed (tests skip before). */
export async function startRsyslog(tls?: ReceiverTls): Promise<RsyslogReceiver> {
  const binary = findRsyslogd();
  if (!binary) throw new Error('rsyslogd is not installed');
  const dir = await mkdtemp(join(tmpdir(), 'rsyslog-'));
  const port = await freePort();
  const file = join(dir, 'received.log');
  const conf = join(dir, 'rsyslog.conf');
  await writeFile(
    conf,
    [
      `global(workDirectory="${dir}" maxMessageSize="256k"${
        tls
          ? ` defaultNetstreamDriver="gtls" defaultNetstreamDriverCAFile="${tls.caFile}"` +
            ` defaultNetstreamDriverCertFile="${tls.certFile}" defaultNetstreamDriverKeyFile="${tls.keyFile}"`
          : ''
      })`,
      tls
        ? 'module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")'
        : 'module(load="imtcp")',
      `input(type="imtcp" port="${port}" address="127.0.0.1")`,
      `action(type="omfile" file="${file}" template="RSYSLOG_SyslogProtocol23Format")`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    let output = '';
    child = spawn(binary, ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const running = child;
    exited = new Promise((resolve) => running.once('exit', () => resolve()));
    for (let attempt = 0; !(await accepts(port)); attempt++) {
      if (running.exitCode !== null || attempt > 200) throw new Error(`rsyslogd did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    child?.kill('SIGTERM');
    await exited;
    child = null;
  };
  await start();
  return {
    url: `${tls ? 'tls' : 'tcp'}://127.0.0.1:${port}`,
    file,
    read: () => readFile(file, 'utf8').catch(() => ''),
    stop,
    start,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
