// NODE_ENV=production: no introspection, no GraphiQL, no echo of a malformed body, CORS only for
// the allow-list and never with credentials, request ids chosen by the server, and
// X-Forwarded-For read only from a trusted proxy.
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { expectError } from './factories.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { startSession } from './impersonation-helpers.ts';

const ALLOWED_ORIGIN = 'https://admin.salon.test';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let app: TestApp;
/** The same mode with the loopback address trusted as a proxy. */
let behindProxy: TestApp;

beforeAll(async () => {
  vi.stubEnv('NODE_ENV', 'production');
  try {
    const config = { SEED_DEMO_DATA: true, LOG_LEVEL: 'warn' } as const;
    app = await startTestApp({ config: { ...config, CORS_ORIGINS: [ALLOWED_ORIGIN] } });
    behindProxy = await startTestApp({ config: { ...config, TRUSTED_PROXIES: ['loopback'] } });
  } finally {
    vi.unstubAllEnvs();
  }
});

afterAll(async () => {
  await behindProxy?.close();
  await app?.close();
});

const post = (target: TestApp, body: string, headers: Record<string, string> = {}) =>
  fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('schema discovery', () => {
  test('introspection is refused', async () => {
    const result = await app.gql('{ __schema { types { name } } }');
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/introspection/i);
  });

  test('GET /graphql from a browser returns no GraphiQL page', async () => {
    const response = await fetch(app.url, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await response.text()).not.toMatch(/<html|graphiql/i);
  });

  test('a query that is not introspection is served (authorized)', async () => {
    const result = await app.gql('{ services { id } }');
    expect(result.errors).toBeUndefined();
  });
});

describe('errors', () => {
  test.each(['{"query": ', '{"query": "{ services { id } }", "variables": {"password": "hunter2-secret"'])(
    'a malformed JSON body is refused without echoing it: %s',
    async (body) => {
      const response = await post(app, body);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({
        errors: [{ message: 'POST body sent invalid JSON.', extensions: { code: 'BAD_REQUEST' } }],
      });
      expect(text).not.toContain('query');
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('originalError');
    },
  );
});

describe('CORS', () => {
  test('a foreign origin gets no Access-Control-Allow-Origin', async () => {
    const response = await post(app, '{"query":"{ services { id } }"}', { origin: 'https://evil.test' });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(app.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('an origin of CORS_ORIGINS is allowed, without credentials (authorized)', async () => {
    const response = await post(app, '{"query":"{ services { id } }"}', { origin: ALLOWED_ORIGIN });
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('request ids and client addresses in the audit', () => {
  async function auditedRequest(target: TestApp, headers: Record<string, string>) {
    const { token, session } = await startSession(target, await target.signIn('mara'));
    const response = await post(target, '{"query":"{ me { name } }"}', {
      authorization: `Bearer ${token}`,
      ...headers,
    });
    expect(response.status).toBe(200);
    const rows = await target.services.prisma.auditEvent.findMany({
      where: { sessionId: session.id, action: 'OPERATION' },
    });
    expect(rows).toHaveLength(1);
    await target.gql(`mutation { endImpersonation(sessionId: "${session.id}") { state } }`, {}, token);
    return { response, row: rows[0]! };
  }

  test("the client's x-request-id is not the audit's request id; the server's is echoed", async () => {
    const { response, row } = await auditedRequest(app, { 'x-request-id': 'chosen-by-the-client' });
    expect(row.requestId).toMatch(UUID);
    expect(row.requestId).not.toBe('chosen-by-the-client');
    expect(response.headers.get('x-request-id')).toBe(row.requestId);
  });

  test('X-Forwarded-For is ignored from an address that is not a trusted proxy', async () => {
    const { row } = await auditedRequest(app, { 'x-forwarded-for': '203.0.113.7' });
    expect(row.ip).toMatch(/127\.0\.0\.1$/);
  });

  test('X-Forwarded-For is honoured from a trusted proxy (authorized)', async () => {
    const { row } = await auditedRequest(behindProxy, { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' });
    expect(row.ip).toBe('203.0.113.7');
  });
});

test('rate limiting answers the same code in production', async () => {
  for (let i = 0; i < 5; i += 1) await app.gql('mutation { signIn(email: "nobody@x.test", password: "x") { token } }');
  expectError(await app.gql('mutation { signIn(email: "nobody@x.test", password: "x") { token } }'), 'RATE_LIMITED');
});
