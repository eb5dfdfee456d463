// `npm run bench -- --scenario=audit-query [--quick]`: the managers' audit log over a large log
// (issue 13, target 4). A fresh schema gets 1,000,000 audit records (50,000 with --quick) written
// straight into the table by one INSERT ... SELECT generate_series as the owner, then ANALYZE and
// VACUUM (what autovacuum does to an append-only table). The hash chain of these records is dummy
// values ("bench-<n>"): the chain is not what is measured, and verifyAuditChain would reject it.
// Then the real `AuditLog` query of the admin client (AuditEventRows.tsx) is sent over HTTP as a
// manager, sequentially, for each filter and a deep page, and `auditSessions` likewise; p50 / p99
// of the response times are reported, and `auditQueryP99Ms` is the worst p99 of the auditEvents cases.
// Knobs (env): BENCH_AUDIT_SAMPLES (requests measured per case; 200, quick 2: every case still runs,
// so `--quick` stays near a minute on a loaded box and its p99 is the worst of two), BENCH_AUDIT_PROGRESS=1.
//
// The data: 50 staff, 5,000 customers, sessions of 40 records (28 operations, the start and end,
// sign-ins and directory searches in between) over one year, 4% of operations DENIED and 1% PARTIAL.
// One staff member ("bench-staff-00") has 2% of all records, all in the first week of the year: the
// case the issue measured at 333 ms (a backward scan of the whole log).
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { startTestApp, type TestApp } from '../test/harness.ts';
import { closeKeepAlivePools, keepAlivePool } from './http-pool.ts';
import { percentile } from './load.ts';

/** Options of {@link runAuditQueryBench}. */
export interface AuditQueryBenchOptions {
  quick: boolean;
}

const RECORDS_PER_SESSION = 40;
const STAFF = 50;
const CUSTOMERS = 5_000;
const DAY_MS = 86_400_000;

/** The client's own document (client/src/admin/audit/AuditEventRows.tsx). */
const AUDIT_LOG = `query AuditLog($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id createdAt action outcome staffId staffName customerId customerName sessionId page
      operationName operationType rootFields variables errorCode reason requestId ip userAgent } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const AUDIT_SESSIONS = `query AuditSessions($filter: AuditSessionFilter, $first: Int, $after: String) {
  auditSessions(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id staffName customerName reason startedAt endedAt state endState endedByName
      pagesViewed { page } deniedAttempts partialAttempts } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The indexes of a table that a bulk load may drop and rebuild (not those behind a constraint). */
async function droppableIndexes(client: pg.ClientBase, table: string): Promise<{ name: string; definition: string }[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    [table],
  );
  return rows;
}

/**
 * Writes `records` audit records with their staff, customers and sessions. The audit table's
 * indexes are dropped for the load and rebuilt after it (the same definitions, read from the
 * catalog), which is several times faster than maintaining them row by row.
 */
