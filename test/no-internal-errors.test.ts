// No client input yields an internal error ("Bounded input everywhere"), tried as an attacker:
// every connection given every other connection's cursors and garbage ones (random base64,
// plugin-prisma's old cursors, cursors of the right list with a wrong part, 10 KB strings) refuses
// each with BAD_USER_INPUT; one access request answered twice at once (by the customer, by two
// managers) has exactly one winner and a CONFLICT (ACCESS_REQUEST_CLOSED) for the other, round
// after round, on the embedded database and on PostgreSQL; and the server logs nothing at error
// level meanwhile.
import { randomBytes } from 'node:crypto';
import { isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { approvedStartExpiry } from '../server/access/policy.ts';
import { schema } from '../server/schema/index.ts';
import {
  APPROVE_AS_CUSTOMER,
  APPROVE_AS_MANAGER,
  DECLINE_AS_CUSTOMER,
  DECLINE_AS_MANAGER,
  END,
  PROTECT,
  SET_PREFERENCE,
  refusal,
  start,
  startRequested,
} from './access-helpers.ts';
import { MINUTE, STEP_UP_AFTER_A_YEAR, expectData } from './factories.ts';
import { startTestApp, type GqlResult, type TestApp } from './harness.ts';
import { REASON, customerId } from './impersonation-helpers.ts';

let app: TestApp;
let mara: string;
let max: string;
let rita: string;
let chloe: string;
/** Two ended staff views: a list of sessions, and a timeline of each. */
let sessionIds: [string, string];

/** What the server wrote at error level: console.error calls and JSON log lines of level "error". */
const errorLogs: string[] = [];

function watchErrorLogs() {
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errorLogs.push(args.map(String).join(' '));
  });
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    for (const line of text.split('\n')) {
      if (line.includes('prisma:error')) errorLogs.push(line);
      try {
        if ((JSON.parse(line) as { level?: unknown }).level === 'error') errorLogs.push(line);
      } catch {
        // Not a log line of ours.
      }
    }
    return write(chunk, ...rest);
  }) as typeof process.stderr.write);
}

beforeAll(async () => {
  app = await startTestApp({ config: { IMPERSONATION_STARTS_PER_WINDOW: 1000, ...STEP_UP_AFTER_A_YEAR } });
  // A third manager, so that two managers other than the requester can answer one request.
  await app.services.prisma.staff.update({ where: { email: 'rita@salon.test' }, data: { role: 'MANAGER' } });
  [mara, max, rita, chloe] = await Promise.all([
    app.signIn('mara'),
    app.signIn('max'),
    app.signIn('rita'),
    app.signIn('chloe'),
  ]);
  // A webhook delivery log of three (given up, so no worker sends them).
  const now = app.clock.now();
  await app.services.prisma.webhookEndpoint.create({
    data: {
      name: 'Pager',
      url: 'https://pager.example/hooks',
      secret: 'whsec_dGVzdC1zZWNyZXQtbm90LXVzZWQ=',
      createdAt: now,
      disabledAt: now,
      deliveries: {
        create: [1, 2, 3].map((n) => ({
          eventType: 'alert.raised',
          payload: { n },
          status: 'FAILED' as const,
          availableAt: now,
          createdAt: new Date(now.getTime() - n * 1000),
        })),
      },
    },
  });
  const ids: string[] = [];
  for (const email of ['chloe@example.test', 'dan@example.test']) {
    const started = await start(app, mara, email);
    expect(started.status).toBe('STARTED');
    app.clock.advance(1000);
    expectData(await app.gql(END, { id: started.session!.id }, mara));
    ids.push(started.session!.id);
  }
  sessionIds = ids as [string, string];
  watchErrorLogs();
}, 120_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await app?.close();
});

/** Sends an operation in process; the HTTP status and the parsed body. */
async function send(query: string, variables: Record<string, unknown>, token: string) {
  const response = await app.app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GqlResult };
}

const PAGE_ARGS = '$after: String, $before: String, $first: Int, $last: Int';
const PAGE = 'after: $after, before: $before, first: $first, last: $last';
const PAGE_FIELDS = 'edges { cursor } pageInfo { startCursor endCursor hasNextPage hasPreviousPage }';

/** Every connection of the schema (a field taking `after`/`before`): how to ask for a page, and where it is. */
interface ConnectionCase {
  query: string;
  /** Variables besides the page's (the parent's id). */
  variables: Record<string, unknown>;
  page: (data: any) => { edges: { cursor: string }[] };
}

