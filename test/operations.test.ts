// Operations endpoints (server/app.ts, server/observability/): /health, /ready with the database
// and pub/sub, /metrics with the salon's own metrics, request ids on responses, and a shutdown
// that lets a request in flight finish.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../server/app.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { startSession } from './impersonation-helpers.ts';

let app: TestApp;
let origin: string;

beforeAll(async () => {
  app = await startTestApp();
  origin = new URL(app.url).origin;
});

afterAll(async () => {
  await app?.close();
});

describe('health and readiness', () => {
  test('/health answers 200 while the process serves', async () => {
    const response = await fetch(`${origin}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('/ready answers 200 with the database reachable, pub/sub ready and the audit log signed', async () => {
    const response = await fetch(`${origin}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ready: true,
      database: 'ok',
      pubsub: 'ready',
      checkpoints: 'ok',
      draining: false,
    });
  });

  test('/ready answers 503 when the database is unreachable (unready)', async () => {
    const closedPool = new pg.Pool({ connectionString: app.databaseUrl });
    await closedPool.end();
    const dedicated = buildApp({ ...app.services, pool: closedPool });
    const port = await dedicated.start(0);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ ready: false, database: 'unreachable' });
    } finally {
      await dedicated.stop();
    }
  });
});

describe('metrics', () => {
  test('/metrics exposes active sessions, refusals by code, audit write latency and Yoga metrics', async () => {
    await app.gql('mutation { signIn(email: "nobody@example.test", password: "wrong") { token } }');
    const { token, session } = await startSession(app, await app.signIn('mara'));
    await app.gql('{ me { name } }', {}, token);
    const text = await (await fetch(`${origin}/metrics`)).text();
    expect(text).toMatch(/^salon_impersonation_sessions_active 1$/m);
    expect(text).toMatch(/^salon_graphql_refusals_total\{code="UNAUTHENTICATED"\} [1-9]/m);
    expect(text).toMatch(/^salon_audit_write_duration_seconds_count\{result="written"\} [1-9]/m);
    expect(text).toContain('graphql_yoga_http_duration');
    await app.gql(`mutation { endImpersonation(sessionId: "${session.id}") { state } }`, {}, token);
    const after = await (await fetch(`${origin}/metrics`)).text();
    expect(after).toMatch(/^salon_impersonation_sessions_active 0$/m);
  });
});

describe('metrics of subscriptions', () => {
  /** The refusals counted with `code` so far. */
  const refusals = async (code: string) => {
    const text = await (await fetch(`${origin}/metrics`)).text();
    return Number(new RegExp(`^salon_graphql_refusals_total\\{code="${code}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  };

  test('a subscription refused over graphql-ws is counted by its code', async () => {
    const client = app.wsClient(await app.signIn('chloe'));
    const refused = (await new Promise<unknown>((resolve) =>
      client.subscribe(
        { query: 'subscription { alerts { __typename } }' },
        // A refusal at subscribe is one result with errors (then complete).
        { next: (result) => resolve(result.errors), error: resolve, complete: () => resolve([]) },
      ),
    )) as { extensions?: { code?: string } }[];
    const code = refused[0]?.extensions?.code;
    expect(code).toBe('FORBIDDEN');
    const counted = await refusals(code!);
    expect(counted).toBeGreaterThanOrEqual(1);
    // Once per refusal: a second one adds one.
    await new Promise<unknown>((resolve) =>
      client.subscribe(
        { query: 'subscription { alerts { __typename } }' },
        { next: resolve, error: resolve, complete: () => resolve([]) },
      ),
    );
    expect(await refusals(code!)).toBe(counted + 1);
    await client.dispose();
  });
});

test('every GraphQL response carries the request id the server generated', async () => {
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'from-the-client' },
    body: '{"query":"{ services { id } }"}',
  });
  expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});

describe('graceful shutdown', () => {
  let stopping: TestApp;
  beforeAll(async () => {
    stopping = await startTestApp();
  });
  afterAll(async () => {
    await stopping?.close();
  });

  test('a request in flight finishes, then new connections are refused', async () => {
    const arrived = new Promise<void>((resolve) => stopping.app.httpServer.once('request', () => resolve()));
    const inFlight = fetch(stopping.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify({
        query: 'mutation { signIn(email: "chloe@example.test", password: "demo-customer-pass") { token } }',
      }),
    });
    await arrived;
    const stopped = stopping.app.stop({ drainMs: 5000 });
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { signIn: { token: string } } }).data.signIn.token).toBeTruthy();
    await stopped;
    await expect(fetch(`${new URL(stopping.url).origin}/health`)).rejects.toThrow();
  });
});
