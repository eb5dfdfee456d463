// The real server as a process (`node --import tsx server/index.ts`) and what tests say to it over
// real HTTP and WebSocket: for tests of the process itself (faults, restarts, SERVER_PROCESSES).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import { REASON, START } from './impersonation-helpers.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const HOME = 'query PortalHome { me { name invoices { number status } } }';
export const BANNER = 'subscription Banner { impersonationSession { sessionId state expiresAt endReason } }';

export type Banner = {
  impersonationSession: { sessionId: string; state: string; expiresAt: string; endReason: string | null };
};

export interface HttpResult {
  status: number;
  requestId: string | null;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** One operation over real HTTP, as a client sends it. */
export async function post(url: string, query: string, token?: string, variables?: object): Promise<HttpResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: HttpResult['body'];
  try {
    body = JSON.parse(text) as HttpResult['body'];
  } catch {
    throw new Error(`HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
  }
  return { status: response.status, requestId: response.headers.get('x-request-id'), body };
}

export const ready = async (graphqlUrl: string) => {
  const response = await fetch(new URL('/ready', graphqlUrl));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

export async function signIn(url: string, email: string, password: string): Promise<string> {
  const result = await post(
    url,
    'mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }',
    undefined,
    { email, password },
  );
  if (!result.body.data?.signIn) throw new Error(`signIn failed: ${JSON.stringify(result.body)}`);
  return result.body.data.signIn.token as string;
}

/** Mara starts a staff view of Chloe over HTTP. */
export async function startChloeView(url: string, mara: string) {
  const found = await post(url, 'query C($s: String) { customers(search: $s) { id } }', mara, { s: 'chloe' });
  const started = await post(url, START, mara, { customerId: found.body.data.customers[0].id, reason: REASON });
  if (!started.body.data?.startImpersonation) throw new Error(`start failed: ${JSON.stringify(started.body)}`);
  return started.body.data.startImpersonation as { token: string; session: { id: string; expiresAt: string } };
}

export function wsClient(url: string, token: string): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    shouldRetry: () => false,
    connectionParams: { authorization: `Bearer ${token}` },
  });
}

/** The real server as a process (`node --import tsx server/index.ts`), so SIGKILL kills the server itself. */
export async function spawnServer(env: Record<string, string | undefined>, script = 'server/index.ts') {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = await new Promise<string | null>((resolve) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; api?: string };
        if (entry.msg === 'started') resolve(entry.api!);
      } catch {
        // not a log line
      }
    });
    void exited.then(() => resolve(null));
  });
  return { child, exited, url, output };
}

export async function runToCompletion(env: Record<string, string | undefined>, script: string) {
  const { exited, output } = await spawnServer(env, script);
  const code = await exited;
  if (code !== 0) throw new Error(`${script} exited with ${code}: ${output.join('\n').slice(-2000)}`);
}

/** Cleanups a test registers, run after each test of the calling file, last registered first. */
export function cleanupsAfterEach(): (cleanup: () => Promise<unknown>) => void {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return (cleanup) => void cleanups.push(cleanup);
}

/**
 * Where a restarted server finds its data: a fresh schema of DATABASE_URL, or an embedded database
 * in a data folder. Either way a temporary folder holds the audit signing key and checkpoints. Both
 * are removed by a cleanup given to `cleanup`; `name` starts the schema's and the folder's names.
 */
export async function persistentStore(cleanup: (cleanup: () => Promise<unknown>) => void, name: string) {
  const databaseUrl = process.env.DATABASE_URL;
  const dir = await mkdtemp(join(tmpdir(), `salon-${name}-`));
  const schema = `${name}_${randomBytes(6).toString('hex')}`;
  const env: Record<string, string | undefined> = databaseUrl
    ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, DATA_DIR: join(dir, 'pglite') }
    : { DATABASE_URL: undefined, DATA_DIR: join(dir, 'pglite') };
  cleanup(async () => {
    if (databaseUrl) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
    await rm(dir, { recursive: true, force: true });
  });
  return { env: { ...env, REDIS_URL: undefined, SEED_DEMO_DATA: 'true', LOG_LEVEL: 'info', NODE_ENV: 'development' } };
}