const TIMELINE = `query Timeline($id: ID!, ${PAGE_ARGS}) { auditSession(id: $id) { timeline(${PAGE}) { ${PAGE_FIELDS} } } }`;

const CONNECTIONS: Record<string, ConnectionCase> = {
  'Query.auditEvents': {
    query: `query Events(${PAGE_ARGS}) { auditEvents(${PAGE}) { ${PAGE_FIELDS} } }`,
    variables: {},
    page: (data) => data.auditEvents,
  },
  'Query.auditSessions': {
    query: `query Sessions(${PAGE_ARGS}) { auditSessions(${PAGE}) { ${PAGE_FIELDS} } }`,
    variables: {},
    page: (data) => data.auditSessions,
  },
  'AuditSession.timeline': {
    query: TIMELINE,
    get variables() {
      return { id: sessionIds[0] };
    },
    page: (data) => data.auditSession.timeline,
  },
  'Query.webhookDeliveries': {
    query: `query Deliveries(${PAGE_ARGS}) { webhookDeliveries(${PAGE}) { ${PAGE_FIELDS} } }`,
    variables: {},
    page: (data) => data.webhookDeliveries,
  },
};

/** The second session's timeline: the same kind of list, another list. */
const OTHER_TIMELINE: ConnectionCase = {
  query: TIMELINE,
  get variables() {
    return { id: sessionIds[1] };
  },
  page: (data) => data.auditSession.timeline,
};

