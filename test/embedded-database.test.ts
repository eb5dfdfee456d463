// The embedded database is the app's alone: pglite-socket has no authentication, so it must not be
// reachable by other local processes. It listens on a Unix socket in a private directory (no TCP
// port at all), another OS user is refused, and the app works through it.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../server/db/database.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../server/db/embedded.ts';

const onLinux = process.platform === 'linux';
const asRoot = process.getuid?.() === 0;

/** The inodes of the TCP sockets this process listens on (Linux: /proc/net/tcp{,6} and our fds). */
function listeningTcpInodes(): Set<string> {
  const listening = new Set<string>();
  for (const file of ['/proc/self/net/tcp', '/proc/self/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      if (columns[3] === '0A' && columns[9]) listening.add(columns[9]);
    }
  }
  const ours = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1];
      if (inode && listening.has(inode)) ours.add(inode);
    } catch {
      // The fd closed while listing.
    }
  }
  return ours;
}

/** Tries to connect to a Unix socket from a process running as another user; resolves its error code. */
function connectAsNobody(path: string): Promise<string> {
  const script = `require('net').connect(process.argv[1]).on('connect', () => { console.log('CONNECTED'); process.exit(0); }).on('error', (e) => { console.log(e.code); process.exit(0); });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, path], { uid: 65534, gid: 65534, cwd: '/' });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', () => resolve(output.trim()));
  });
}

describe('Embedded database socket', () => {
  let embedded: EmbeddedDatabase;
  let before: Set<string>;

  beforeAll(async () => {
    before = onLinux ? listeningTcpInodes() : new Set();
    embedded = await startEmbeddedDatabase();
  });
  afterAll(async () => {
    await embedded?.stop();
  });

  it('listens on a Unix socket (0600) in a private directory (0700), named by its URL', async () => {
    expect(new URL(embedded.url).searchParams.get('host')).toBe(embedded.socketDir);
    expect((await stat(embedded.socketDir)).mode & 0o777).toBe(0o700);
    const socket = await stat(join(embedded.socketDir, '.s.PGSQL.5432'));
    expect(socket.isSocket()).toBe(true);
    expect(socket.mode & 0o777).toBe(0o600);
  });

  it.skipIf(!onLinux)('opens no TCP port', () => {
    const opened = [...listeningTcpInodes()].filter((inode) => !before.has(inode));
    expect(opened).toEqual([]);
  });

  it('serves a client of the app’s own user through its URL', async () => {
    const client = new pg.Client({ connectionString: embedded.url });
    await client.connect();
    try {
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  it.skipIf(!asRoot)(
    'serves a client of the app’s own user through its URL (unauthorized: another user is refused)',
    async () => {
      expect(await connectAsNobody(join(embedded.socketDir, '.s.PGSQL.5432'))).toBe('EACCES');
    },
  );
});

describe('Embedded database in a data folder', () => {
  let parent: string;

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'salon-data-test-'));
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('creates the data folder private to its user, and removes its socket directory when stopped', async () => {
    const dataDir = join(parent, 'pglite');
    const embedded = await startEmbeddedDatabase(dataDir);
    try {
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    } finally {
      await embedded.stop();
    }
    await expect(stat(embedded.socketDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('The app on the embedded database', () => {
  let database: Database;

  beforeAll(async () => {
    database = await openDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('migrates and queries through the socket, audit triggers in place', async () => {
    expect(new URL(database.url).searchParams.get('host')).toMatch(/salon-pglite-/);
    expect(await database.prisma.auditEvent.count()).toBe(0);
    const triggers = await database.pool.query<{ tgname: string }>(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = '"AuditEvent"'::regclass AND NOT tgisinternal`,
    );
    expect(triggers.rows.length).toBeGreaterThan(0);
  });
});
