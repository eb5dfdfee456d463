// The managers' audit queries page by keyset: auditEvents newest first by (createdAt, id) under
// every filter and combination of filters, auditSessions newest first by (startedAt, id) with its
// outcome filter answered by the database. Each list is walked page by page through GraphQL and
// compared with the same filter applied to every row read straight from the database: nothing
// missing, nothing twice, the same order, also across records of the same millisecond.
import type { AuditAction, AuditEvent, AuditOutcome, ImpersonationSession } from '@prisma/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../server/audit/chain.ts';
import { MINUTE } from './factories.ts';
import { startTestApp, type GqlResult, type TestApp } from './harness.ts';

let app: TestApp;
let mara: string;
let base: Date;
let staffIds: string[];
let customerIds: string[];
let sessions: ImpersonationSession[];

const ACTIONS: AuditAction[] = ['OPERATION', 'OPERATION', 'DIRECTORY_SEARCH', 'OPERATION', 'STAFF_SIGNED_IN'];
const OUTCOMES: AuditOutcome[] = ['ALLOWED', 'DENIED', 'ALLOWED', 'PARTIAL', 'ALLOWED', 'ALLOWED', 'DENIED'];

beforeAll(async () => {
  app = await startTestApp();
  mara = await app.signIn('mara');
  const { prisma } = app.services;
  staffIds = (await prisma.staff.findMany({ select: { id: true }, orderBy: { email: 'asc' } })).map((s) => s.id);
  customerIds = (await prisma.customer.findMany({ select: { id: true }, orderBy: { email: 'asc' } })).map((c) => c.id);
  base = app.clock.now();
  // Sessions 0 and 3 start in the same millisecond: their order is by id.
  sessions = [];
  for (const [i, startsMinutesAgo] of [300, 200, 100, 300, 50, 400].entries())
    sessions.push(
      await prisma.impersonationSession.create({
        data: {
          staffId: staffIds[i % 2]!,
          customerId: customerIds[i % 3]!,
          reason: `Query test ${i}`,
          startedAt: new Date(base.getTime() - startsMinutesAgo * MINUTE),
          expiresAt: new Date(base.getTime() - (startsMinutesAgo - 30) * MINUTE),
          endedAt: new Date(base.getTime() - (startsMinutesAgo - 20) * MINUTE),
          endState: 'ENDED',
        },
      }),
    );
  // 140 records whose times are not in the order of their ids, many sharing a millisecond.
  for (let k = 0; k < 140; k += 1) {
    const session = k % 4 === 0 ? null : sessions[k % 5]!;
    await appendAudit(prisma, {
      action: session ? ACTIONS[Math.floor(k / 5) % ACTIONS.length]! : 'STAFF_SIGNED_IN',
      outcome: OUTCOMES[k % OUTCOMES.length]!,
      createdAt: new Date(base.getTime() - ((k * 37) % 60) * MINUTE),
      staffId: session?.staffId ?? staffIds[k % staffIds.length]!,
      customerId: session?.customerId ?? null,
      sessionId: session?.id ?? null,
    });
  }
  // The last session's operations were allowed; its only refusal is not an operation.
  for (const [action, outcome] of [
    ['OPERATION', 'ALLOWED'],
    ['SESSION_ENDED', 'DENIED'],
  ] as const)
    await appendAudit(prisma, {
      action,
      outcome,
      createdAt: base,
      staffId: sessions[5]!.staffId,
      customerId: sessions[5]!.customerId,
      sessionId: sessions[5]!.id,
    });
});
afterAll(async () => {
  await app?.close();
});