/** The cursors of a list's first page (two at least). */
async function cursorsOf(connection: ConnectionCase, variables = connection.variables): Promise<string[]> {
  const { body } = await send(connection.query, { ...variables, first: 3 }, mara);
  const edges = connection.page(expectData(body)).edges;
  expect(edges.length).toBeGreaterThanOrEqual(2);
  return edges.map((edge) => edge.cursor);
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Cursors no list hands out; some of them look like one. */
function garbageCursors(): Record<string, string> {
  const tenKb = 10 * 1024;
  return {
    empty: '',
    'random base64': randomBytes(24).toString('base64'),
    'random base64url': randomBytes(24).toString('base64url'),
    'not base64': '%%%not a cursor%%%',
    "plugin-prisma's record cursor": Buffer.from('GPC:I:1').toString('base64'),
    "plugin-prisma's session cursor": Buffer.from(`GPC:S:${sessionIds[0]}`).toString('base64'),
    "plugin-prisma's text cursor": Buffer.from('GPC:S:1; DROP TABLE "AuditEvent"').toString('base64'),
    'a record cursor with a text id': base64url('auditEvents:abc'),
    'a record cursor past bigint': base64url('auditEvents:9223372036854775808'),
    'a record cursor with a zero id': base64url('auditEvents:0'),
    'a record cursor with a negative id': base64url('auditEvents:-1'),
    'a record cursor with an extra part': base64url('auditEvents:1:2'),
    'a session cursor with a quote': base64url("auditSessions:x' OR '1'='1"),
    'a timeline cursor without its session': base64url('timeline:1'),
    'a timeline cursor with a text id': base64url(`timeline:${sessionIds[0]}:abc`),
    'an unknown list': base64url('customers:1'),
    'base64 padding on a real-looking cursor': `${base64url('auditEvents:1')}==`,
    '10 KB of letters': 'A'.repeat(tenKb),
    '10 KB of base64': randomBytes((tenKb * 3) / 4).toString('base64'),
    '10 KB record id': base64url(`auditEvents:${'9'.repeat(tenKb)}`),
    '10 KB session id': base64url(`auditSessions:${'c'.repeat(tenKb)}`),
    '10 KB of NUL-free unicode': 'é'.repeat(tenKb / 2),
  };
}

/**
 * Refused as bad input: a 4xx or 200 status, BAD_USER_INPUT, nothing internal; a cursor of a
 * cursor's length is "Not a cursor from this list" (a longer one may be refused for its length first).
 */
function expectBadInput(sent: { status: number; body: GqlResult }, cursor: string, context: string) {
  const detail = `${context}: ${sent.status} ${JSON.stringify(sent.body).slice(0, 400)}`;
  expect(sent.status, detail).toBeLessThan(500);
  const codes = (sent.body.errors ?? []).map((error) => error.extensions?.code);
  expect(codes, detail).not.toContain('INTERNAL_SERVER_ERROR');
  expect(codes, detail).toEqual(['BAD_USER_INPUT']);
  if (cursor.length < 200) expect(sent.body.errors?.[0]?.message, detail).toBe('Not a cursor from this list');
}

describe('Cursors', () => {
  it('the table covers every connection of the schema', () => {
    const found = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter((type) => !type.name.startsWith('__'))
      .flatMap((type) =>
        Object.values(type.getFields())
          .filter((field) => field.args.some((arg) => arg.name === 'after' || arg.name === 'before'))
          .map((field) => `${type.name}.${field.name}`),
      );
    expect(found.sort()).toEqual(Object.keys(CONNECTIONS).sort());
  });

  it('each list pages with its own cursors, both ways', async () => {
    for (const [name, connection] of Object.entries(CONNECTIONS)) {
      const cursors = await cursorsOf(connection);
      const after = await send(connection.query, { ...connection.variables, first: 1, after: cursors[0] }, mara);
      expect(connection.page(expectData(after.body)).edges[0]?.cursor, name).toBe(cursors[1]);
      const before = await send(connection.query, { ...connection.variables, last: 1, before: cursors[1] }, mara);
      expect(connection.page(expectData(before.body)).edges[0]?.cursor, name).toBe(cursors[0]);
    }
  });

  it('each list refuses every other list’s cursors, as after and as before', async () => {
    const own: Record<string, string[]> = {};
    for (const [name, connection] of Object.entries(CONNECTIONS)) own[name] = await cursorsOf(connection);
    // Another session's timeline is another list too.
    own['another session’s timeline'] = await cursorsOf(OTHER_TIMELINE);
    let tried = 0;
    for (const [name, connection] of Object.entries(CONNECTIONS)) {
      for (const [from, cursors] of Object.entries(own)) {
        if (from === name) continue;
        for (const cursor of cursors.slice(0, 2)) {
          const variables = connection.variables;
          const context = `${from} cursor to ${name}`;
          expectBadInput(
            await send(connection.query, { ...variables, first: 2, after: cursor }, mara),
            cursor,
            context,
          );
          expectBadInput(
            await send(connection.query, { ...variables, last: 2, before: cursor }, mara),
            cursor,
            context,
          );
          expectBadInput(await send(connection.query, { ...variables, after: cursor }, mara), cursor, context);
          tried += 3;
        }
      }
    }
    // Each list against every other (and another session's timeline): two cursors, three ways.
    const lists = Object.keys(CONNECTIONS).length;
    expect(tried).toBe(lists * lists * 2 * 3);
  });

  it('each list refuses garbage cursors, as after and as before', async () => {
    for (const [name, connection] of Object.entries(CONNECTIONS)) {
      for (const [kind, cursor] of Object.entries(garbageCursors())) {
        const variables = connection.variables;
        const context = `${kind} to ${name}`;
        expectBadInput(await send(connection.query, { ...variables, first: 2, after: cursor }, mara), cursor, context);
        expectBadInput(await send(connection.query, { ...variables, last: 2, before: cursor }, mara), cursor, context);
      }
    }
  });
});

/** Two answers at once: exactly one succeeds, the other is CONFLICT (ACCESS_REQUEST_CLOSED). */
function expectOneWinner(results: GqlResult[], context: string) {
  const detail = `${context}: ${JSON.stringify(results.map((result) => result.errors ?? 'ok'))}`;
  const winners = results.filter((result) => !result.errors);
  const losers = results.filter((result) => result.errors);
  expect(winners.length, detail).toBe(1);
  expect(losers.length, detail).toBe(1);
  expect(refusal(losers[0]!), detail).toEqual({ code: 'CONFLICT', reason: 'ACCESS_REQUEST_CLOSED' });
  return results.indexOf(winners[0]!);
}

/** Nobody has a staff view running, no grant is live, no request is open and nobody is blocked, so each round starts afresh. */
async function reset() {
  const now = app.clock.now();
  const { prisma } = app.services;
  await prisma.impersonationSession.updateMany({
    where: { endedAt: null },
    data: { endedAt: now, endState: 'ENDED', endReason: 'test reset' },
  });
  await prisma.accessGrant.updateMany({ where: { revokedAt: null }, data: { revokedAt: now } });
  await prisma.accessRequest.updateMany({ where: { sessionId: null, declinedAt: null }, data: { expiresAt: now } });
  // A "no" in one round blocks the requester (access/blocks.ts); the next round starts unblocked.
  await prisma.staffViewBlock.updateMany({ where: { liftedAt: null }, data: { liftedAt: now } });
  app.clock.advance(1000);
}

const ROUNDS = 10;

describe('One access request answered twice at once', () => {
  beforeAll(async () => {
    expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, chloe));
  });

  const customerPairs = {
    'allow and decline': [APPROVE_AS_CUSTOMER, DECLINE_AS_CUSTOMER],
    'allow and allow': [APPROVE_AS_CUSTOMER, APPROVE_AS_CUSTOMER],
  } as const;

  for (const [pair, [first, second]] of Object.entries(customerPairs)) {
    it(`by the customer (${pair}): one answer wins, the other is CONFLICT, ${ROUNDS} rounds`, async () => {
      for (let round = 0; round < ROUNDS; round += 1) {
        await reset();
        const request = await startRequested(app, mara, 'chloe@example.test', `${REASON}, ${pair} ${round}`);
        const variables = { id: request.id, duration: 'ONE_HOUR' };
        const results = await Promise.all([app.gql(first, variables, chloe), app.gql(second, variables, chloe)]);
        const winner = expectOneWinner(results, `${pair}, round ${round}`);
        const row = await app.services.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } });
        const allowed = [first, second][winner] === APPROVE_AS_CUSTOMER;
        expect(row.customerApprovedAt !== null, `round ${round}`).toBe(allowed);
        expect(row.declinedAt !== null, `round ${round}`).toBe(!allowed);
        const grants = await app.services.prisma.accessGrant.count({ where: { revokedAt: null } });
        expect(grants, `round ${round}: the loser's grant was rolled back`).toBe(allowed ? 1 : 0);
      }
    }, 120_000);
  }

  it(`by two managers on a protected customer (approve and approve, approve and decline), ${ROUNDS} rounds`, async () => {
    const danId = await customerId(app, mara, 'dan@example.test');
    expectData(await app.gql(PROTECT, { id: danId, protected: true }, max));
    for (let round = 0; round < ROUNDS; round += 1) {
      await reset();
      const request = await startRequested(app, rita, 'dan@example.test', `${REASON}, four-eyes ${round}`);
      expect(request).toMatchObject({ needsManager: true, needsCustomer: false });
      const second = round % 2 === 0 ? APPROVE_AS_MANAGER : DECLINE_AS_MANAGER;
      const results = await Promise.all([
        app.gql(APPROVE_AS_MANAGER, { id: request.id }, mara),
        app.gql(second, { id: request.id }, max),
      ]);
      const winner = expectOneWinner(results, `four-eyes round ${round}`);
      const row = await app.services.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } });
      const approved = winner === 0 || second === APPROVE_AS_MANAGER;
      expect(row.approvedByStaffId !== null, `round ${round}`).toBe(approved);
      expect(row.declinedAt !== null, `round ${round}`).toBe(!approved);
    }
    // Removing protection is a governance change (test/governance.test.ts); the test puts it back.
    await app.services.prisma.customer.update({ where: { id: danId }, data: { protected: false } });
  }, 120_000);

  it(`by the customer and a manager, each their own part: both count, and the request is approved with its time renewed, ${ROUNDS} rounds`, async () => {
    // Chloe asks first (above), and is protected for this test.
    const chloeId = await customerId(app, mara, 'chloe@example.test');
    expectData(await app.gql(PROTECT, { id: chloeId, protected: true }, max));
    for (let round = 0; round < ROUNDS; round += 1) {
      await reset();
      const request = await startRequested(app, mara, 'chloe@example.test', `${REASON}, both parts ${round}`);
      expect(request).toMatchObject({ needsManager: true, needsCustomer: true });
      app.clock.advance(MINUTE);
      const results = await Promise.all([
        app.gql(APPROVE_AS_CUSTOMER, { id: request.id, duration: 'ONE_HOUR' }, chloe),
        app.gql(APPROVE_AS_MANAGER, { id: request.id }, max),
      ]);
      for (const result of results) expectData(result);
      const row = await app.services.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } });
      // The later answer saw the earlier one: the requester's time to start runs from the last approval.
      expect(row.expiresAt.getTime(), `round ${round}`).toBe(
        approvedStartExpiry(app.clock.now(), app.services.config).getTime(),
      );
    }
    await app.services.prisma.customer.update({ where: { id: chloeId }, data: { protected: false } });
  }, 120_000);
});

describe('Logs', () => {
  it('nothing was logged at error level', () => {
    expect(errorLogs).toEqual([]);
  });
});
