// `npm run bench -- --scenario=load200 [--quick] [--clients=200] [--seconds=60]`: many managers each
// in their own staff view of one customer, all reading at once over real HTTP for a while; in the
// middle another manager terminates a tenth of the sessions. Afterwards it checks and prints:
// - exactly one audit record per answered request (ALLOWED for each that got data, DENIED for the
//   refused ones), matched by the x-request-id response header;
// - no data for any request sent after its session's termination had committed (the terminate
//   mutation had answered), and how many responses were already in flight at that moment;
// - the server's heap and RSS: before the clients, at the peak, and after they left (after a GC),
//   with the heap required back within 20% (+10 MB) of its baseline.
//
// The server runs in this process with the database clock (not the tests' manual one) on a fresh
// schema of DATABASE_URL, or on an in-memory PGlite (one query at a time: not a throughput figure);
// the clients run on a worker thread. The heap figure is the server thread's; RSS is the process'.
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { seedDemoData } from '../prisma/seed/demo-data.ts';
import { buildApp } from '../server/app.ts';
import { newToken } from '../server/auth/tokens.ts';
import type { Services } from '../server/context.ts';
import { loadConfig } from '../server/config.ts';
import { openServices } from '../server/services.ts';
import { REASON, START } from '../test/impersonation-helpers.ts';
import { percentile } from './load.ts';
import type { ClientsRequest, ClientsResult } from './load200-worker.ts';
import { startTsWorker } from './ts-worker.ts';

const HOME = `query PortalHome {
  me { name pets { name } appointments(upcoming: true) { startsAt service { name } } invoices { number totalCents status } }
}`;
const USER_AGENT = 'salon-bench-load200';
/** Share of the sessions terminated in the middle of the run. */
const TERMINATED_SHARE = 0.1;
const REQUEST_TIMEOUT_MS = 30_000;
const MB = 1024 * 1024;