export async function seedAuditLog(pool: pg.Pool, records: number): Promise<void> {
  const sessions = Math.floor(records / RECORDS_PER_SESSION);
  const oldSessions = Math.floor(sessions / 50);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const indexes = await droppableIndexes(client, 'AuditEvent');
    for (const index of indexes) await client.query(`DROP INDEX "${index.name}"`);
    await client.query(
      `INSERT INTO "Staff" (id, name, email, role, "passwordHash")
       SELECT 'bench-staff-' || lpad(s::text, 2, '0'), 'Bench Staff ' || s, 'bench-staff-' || s || '@bench.test', 'GROOMER', '-'
         FROM generate_series(0, $1 - 1) s`,
      [STAFF],
    );
    await client.query(
      `INSERT INTO "Customer" (id, name, email, "passwordHash")
       SELECT 'bench-customer-' || lpad(c::text, 4, '0'), 'Bench Customer ' || c, 'bench-customer-' || c || '@bench.test', '-'
         FROM generate_series(0, $1 - 1) c`,
      [CUSTOMERS],
    );
    // Session b: its staff member (bench-staff-00 for the first 2% of sessions only), customer, start.
    await client.query(
      `CREATE TEMP TABLE bench_session ON COMMIT DROP AS
       SELECT b,
              'bench-staff-' || lpad((CASE WHEN b < $2 THEN 0 ELSE 1 + (b * 7919) % ($3 - 1) END)::text, 2, '0') AS staff,
              'bench-customer-' || lpad(((b::bigint * 104729) % $4)::text, 4, '0') AS customer,
              (now() AT TIME ZONE 'UTC')::timestamp(3) - interval '365 days' + b * $5 * (interval '365 days' / $6) AS started
         FROM generate_series(0, $1 - 1) b`,
      [sessions, oldSessions, STAFF, CUSTOMERS, RECORDS_PER_SESSION, records],
    );
    await client.query(
      `INSERT INTO "ImpersonationSession" (id, "staffId", "customerId", reason, "startedAt", "expiresAt", "endedAt", "endState")
       SELECT 'bench-session-' || b, staff, customer, 'Benchmark', started, started + interval '30 minutes',
              started + ($1 - 1) * (interval '365 days' / $2), 'ENDED'
         FROM bench_session`,
      [RECORDS_PER_SESSION, records],
    );
    // Record o of session b: 0 its start, 1-28 operations, then sign-ins and searches, 39 its end.
    await client.query(
      `INSERT INTO "AuditEvent" ("createdAt", action, outcome, "staffId", "customerId", "sessionId",
                                 "operationName", "operationType", "rootFields", "prevHash", hash)
       SELECT s.started + o * (interval '365 days' / $2),
              (CASE WHEN o = 0 THEN 'SESSION_STARTED' WHEN o = 39 THEN 'SESSION_ENDED' WHEN o <= 28 THEN 'OPERATION'
                    WHEN o <= 32 THEN 'DIRECTORY_SEARCH' WHEN o <= 34 THEN 'STAFF_SIGNED_IN'
                    WHEN o = 35 THEN 'STAFF_SIGN_IN_FAILED' WHEN o <= 37 THEN 'STAFF_SIGNED_OUT'
                    ELSE 'CUSTOMER_STATUS_CHANGED' END)::"AuditAction",
              (CASE WHEN o = 35 THEN 'DENIED'
                    WHEN o BETWEEN 1 AND 28 AND (i * 2654435761) % 100 < 4 THEN 'DENIED'
                    WHEN o BETWEEN 1 AND 28 AND (i * 2654435761) % 100 < 5 THEN 'PARTIAL'
                    ELSE 'ALLOWED' END)::"AuditOutcome",
              s.staff,
              CASE WHEN o <= 28 OR o >= 38 THEN s.customer END,
              CASE WHEN o <= 28 OR o = 39 THEN 'bench-session-' || s.b END,
              CASE WHEN o BETWEEN 1 AND 28 THEN 'PortalHome' END,
              CASE WHEN o BETWEEN 1 AND 28 THEN 'query' END,
              CASE WHEN o BETWEEN 1 AND 28 THEN ARRAY['me'] ELSE ARRAY[]::text[] END,
              'bench-' || (i - 1), 'bench-' || i
         FROM generate_series(0, $3::bigint - 1) i
         CROSS JOIN LATERAL (SELECT (i % $1)::int AS o) position
         JOIN bench_session s ON s.b = i / $1
        ORDER BY i`,
      [RECORDS_PER_SESSION, records, sessions * RECORDS_PER_SESSION],
    );
    for (const index of indexes) await client.query(index.definition);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  await pool.query('VACUUM ANALYZE "AuditEvent"');
  await pool.query('VACUUM ANALYZE "ImpersonationSession"');
  // The seed's million rows are dirty pages still being written out: flush them now, so the
  // requests measured do not share the disk with the seed's writes (needs superuser or pg_checkpoint).
  await pool
    .query('CHECKPOINT')
    .catch((error: unknown) => console.warn(`audit-query: no CHECKPOINT (${String(error)})`));
}

interface Case {
  name: string;
  query: string;
  variables: Record<string, unknown>;
}

interface Measured {
  name: string;
  rows: number;
  p50: number;
  p99: number;
}

