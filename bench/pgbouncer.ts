// `npx tsx bench/pgbouncer.ts`: the suite's multi-instance tests through a real PgBouncer (Debian's
// 1.18: `apt-get install pgbouncer`), once per way of running it:
//   transaction mode, DATABASE_PREPARED_STATEMENTS=false (1.18 cannot carry named prepared
//     statements across transactions: the next one may run on another server connection)
//   session mode, DATABASE_PREPARED_STATEMENTS=true (a client keeps its server connection)
// Each run starts PgBouncer on a spare port in front of the PostgreSQL of DATABASE_URL, with
// `ignore_startup_parameters = options` (1.18 refuses the parameter the app's pool sets its schema
// with) and a role per test schema whose default search_path is that schema (test/pgbouncer-setup.ts);
// the roles are dropped at the end. Exit 1 if a run fails. `--modes=transaction:on` shows why the
// setting exists (named statements through transaction pooling fail). Env: DATABASE_URL (PostgreSQL, required),
// REDIS_URL (redis://127.0.0.1:6379), PGBOUNCER_BIN (/usr/sbin/pgbouncer), PGBOUNCER_USER (postgres: the
// user PgBouncer switches to when started as root, which it refuses to run as).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const TESTS = ['test/impersonation-multi-instance.test.ts', 'test/salon-controls-multi-instance.test.ts'];
/** `--modes=transaction:off,session:on` (the default): pool modes, each with prepared statements on or off. */
const MODES = (process.argv.find((arg) => arg.startsWith('--modes='))?.slice(8) ?? 'transaction:off,session:on')
  .split(',')
  .map((mode) => {
    const [pool, statements] = mode.split(':');
    if (!['transaction', 'session'].includes(pool!) || !['on', 'off'].includes(statements!))
      throw new Error(`--modes: "${mode}" is not transaction|session:on|off`);
    return { pool: pool as 'transaction' | 'session', preparedStatements: statements === 'on' };
  });

const direct = process.env.DATABASE_URL;
const bin = process.env.PGBOUNCER_BIN ?? '/usr/sbin/pgbouncer';
if (!direct) throw new Error('DATABASE_URL (the PostgreSQL behind PgBouncer) is required');
if (!existsSync(bin)) throw new Error(`no PgBouncer at ${bin} (apt-get install pgbouncer, or set PGBOUNCER_BIN)`);
const target = new URL(direct);

async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `command` with `env`, output passed through; resolves with its exit code. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function throughPgBouncer(mode: (typeof MODES)[number]): Promise<{ ok: boolean; seconds: number }> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'salon-pgbouncer-'));
  chmodSync(dir, 0o755); // PgBouncer may run as another user (below), and rereads the auth_file
  const port = await sparePort();
  const authFile = join(dir, 'users.txt');
  writeFileSync(authFile, `"${decodeURIComponent(target.username || 'postgres')}" ""\n`);
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${target.hostname} port=${target.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${authFile}`,
      `pool_mode = ${mode.pool}`,
      'ignore_startup_parameters = options',
      'max_client_conn = 1000',
      'default_pool_size = 20',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root: as root, it is told to switch to PGBOUNCER_USER.
  const asUser = process.getuid?.() === 0 ? ['-u', process.env.PGBOUNCER_USER ?? 'postgres'] : [];
  const bouncer = spawn(bin, [...asUser, join(dir, 'pgbouncer.ini')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  bouncer.stderr!.on('data', (chunk: Buffer) => void (log = (log + chunk.toString()).slice(-20_000)));
  const bouncerUrl = new URL(direct!);
  bouncerUrl.hostname = '127.0.0.1';
  bouncerUrl.port = String(port);
  try {
    for (let attempt = 0; ; attempt += 1) {
      const probe = new pg.Client({ connectionString: bouncerUrl.toString() });
      try {
        await probe.connect();
        await probe.end();
        break;
      } catch (error) {
        if (attempt >= 100 || bouncer.exitCode !== null)
          throw new Error(`PgBouncer did not start: ${log}`, { cause: error });
        await sleep(50);
      }
    }
    console.log(
      `== PgBouncer (${mode.pool} mode) on 127.0.0.1:${port}, DATABASE_PREPARED_STATEMENTS=${mode.preparedStatements}`,
    );
    const code = await run('npx', ['vitest', 'run', '--config', 'test/pgbouncer.vitest.config.ts', ...TESTS], {
      DATABASE_URL: bouncerUrl.toString(),
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      DATABASE_PREPARED_STATEMENTS: String(mode.preparedStatements),
      PGBOUNCER_AUTH_FILE: authFile,
      PGBOUNCER_PID: String(bouncer.pid),
      PGBOUNCER_DIRECT_URL: direct,
    });
    if (code !== 0) console.error(`PgBouncer's log, last lines:\n${log.split('\n').slice(-20).join('\n')}`);
    return { ok: code === 0, seconds: Math.round((performance.now() - started) / 100) / 10 };
  } finally {
    bouncer.kill('SIGTERM');
    await new Promise((resolve) => (bouncer.exitCode !== null ? resolve(null) : bouncer.once('exit', resolve)));
    const roles = await dropSchemaRoles(authFile);
    console.log(`${roles} test schema(s), each through a role of its own (dropped)`);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Drops the roles test/pgbouncer-setup.ts created for the test schemas (auth_file lines after the first). */
async function dropSchemaRoles(authFile: string) {
  const roles = readFileSync(authFile, 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => /^"(test_[0-9a-f]+)"/.exec(line)?.[1])
    .filter((role): role is string => role !== undefined);
  if (!roles.length) return 0;
  const client = new pg.Client({ connectionString: direct });
  await client.connect();
  try {
    for (const role of new Set(roles)) await client.query(`DROP OWNED BY "${role}" CASCADE; DROP ROLE "${role}"`);
  } finally {
    await client.end();
  }
  return new Set(roles).size;
}

const results = [];
for (const mode of MODES) results.push({ ...mode, ...(await throughPgBouncer(mode)) });
for (const result of results)
  console.log(
    `PgBouncer ${result.pool} mode, prepared statements ${result.preparedStatements ? 'on' : 'off'}: ` +
      `${result.ok ? 'passed' : 'FAILED'} in ${result.seconds} s`,
  );
process.exitCode = results.every((result) => result.ok) ? 0 : 1;
