// The bad-input battery: malformed bodies, wrong content types, GET mutations, oversized and nested
// documents and variables, forged, expired and replayed tokens, other owners' ids, invisible and
// over-long text, invalid dates, enums and cursors. Each is refused with a stable code (in
// extensions, or HTTP 4xx with one), never a 500 or INTERNAL_SERVER_ERROR, never echoing what was
// sent, and the server answers a normal query right after.
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { expectData } from './factories.ts';
import { startTestApp, type GqlResult, type TestApp } from './harness.ts';
import { startSession } from './impersonation-helpers.ts';

const SERVICES = '{ services { id } }';
const ME = '{ me { id } }';
const ZERO_WIDTH_SPACES = '\u200b'.repeat(10);
const AUTH_SESSION_HOURS = 12;

interface Sent {
  status: number;
  text: string;
}

/**
 * A 4xx, or a 200 whose errors all carry a code; never INTERNAL_SERVER_ERROR; no data; none of
 * `echo` in the body (raw, or as JSON escapes it).
 */
function expectSafeRefusal(sent: Sent, expected: { code?: string; status?: number; echo?: string[] }) {
  const context = `${sent.status} ${sent.text.slice(0, 600)}`;
  expect(sent.status, context).toBeLessThan(500);
  if (expected.status) expect(sent.status, context).toBe(expected.status);
  const body = JSON.parse(sent.text) as GqlResult | GqlResult[];
  const results = Array.isArray(body) ? body : [body];
  const errors = results.flatMap((result) => result.errors ?? []);
  expect(errors.length, context).toBeGreaterThan(0);
  for (const error of errors) {
    expect(error.extensions?.code, context).toEqual(expect.any(String));
    expect(error.extensions?.code, context).not.toBe('INTERNAL_SERVER_ERROR');
  }
  if (expected.code) expect(errors[0]?.extensions?.code, context).toBe(expected.code);
  for (const result of results) expect(result.data ?? null, context).toBeNull();
  for (const echoed of expected.echo ?? []) {
    expect(sent.text, context).not.toContain(echoed);
    expect(sent.text, context).not.toContain(JSON.stringify(echoed).slice(1, -1));
  }
}

let app: TestApp;
let chloe: string;
let dan: string;
let mara: string;

// Production, where nothing sent is echoed (development adds the JSON parser's message and quotes
// invalid values, for the developer); with query texts allowed, as the battery sends texts.
beforeAll(async () => {
  vi.stubEnv('NODE_ENV', 'production');
  try {
    app = await startTestApp({
      config: { SEED_DEMO_DATA: true, ALLOW_ARBITRARY_OPERATIONS: true, AUTH_SESSION_HOURS, LOG_LEVEL: 'error' },
    });
  } finally {
    vi.unstubAllEnvs();
  }
  [chloe, dan, mara] = await Promise.all([app.signIn('chloe'), app.signIn('dan'), app.signIn('mara')]);
});

afterAll(async () => {
  await app?.close();
});

/** Sends a raw request in process. */
async function send(init: RequestInit & { path?: string } = {}): Promise<Sent> {
  const { path = '/graphql', ...rest } = init;
  const response = await app.app.yoga.fetch(`http://test${path}`, { method: 'POST', ...rest });
  return { status: response.status, text: await response.text() };
}

const json = (body: string, headers: Record<string, string> = {}) =>
  send({ body, headers: { 'content-type': 'application/json', ...headers } });

const operation = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
  json(JSON.stringify({ query, variables }), token ? { authorization: `Bearer ${token}` } : {});

/** Refused safely, and a normal query is served right after. */
async function refused(sent: Sent, expected: { code?: string; status?: number; echo?: string[] } = {}) {
  expectSafeRefusal(sent, expected);
  const after = (await app.gql(SERVICES)) as GqlResult<{ services: unknown[] }>;
  expect(expectData(after).services.length).toBeGreaterThan(0);
}

describe('Malformed bodies', () => {
  test.each([
    ['truncated JSON', '{"query": "{ services { id } }", "variables": {"secret-123'],
    ['not JSON at all', 'secret-123 is not json'],
    ['JSON null', 'null'],
    ['a JSON string', '"secret-123"'],
    ['a number as the query', '{"query": 123456789}'],
    ['variables that are a string', '{"query": "{ services { id } }", "variables": "secret-123"}'],
    ['an empty batch', '[]'],
    ['an empty body', ''],
  ])('%s is refused with a code', async (_name, body) => {
    await refused(await json(body), { echo: ['secret-123', '123456789'] });
  });
});