/** Options read from the command line. */
export interface Load200Options {
  clients: number;
  durationMs: number;
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * The managers of the scenario, one per client, each signed in: the sign-ins are written as the
 * server writes them (a token's hash), since 200 scrypt checks would take minutes on a shared CPU.
 */
async function createSignedInManagers(services: Services, count: number, runId: string): Promise<string[]> {
  const staff = await services.prisma.staff.createManyAndReturn({
    data: Array.from({ length: count }, (_, i) => ({
      name: `Load Manager ${i}`,
      email: `load-manager-${runId}-${i}@bench.test`,
      role: 'MANAGER' as const,
      passwordHash: 'no password: signed in by the bench',
    })),
    select: { id: true },
  });
  const expiresAt = new Date(services.clock.now().getTime() + services.config.AUTH_SESSION_HOURS * 3_600_000);
  const tokens = staff.map(() => newToken());
  await services.prisma.authSession.createMany({
    data: staff.map((manager, i) => ({
      tokenHash: tokens[i]!.tokenHash,
      kind: 'STAFF' as const,
      staffId: manager.id,
      expiresAt,
    })),
  });
  return tokens.map((token) => token.token);
}

/** Runs `task` over `items`, `width` at a time, in order. */
async function inBatches<T, R>(items: T[], width: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return results;
}

interface MemorySample {
  heapMb: number;
  rssMb: number;
}
const memory = (): MemorySample => {
  const usage = process.memoryUsage();
  return { heapMb: usage.heapUsed / MB, rssMb: usage.rss / MB };
};
async function settledMemory(): Promise<MemorySample> {
  for (let i = 0; i < 3; i += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return memory();
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export async function runLoad200({ clients, durationMs }: Load200Options): Promise<number> {
  const failures: string[] = [];
  const runId = randomBytes(4).toString('hex');
  const schema = process.env.DATABASE_URL ? `bench_${randomBytes(6).toString('hex')}` : undefined;
  const config = loadConfig(process.env, {
    SERVE_CLIENT: false,
    LOG_LEVEL: 'error',
    WS_CONNECTIONS_PER_ADDRESS: 1_000_000,
  });
  const opened = await openServices(config, { schema, inMemory: true, redisChannelPrefix: `bench-${runId}` });
  const { services } = opened;
  const app = buildApp(services);
  const worker = startTsWorker(new URL('./load200-worker.ts', import.meta.url));
  try {
    await seedDemoData(services.prisma);
    const port = await app.start(0);
    const url = `http://127.0.0.1:${port}/graphql`;
    const gql = async (query: string, variables: object, token?: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const json = (await response.json()) as { data?: any; errors?: unknown[] };
      if (!json.data) throw new Error(`${query.slice(0, 40)}: ${JSON.stringify(json.errors)}`);
      return json.data;
    };
    const signIn = async (email: string, password: string) =>
      (
        await gql('mutation S($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }', {
          e: email,
          p: password,
        })
      ).signIn.token as string;

    console.log(
      `load200: ${clients} managers, each in a staff view of one customer, ${durationMs / 1000} s; ` +
        `${process.env.DATABASE_URL ? `PostgreSQL schema ${schema} (dropped at the end)` : 'embedded PGlite (in memory: NOT a throughput figure)'}; ` +
        `Node ${process.version}, ${cpus().length} CPU(s)`,
    );
    const setupStarted = performance.now();
    const managers = await createSignedInManagers(services, clients, runId);
    const mara = await signIn('mara@salon.test', 'demo-manager-pass');
    const chloeId = (await gql('query C($s: String) { customers(search: $s) { id } }', { s: 'chloe' }, mara))
      .customers[0].id as string;
    const views = await inBatches(managers, 16, async (token) => {
      const started = await gql(START, { customerId: chloeId, reason: REASON }, token);
      return started.startImpersonation as { token: string; session: { id: string } };
    });
    console.log(`setup: ${clients} sessions started in ${fmt((performance.now() - setupStarted) / 1000)} s`);

    const baseline = await settledMemory();
    let peak = baseline;
    const sampler = setInterval(() => {
      const now = memory();
      peak = { heapMb: Math.max(peak.heapMb, now.heapMb), rssMb: Math.max(peak.rssMb, now.rssMb) };
    }, 250);

    const request: ClientsRequest = {
      url,
      body: JSON.stringify({ query: HOME }),
      tokens: views.map((view) => view.token),
      durationMs,
      timeoutMs: REQUEST_TIMEOUT_MS,
    };
    const done = new Promise<ClientsResult>((resolve, reject) => {
      worker.once('message', (message: { result?: ClientsResult; error?: string }) =>
        message.result ? resolve(message.result) : reject(new Error(`clients: ${message.error}`)),
      );
      worker.once('error', reject);
    });
    worker.postMessage(request);

    // Halfway: another manager terminates every tenth session, one after the other.
    await new Promise((resolve) => setTimeout(resolve, durationMs / 2));
    const victims = views.map((_, index) => index).filter((index) => index % Math.round(1 / TERMINATED_SHARE) === 0);
    const terminations = new Map<number, { requestedAt: number; committedBy: number }>();
    for (const index of victims) {
      const requestedAt = performance.timeOrigin + performance.now();
      await gql(
        'mutation T($id: ID!, $r: String!) { terminateImpersonation(sessionId: $id, reason: $r) { state } }',
        { id: views[index]!.session.id, r: 'Load test: forced termination' },
        mara,
      );
      terminations.set(index, { requestedAt, committedBy: performance.timeOrigin + performance.now() });
    }
    const result = await done;
    clearInterval(sampler);
    await worker.terminate();
    const after = await settledMemory();

    // Requests and their audit records.
    const answered = result.served.filter((served) => served >= 0).length;
    const withData = result.served.filter((served) => served === 1).length;
    const { rows } = await services.pool.query<{ requestId: string; outcome: string; count: number }>(
      `SELECT "requestId", outcome, count(*)::int AS count FROM "AuditEvent"
        WHERE action = 'OPERATION' AND "userAgent" = $1 GROUP BY "requestId", outcome`,
      [USER_AGENT],
    );
    const records = new Map<string, { outcome: string; count: number }[]>();
    for (const row of rows) records.set(row.requestId, [...(records.get(row.requestId) ?? []), row]);
    let missing = 0;
    let duplicated = 0;
    let wrongOutcome = 0;
    for (let i = 0; i < result.served.length; i += 1) {
      if (result.served[i]! < 0) continue;
      const found = records.get(result.requestId[i] ?? '') ?? [];
      const count = found.reduce((sum, row) => sum + row.count, 0);
      if (count === 0) missing += 1;
      else if (count > 1) duplicated += 1;
      else if (found[0]!.outcome !== (result.served[i] === 1 ? 'ALLOWED' : 'DENIED')) wrongOutcome += 1;
    }
    const totalRecords = rows.reduce((sum, row) => sum + row.count, 0);
    const unanswered = result.served.length - answered;
    if (missing || duplicated || wrongOutcome)
      failures.push(
        `audit: ${missing} answered requests without a record, ${duplicated} with several, ${wrongOutcome} with the wrong outcome`,
      );
    if (totalRecords < answered || totalRecords > answered + unanswered)
      failures.push(
        `audit: ${totalRecords} OPERATION records for ${answered} answered (+${unanswered} unanswered) requests`,
      );

    // Nothing served after a termination committed.
    const offsetMs = services.clock.now().getTime() - Date.now();
    const sessions = await services.prisma.impersonationSession.findMany({
      where: { id: { in: victims.map((index) => views[index]!.session.id) } },
      select: { id: true, endedAt: true, endState: true },
    });
    const endedAt = new Map(sessions.map((session) => [session.id, session.endedAt!.getTime() - offsetMs]));
    let servedAfterCommit = 0;
    let inFlightServed = 0;
    let maxInFlightLagMs = 0;
    let refusedAfter = 0;
    for (let i = 0; i < result.served.length; i += 1) {
      const termination = terminations.get(result.client[i]!);
      if (!termination) continue;
      const ended = endedAt.get(views[result.client[i]!]!.session.id)!;
      if (result.served[i] === 1 && result.sentAt[i]! > termination.committedBy) servedAfterCommit += 1;
      if (result.served[i] === 1 && result.answeredAt[i]! > ended) {
        inFlightServed += 1;
        maxInFlightLagMs = Math.max(maxInFlightLagMs, result.answeredAt[i]! - ended);
      }
      if (result.served[i] === 0 && result.code[i] === 'UNAUTHENTICATED') refusedAfter += 1;
    }
    if (servedAfterCommit)
      failures.push(`${servedAfterCommit} requests sent after their session's termination committed got data`);
    if (sessions.some((session) => session.endState !== 'TERMINATED'))
      failures.push('a terminated session is not TERMINATED');

    // Memory back near its baseline.
    const heapLimit = baseline.heapMb * 1.2 + 10;
    if (after.heapMb > heapLimit)
      failures.push(
        `heap after the clients left ${fmt(after.heapMb)} MB > ${fmt(heapLimit)} MB (baseline ${fmt(baseline.heapMb)} MB)`,
      );

    const latencies = Float64Array.from(result.latencyMs).sort();
    const seconds = durationMs / 1000;
    console.log(
      [
        `requests: ${result.served.length} sent, ${answered} answered (${fmt(answered / seconds, 0)}/s), ${withData} with data, ` +
          `${unanswered} unanswered; latency p50 ${fmt(percentile(latencies, 50), 0)} ms, p95 ${fmt(percentile(latencies, 95), 0)} ms, ` +
          `p99 ${fmt(percentile(latencies, 99), 0)} ms, max ${fmt(latencies[latencies.length - 1] ?? Number.NaN, 0)} ms`,
        `audit: ${totalRecords} OPERATION records; answered requests without a record ${missing}, with several ${duplicated}, ` +
          `wrong outcome ${wrongOutcome}`,
        `terminations: ${victims.length} sessions halfway; data on requests sent after the commit: ${servedAfterCommit}; ` +
          `responses with data already in flight at the end: ${inFlightServed} (at most ${fmt(maxInFlightLagMs, 0)} ms after endedAt); ` +
          `refused afterwards (UNAUTHENTICATED): ${refusedAfter}`,
        `memory (server heap / process RSS, MB): baseline ${fmt(baseline.heapMb)} / ${fmt(baseline.rssMb)}, ` +
          `peak ${fmt(peak.heapMb)} / ${fmt(peak.rssMb)}, after the clients left ${fmt(after.heapMb)} / ${fmt(after.rssMb)} ` +
          `(heap limit ${fmt(heapLimit)})`,
      ].join('\n'),
    );
    if (failures.length) {
      console.error(`\n!!! BENCHMARK FAILED (load200)`);
      for (const failure of failures) console.error(`!!!   ${failure}`);
    }
    console.log(
      JSON.stringify({
        bench: 'load200',
        ok: failures.length === 0,
        failures,
        database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
        clients,
        durationMs,
        sent: result.served.length,
        answered,
        withData,
        rps: Number((answered / seconds).toFixed(1)),
        p50Ms: Number(percentile(latencies, 50).toFixed(1)),
        p99Ms: Number(percentile(latencies, 99).toFixed(1)),
        auditRecords: totalRecords,
        missing,
        duplicated,
        terminated: victims.length,
        servedAfterCommit,
        inFlightServed,
        memoryMb: { baseline, peak, after },
      }),
    );
    return failures.length ? 1 : 0;
  } finally {
    await worker.terminate();
    await app.stop();
    if (schema) await services.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await opened.close();
  }
}