const AUDIT = `query Audit($filter: AuditEventFilter, $first: Int, $after: String, $last: Int, $before: String) {
  auditEvents(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id staffName customerName } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

interface Filter {
  sessionId?: string;
  staffId?: string;
  customerId?: string;
  action?: AuditAction;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
}

/** The filter's records in the log's order, from every row of the table. */
async function expectedIds(filter: Filter): Promise<string[]> {
  const all: AuditEvent[] = await app.services.prisma.auditEvent.findMany();
  return all
    .filter(
      (row) =>
        (!filter.sessionId || row.sessionId === filter.sessionId) &&
        (!filter.staffId || row.staffId === filter.staffId) &&
        (!filter.customerId || row.customerId === filter.customerId) &&
        (!filter.action || row.action === filter.action) &&
        (!filter.outcome || row.outcome === filter.outcome) &&
        (!filter.from || row.createdAt >= filter.from) &&
        (!filter.to || row.createdAt < filter.to),
    )
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (b.id > a.id ? 1 : b.id < a.id ? -1 : 0))
    .map((row) => String(row.id));
}

/** Every page of a connection, `size` at a time, as its ids and cursors. */
async function walk(query: string, field: string, filter: object, size: number) {
  const ids: string[] = [];
  const cursors: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const result: GqlResult = await app.gql(query, { filter, first: size, after }, mara);
    expect(result.errors).toBeUndefined();
    const connection: any = result.data[field];
    for (const edge of connection.edges) {
      ids.push(edge.node.id);
      cursors.push(edge.cursor);
    }
    if (!connection.pageInfo.hasNextPage) return { ids, cursors };
    after = connection.pageInfo.endCursor;
  }
  throw new Error('more than 100 pages');
}

const variablesOf = (filter: Filter) => ({
  ...filter,
  from: filter.from?.toISOString(),
  to: filter.to?.toISOString(),
});

describe('auditEvents pages by keyset under every filter', () => {
  const minutesAgo = (minutes: number) => new Date(base.getTime() - minutes * MINUTE);
  const cases: [string, () => Filter][] = [
    ['no filter', () => ({})],
    ['staff', () => ({ staffId: staffIds[0] })],
    ['customer', () => ({ customerId: customerIds[1] })],
    ['session', () => ({ sessionId: sessions[2]!.id })],
    ['action', () => ({ action: 'OPERATION' })],
    ['outcome', () => ({ outcome: 'DENIED' })],
    ['time range', () => ({ from: minutesAgo(40), to: minutesAgo(10) })],
    ['from only', () => ({ from: minutesAgo(25) })],
    ['to only', () => ({ to: minutesAgo(45) })],
    ['staff and outcome', () => ({ staffId: staffIds[1], outcome: 'ALLOWED' })],
    ['staff, customer and action', () => ({ staffId: staffIds[0], customerId: customerIds[0], action: 'OPERATION' })],
    ['outcome and time range', () => ({ outcome: 'PARTIAL', from: minutesAgo(50), to: minutesAgo(5) })],
    ['session and outcome', () => ({ sessionId: sessions[1]!.id, outcome: 'DENIED' })],
    ['customer, action, outcome and time range', () => ({
      customerId: customerIds[2],
      action: 'OPERATION',
      outcome: 'ALLOWED',
      from: minutesAgo(59),
      to: minutesAgo(1),
    })],
  ];

  it.each(cases)('%s: every page in order, nothing missing or twice', async (_name, filterOf) => {
    const filter = filterOf();
    const expected = await expectedIds(filter);
    expect(expected.length).toBeGreaterThan(0);
    const { ids } = await walk(AUDIT, 'auditEvents', variablesOf(filter), 7);
    expect(ids).toEqual(expected);
  });

  it('a filter nothing matches answers an empty page', async () => {
    const result = await app.gql(AUDIT, { filter: { sessionId: 'no-such-session' }, first: 5 }, mara);
    expect(result.data.auditEvents).toMatchObject({ edges: [], pageInfo: { hasNextPage: false } });
  });

  it('pages backwards from a cursor to the records just before it', async () => {
    const filter = { staffId: staffIds[0] };
    const { ids, cursors } = await walk(AUDIT, 'auditEvents', filter, 9);
    const result = await app.gql(AUDIT, { filter, last: 5, before: cursors[20] }, mara);
    expect(result.data.auditEvents.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(
      ids.slice(15, 20),
    );
    expect(result.data.auditEvents.pageInfo.hasPreviousPage).toBe(true);
  });

  it('a page after a cursor is the same page whatever the size of the pages before it', async () => {
    const { ids, cursors } = await walk(AUDIT, 'auditEvents', {}, 4);
    const result = await app.gql(AUDIT, { first: 6, after: cursors[29] }, mara);
    expect(result.data.auditEvents.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(
      ids.slice(30, 36),
    );
  });

  it('names the staff member and the customer of each record', async () => {
    const result = await app.gql(AUDIT, { filter: { sessionId: sessions[0]!.id }, first: 3 }, mara);
    const [staff, customer] = await Promise.all([
      app.services.prisma.staff.findUniqueOrThrow({ where: { id: sessions[0]!.staffId } }),
      app.services.prisma.customer.findUniqueOrThrow({ where: { id: sessions[0]!.customerId } }),
    ]);
    expect(result.data.auditEvents.edges.length).toBeGreaterThan(0);
    for (const edge of result.data.auditEvents.edges)
      expect(edge.node).toMatchObject({ staffName: staff.name, customerName: customer.name });
  });
});

const SESSIONS = `query Sessions($filter: AuditSessionFilter, $first: Int, $after: String, $last: Int, $before: String) {
  auditSessions(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id deniedAttempts partialAttempts } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

/** Sessions with an operation of the outcome (and of the staff member), newest first, from the tables. */
async function expectedSessions(outcome: AuditOutcome, staffId?: string): Promise<string[]> {
  const { prisma } = app.services;
  const withOutcome = new Set(
    (await prisma.auditEvent.findMany({ where: { action: 'OPERATION', outcome } })).map((row) => row.sessionId),
  );
  return (await prisma.impersonationSession.findMany())
    .filter((session) => withOutcome.has(session.id) && (!staffId || session.staffId === staffId))
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (b.id > a.id ? 1 : b.id < a.id ? -1 : 0))
    .map((session) => session.id);
}