describe('Content types', () => {
  test.each([
    ['text/plain', SERVICES],
    ['application/x-www-form-urlencoded', `query=${encodeURIComponent('{ services { id } } secret-123')}`],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="map"\r\n\r\n{}\r\n--x--\r\n'],
    ['application/xml', '<query>secret-123</query>'],
  ])('%s is refused with a code', async (contentType, body) => {
    await refused(await send({ body, headers: { 'content-type': contentType } }), { echo: ['secret-123'] });
  });

  test('multipart without operations is refused with a code', async () => {
    const form = new FormData();
    form.append('map', '{"0": ["variables.file"]}');
    form.append('0', new Blob(['secret-123']), 'a.txt');
    await refused(await send({ body: form }), { echo: ['secret-123'] });
  });
});

describe('GET', () => {
  test('a mutation over GET is refused with 405', async () => {
    const query = encodeURIComponent('mutation { signOut }');
    await refused(await send({ method: 'GET', path: `/graphql?query=${query}` }), { status: 405 });
  });
});

describe('Oversized and nested', () => {
  test('a 200 KB document is refused with 413', async () => {
    await refused(await operation(`{ services { id } } # ${'x'.repeat(200_000)}`), {
      code: 'REQUEST_ENTITY_TOO_LARGE',
      status: 413,
    });
  });

  test('a document nested 1,000 deep is refused with QUERY_TOO_COMPLEX', async () => {
    await refused(await operation(`{ ${'me { pets { '.repeat(500)}id${' } }'.repeat(500)} }`, {}, chloe), {
      code: 'QUERY_TOO_COMPLEX',
    });
  });

  test('a variable nested 10,000 deep is refused with BAD_USER_INPUT', async () => {
    const nested = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    await refused(await json(`{"query":"${SERVICES}","variables":{"v":${nested}}}`), { code: 'BAD_USER_INPUT' });
  });

  test('an alias bomb is refused with QUERY_TOO_COMPLEX', async () => {
    const aliases = Array.from({ length: 400 }, (_, i) => `a${i}: services { id }`).join(' ');
    await refused(await operation(`{ ${aliases} }`), { code: 'QUERY_TOO_COMPLEX' });
  });

  test('a field repeated 1,000 times is refused with QUERY_TOO_COMPLEX', async () => {
    await refused(await operation(`{ services { ${'id '.repeat(1000)}} }`), { code: 'QUERY_TOO_COMPLEX' });
  });

  test('fragments that spread each other are refused with GRAPHQL_VALIDATION_FAILED', async () => {
    const query = '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }';
    await refused(await operation(query), { code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});

describe('Tokens', () => {
  const withAuthorization = (authorization: string) => json(JSON.stringify({ query: ME }), { authorization });

  test.each([
    ['a random token', 'Bearer secret-123-9f8e7d6c5b4a39281706f5e4d3c2b1a0'],
    ['a wrong scheme', 'Basic c2VjcmV0LTEyMzpwYXNz'],
    ['a scheme with no token', 'Bearer '],
    ['a token with spaces inside', 'Bearer secret-123 secret-123'],
  ])('%s is refused with UNAUTHENTICATED', async (_name, authorization) => {
    await refused(await withAuthorization(authorization), { code: 'UNAUTHENTICATED', echo: ['secret-123', 'c2Vj'] });
  });

  test('a truncated token is refused with UNAUTHENTICATED', async () => {
    const truncated = chloe.slice(0, -6);
    await refused(await withAuthorization(`Bearer ${truncated}`), { code: 'UNAUTHENTICATED', echo: [truncated] });
  });

  test('a signed-out token used again is refused with UNAUTHENTICATED', async () => {
    const token = await app.signIn('dan');
    expectData(await app.gql('mutation { signOut }', {}, token));
    await refused(await operation(ME, {}, token), { code: 'UNAUTHENTICATED', echo: [token] });
  });

  test('an expired token is refused with UNAUTHENTICATED', async () => {
    const token = await app.signIn('dan');
    const startedAt = app.clock.now();
    app.clock.set(new Date(startedAt.getTime() + (AUTH_SESSION_HOURS + 1) * 3_600_000));
    try {
      await refused(await operation(ME, {}, token), { code: 'UNAUTHENTICATED', echo: [token] });
    } finally {
      app.clock.set(startedAt);
    }
  });
});

describe("Another owner's ids", () => {
  let chloeInvoice: string;
  let chloeAppointment: string;
  let danCard: string;

  beforeAll(async () => {
    const mine = await app.gql('{ me { invoices { id } appointments { id } } }', {}, chloe);
    chloeInvoice = mine.data.me.invoices[0].id;
    chloeAppointment = mine.data.me.appointments[0].id;
    danCard = (await app.gql('{ me { paymentMethods { id } } }', {}, dan)).data.me.paymentMethods[0].id;
  });

  test("Dan paying Chloe's invoice is refused with NOT_FOUND", async () => {
    const pay = 'mutation Pay($id: ID!, $card: ID!) { payInvoice(id: $id, paymentMethodId: $card) { id } }';
    await refused(await operation(pay, { id: chloeInvoice, card: danCard }, dan), { code: 'NOT_FOUND' });
  });

  test("Dan cancelling Chloe's appointment is refused with NOT_FOUND", async () => {
    const cancel = 'mutation Cancel($id: ID!) { cancelAppointment(id: $id) { id } }';
    await refused(await operation(cancel, { id: chloeAppointment }, dan), { code: 'NOT_FOUND' });
  });

  test('an id that is not an id of this app is refused with NOT_FOUND', async () => {
    const cancel = 'mutation Cancel($id: ID!) { cancelAppointment(id: $id) { id } }';
    await refused(await operation(cancel, { id: "'; DROP TABLE secret-123; --" }, dan), {
      code: 'NOT_FOUND',
      echo: ['secret-123'],
    });
  });
});

describe('Text', () => {
  const START =
    'mutation Start($id: ID!, $reason: String!) { startImpersonation(customerId: $id, reason: $reason, scope: { sections: [WHOLE_PORTAL], need: "Tests read every section of the portal" }) { token } }';
  const SEND = 'mutation Send($body: String!) { sendMessage(body: $body) { id } }';
  let chloeId: string;

  beforeAll(async () => {
    chloeId = (await app.gql('{ me { id } }', {}, chloe)).data.me.id;
  });

  test('a reason of ten zero-width spaces is refused with BAD_USER_INPUT', async () => {
    await refused(await operation(START, { id: chloeId, reason: ZERO_WIDTH_SPACES }, mara), {
      code: 'BAD_USER_INPUT',
      echo: [ZERO_WIDTH_SPACES, '\\u200b'],
    });
  });

  test('a reason of 5,000 characters is refused with BAD_USER_INPUT', async () => {
    await refused(await operation(START, { id: chloeId, reason: 'secret-123 '.repeat(455) }, mara), {
      code: 'BAD_USER_INPUT',
      echo: ['secret-123'],
    });
  });

  test('a message body of only spaces is refused with BAD_USER_INPUT', async () => {
    await refused(await operation(SEND, { body: ' '.repeat(40) }, chloe), { code: 'BAD_USER_INPUT' });
  });

  test('a message body of 50,000 characters is refused with BAD_USER_INPUT', async () => {
    await refused(await operation(SEND, { body: 'secret-123'.repeat(5000) }, chloe), {
      code: 'BAD_USER_INPUT',
      echo: ['secret-123'],
    });
  });

  test('a staff view cannot send either (FORBIDDEN)', async () => {
    const { token } = await startSession(app, await app.signIn('max'), 'dan@example.test');
    await refused(await operation(SEND, { body: ' ' }, token), { code: 'FORBIDDEN' });
  });
});

describe('Dates, enums, cursors', () => {
  const RESCHEDULE = 'mutation Move($id: ID!, $at: DateTime!) { rescheduleAppointment(id: $id, startsAt: $at) { id } }';
  const AUDIT =
    'query Audit($filter: AuditEventFilter, $after: String) { auditEvents(filter: $filter, after: $after) { edges { cursor } } }';

  test('startsAt "2026-13-45" in a variable is refused with BAD_USER_INPUT, without echoing it', async () => {
    await refused(await operation(RESCHEDULE, { id: 'x', at: '2026-13-45' }, chloe), {
      code: 'BAD_USER_INPUT',
      echo: ['2026-13-45'],
    });
  });

  test('startsAt "2026-13-45" written in the document is refused with GRAPHQL_VALIDATION_FAILED', async () => {
    const query = 'mutation { rescheduleAppointment(id: "x", startsAt: "2026-13-45") { id } }';
    await refused(await operation(query, {}, chloe), { code: 'GRAPHQL_VALIDATION_FAILED', echo: ['2026-13-45'] });
  });

  test('an unknown enum value in a variable is refused with BAD_USER_INPUT, without echoing it', async () => {
    await refused(await operation(AUDIT, { filter: { outcome: 'SECRET_123' } }, mara), {
      code: 'BAD_USER_INPUT',
      echo: ['SECRET_123'],
    });
  });

  test('an unknown enum value in the document is refused with GRAPHQL_VALIDATION_FAILED', async () => {
    const query = '{ auditEvents(filter: { outcome: SECRET_123 }) { edges { cursor } } }';
    await refused(await operation(query, {}, mara), { code: 'GRAPHQL_VALIDATION_FAILED', echo: ['SECRET_123'] });
  });

  test.each(['%%%', 'c2VjcmV0LTEyMw==', 'AuditEvent:secret-123', '\u200b'])(
    'the cursor %j is refused with BAD_USER_INPUT',
    async (after) => {
      await refused(await operation(AUDIT, { after }, mara), {
        code: 'BAD_USER_INPUT',
        echo: [after === '%%%' ? '"%%%"' : after, 'secret-123'],
      });
    },
  );
});