/** Sends one operation as the manager; throws on any error in the answer. */
async function post(app: TestApp, token: string, body: string): Promise<any> {
  // One keep-alive connection (fetch would add about a millisecond of client work per request to
  // every time, in the server's own process).
  const url = new URL(app.url);
  const response = await keepAlivePool(url.origin, 1).request({
    path: url.pathname,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  const result = (await response.body.json()) as { data?: any; errors?: unknown[] };
  if (response.statusCode !== 200 || result.errors?.length)
    throw new Error(`audit-query: HTTP ${response.statusCode} ${JSON.stringify(result.errors?.[0] ?? result)}`);
  return result.data;
}

async function measure(app: TestApp, token: string, test: Case, samples: number): Promise<Measured> {
  const body = JSON.stringify({ query: test.query, variables: test.variables });
  const first = await post(app, token, body);
  const rows = (first.auditEvents ?? first.auditSessions).edges.length as number;
  // Warm-up (plans cached, pages in memory): 10 requests; in a quick run (a few samples) the first
  // request, which counted the rows, is the warm-up.
  for (let i = 0; i < (samples < 10 ? 0 : 10); i += 1) await post(app, token, body);
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    await post(app, token, body);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { name: test.name, rows, p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** The cursor that opens page `page` (1-based) of a connection, by walking the pages before it. */
async function cursorOfPage(app: TestApp, token: string, base: Case, page: number, size: number): Promise<string> {
  let after: string | null = null;
  for (let i = 1; i < page; i += 1) {
    const data = await post(
      app,
      token,
      JSON.stringify({ query: base.query, variables: { ...base.variables, first: size, after } }),
    );
    const connection = data.auditEvents ?? data.auditSessions;
    if (!connection.pageInfo.hasNextPage) throw new Error(`audit-query: ${base.name} has fewer than ${page} pages`);
    after = connection.pageInfo.endCursor;
  }
  return after!;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** Seeds a large audit log in a fresh schema and measures the audit queries over HTTP. */
export async function runAuditQueryBench(
  options: AuditQueryBenchOptions,
): Promise<Record<string, number | string | boolean>> {
  const records = options.quick ? 50_000 : 1_000_000;
  const samples = Number(process.env.BENCH_AUDIT_SAMPLES ?? (options.quick ? 2 : 200));
  if (!Number.isInteger(samples) || samples <= 0) throw new Error('BENCH_AUDIT_SAMPLES must be a positive integer');
  const app = await startTestApp({ config: { LOG_LEVEL: 'error' } });
  try {
    const seedStarted = performance.now();
    await seedAuditLog(app.services.pool, records);
    const seedMs = performance.now() - seedStarted;
    const token = await app.signIn('mara');
    const now = Date.now();
    const day = (daysAgo: number) => new Date(now - daysAgo * DAY_MS).toISOString();
    const events = (name: string, filter: Record<string, unknown>, after?: string): Case => ({
      name,
      query: AUDIT_LOG,
      variables: { filter, first: 50, after: after ?? null },
    });
    const sessions = (name: string, filter: Record<string, unknown>, after?: string): Case => ({
      name,
      query: AUDIT_SESSIONS,
      variables: { filter, first: 20, after: after ?? null },
    });
    const staff = 'bench-staff-07';
    const customer = 'bench-customer-0042';
    const eventCases: Case[] = [
      events('no filter', {}),
      events('staff, all records old', { staffId: 'bench-staff-00' }),
      events('staff', { staffId: staff }),
      events('customer', { customerId: customer }),
      events('session', { sessionId: 'bench-session-1234' }),
      events('outcome DENIED', { outcome: 'DENIED' }),
      events('outcome PARTIAL', { outcome: 'PARTIAL' }),
      events('action SIGN_IN_FAILED', { action: 'STAFF_SIGN_IN_FAILED' }),
      events('time: a week 200 days ago', { from: day(200), to: day(193) }),
      events('time: 30 days 120 days ago', { from: day(120), to: day(90) }),
      events('time: the first half year', { from: day(366), to: day(183) }),
      events('staff + outcome PARTIAL', { staffId: staff, outcome: 'PARTIAL' }),
      events('old staff + outcome DENIED', { staffId: 'bench-staff-00', outcome: 'DENIED' }),
      events('staff + customer', { staffId: staff, customerId: customer }),
      events('staff + time (week)', { staffId: staff, from: day(200), to: day(193) }),
      events('customer + time (9 months)', { customerId: customer, from: day(300), to: day(30) }),
      events('outcome + action + time', { outcome: 'DENIED', action: 'OPERATION', from: day(200), to: day(193) }),
      events('staff + outcome + action + time', {
        staffId: staff,
        outcome: 'PARTIAL',
        action: 'OPERATION',
        from: day(300),
        to: day(100),
      }),
      events('customer + outcome DENIED', { customerId: customer, outcome: 'DENIED' }),
      events('customer + action', { customerId: customer, action: 'SESSION_ENDED' }),
      events('session + outcome DENIED', { sessionId: 'bench-session-1234', outcome: 'DENIED' }),
      events('action + time (30 days)', { action: 'STAFF_SIGN_IN_FAILED', from: day(120), to: day(90) }),
      events('outcome PARTIAL + action + time', {
        outcome: 'PARTIAL',
        action: 'OPERATION',
        from: day(200),
        to: day(193),
      }),
      // None match (a failed sign-in is always DENIED): the whole range of one index is read.
      events('action + outcome, no match', { action: 'STAFF_SIGN_IN_FAILED', outcome: 'ALLOWED' }),
    ];
    const deepPage = options.quick ? 5 : 50;
    eventCases.push(
      events(`page ${deepPage}, no filter`, {}, await cursorOfPage(app, token, eventCases[0]!, deepPage, 50)),
    );
    eventCases.push(
      events(
        `page ${deepPage}, staff`,
        { staffId: staff },
        await cursorOfPage(app, token, eventCases[2]!, deepPage, 50),
      ),
    );
    eventCases.push(
      events(
        `page ${deepPage}, outcome DENIED`,
        { outcome: 'DENIED' },
        await cursorOfPage(app, token, eventCases[5]!, deepPage, 50),
      ),
    );
    const sessionCases: Case[] = [
      sessions('sessions: no filter', {}),
      sessions('sessions: outcome DENIED', { outcome: 'DENIED' }),
      sessions('sessions: outcome PARTIAL', { outcome: 'PARTIAL' }),
      sessions('sessions: staff + outcome PARTIAL', { staffId: staff, outcome: 'PARTIAL' }),
      sessions('sessions: old staff + outcome DENIED', { staffId: 'bench-staff-00', outcome: 'DENIED' }),
      sessions('sessions: customer + outcome DENIED', { customerId: customer, outcome: 'DENIED' }),
      sessions('sessions: outcome DENIED, 30 days 120 days ago', { outcome: 'DENIED', from: day(120), to: day(90) }),
    ];
    sessionCases.push(
      sessions(
        `sessions: outcome PARTIAL, page ${deepPage}`,
        { outcome: 'PARTIAL' },
        await cursorOfPage(app, token, sessionCases[2]!, deepPage, 20),
      ),
    );

    const measuredEvents: Measured[] = [];
    const measuredSessions: Measured[] = [];
    for (const [cases, into] of [
      [eventCases, measuredEvents],
      [sessionCases, measuredSessions],
    ] as const)
      for (const test of cases) {
        const measured = await measure(app, token, test, samples);
        into.push(measured);
        if (process.env.BENCH_AUDIT_PROGRESS) console.error(`${measured.name}: p50 ${measured.p50.toFixed(1)} ms`);
      }

    console.error(
      `\naudit-query: ${records.toLocaleString('en')} records (seeded in ${(seedMs / 1000).toFixed(1)} s), ` +
        `${samples} sequential requests per case over HTTP, PostgreSQL: ${Boolean(process.env.DATABASE_URL)}`,
    );
    console.error(`${'case'.padEnd(48)} ${'rows'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
    for (const m of [...measuredEvents, ...measuredSessions])
      console.error(
        `${m.name.padEnd(48)} ${String(m.rows).padStart(5)} ${m.p50.toFixed(1).padStart(8)} ${m.p99.toFixed(1).padStart(8)}`,
      );

    const worst = (list: Measured[]) => list.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const key = (name: string) =>
      name
        .replace(/[^a-zA-Z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase())
        .replace(/^./, (first) => first.toLowerCase());
    return {
      auditQueryP99Ms: round(worst(measuredEvents).p99),
      auditQueryWorstCase: worst(measuredEvents).name,
      auditSessionsP99Ms: round(worst(measuredSessions).p99),
      auditQueryRecords: records,
      auditQueryQuick: options.quick,
      auditQuerySeedMs: Math.round(seedMs),
      ...Object.fromEntries(
        [...measuredEvents, ...measuredSessions].flatMap((m) => [
          [`auditQuery.${key(m.name)}.p50Ms`, round(m.p50)],
          [`auditQuery.${key(m.name)}.p99Ms`, round(m.p99)],
        ]),
      ),
    };
  } finally {
    await closeKeepAlivePools();
    await app.close();
  }
}