describe('auditSessions filters by outcome in the database', () => {
  it.each(['DENIED', 'PARTIAL', 'ALLOWED'] as const)(
    'outcome %s: the sessions with such an operation, every page in order',
    async (outcome) => {
      const expected = await expectedSessions(outcome);
      expect(expected.length).toBeGreaterThan(0);
      const { ids } = await walk(SESSIONS, 'auditSessions', { outcome }, 2);
      expect(ids).toEqual(expected);
    },
  );

  it('a refusal that is not an operation does not count', async () => {
    const { ids } = await walk(SESSIONS, 'auditSessions', { outcome: 'DENIED' }, 50);
    const refusedOps = await app.services.prisma.auditEvent.count({
      where: { sessionId: sessions[5]!.id, action: 'OPERATION', outcome: 'DENIED' },
    });
    expect(refusedOps).toBe(0);
    expect(ids).not.toContain(sessions[5]!.id);
  });

  it('combines the outcome with the staff member', async () => {
    const expected = await expectedSessions('DENIED', staffIds[1]);
    expect(expected.length).toBeGreaterThan(0);
    const { ids } = await walk(SESSIONS, 'auditSessions', { outcome: 'DENIED', staffId: staffIds[1] }, 1);
    expect(ids).toEqual(expected);
  });

  it('every session listed under DENIED has refused attempts', async () => {
    const result = await app.gql(SESSIONS, { filter: { outcome: 'DENIED' }, first: 50 }, mara);
    expect(result.data.auditSessions.edges.length).toBeGreaterThan(0);
    for (const edge of result.data.auditSessions.edges) expect(edge.node.deniedAttempts).toBeGreaterThan(0);
  });

  it('pages backwards from a cursor', async () => {
    const { ids, cursors } = await walk(SESSIONS, 'auditSessions', {}, 3);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    const result = await app.gql(SESSIONS, { last: 2, before: cursors[4] }, mara);
    expect(result.data.auditSessions.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(
      ids.slice(2, 4),
    );
  });
});
