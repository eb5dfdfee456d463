// `npm run bench -- --scenario=pageload [--quick]`: page loads per second of the portal's Home, as
// the client really sends it (the persisted operations of client/src/gql, by hash, with the
// client's variables and headers), under a staff view and as the customer, in interleaved rounds,
// 10 clients, against the PostgreSQL of DATABASE_URL (a fresh schema, dropped at the end). The
// customer has the data size (2 pets, 10 appointments, 8 invoices; the bench adds what the
// demo data lacks). Then the SQL statements of one page load (sequential page loads, counted on
// pg's Client as bench/index.ts does) and a check that every staff-view operation left exactly one
// audit record.
//
// Knobs (env): PAGELOAD_ROUNDS (4; quick 2), PAGELOAD_ROUND_MS (3000; quick 1200),
// PAGELOAD_CONCURRENCY (10), PAGELOAD_CLIENT (undici; `fetch` for Node's fetch). Profile the server with
// `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/index.ts --scenario=pageload`.
import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import pg from 'pg';
import { HomePageDocument } from '../client/src/gql/graphql.ts';
import { loadPersistedDocuments } from '../server/plugins/use-persisted-operations.ts';
import { startTestApp, type TestApp } from '../test/harness.ts';
import { startSession } from '../test/impersonation-helpers.ts';
import { percentile } from './load.ts';
import type { PageLoad, PageLoadPhase, PageLoadResult } from './pageload-worker.ts';

/** One operation of a page load, as a client document and the variables the client gives it. */
interface SentOperation {
  document: DocumentNode;
  variables: Record<string, unknown>;
}

/** What the client sends when Home opens (client/src/portal/HomePage.tsx, one query per page). */
const HOME_PAGE_LOAD = (staffView: boolean): SentOperation[] => [
  { document: HomePageDocument, variables: { staffView } },
];

/** The customer: 2 pets, 10 appointments, 8 invoices (about 7 KB per Home page). */
const CUSTOMER_SIZE = { pets: 2, appointments: 10, invoices: 8 };
const CUSTOMER = 'chloe@example.test';

/** urql's fetchExchange headers for a query (`accept`), with the bearer token (client.ts). */
function clientHeaders(token: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept:
      'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed',
    authorization: `Bearer ${token}`,
    'user-agent': 'salon-bench-pageload',
  };
}

/** The body urql's persistedExchange + fetchExchange POST for a generated document: the hash, no query. */
function persistedBody({ document, variables }: SentOperation, manifest: ReadonlyMap<string, string>): string {
  const hash = (document as DocumentNode & { __meta__?: { hash?: string } }).__meta__?.hash;
  if (!hash || !manifest.has(hash)) throw new Error('document missing from persisted-documents.json: run codegen');
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  return JSON.stringify({
    operationName: operation?.name?.value,
    variables,
    extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
  });
}

/** Adds pets, appointments (half upcoming) and invoices until the customer has CUSTOMER_SIZE. */
async function sizeCustomer(app: TestApp) {
  const prisma = app.services.prisma;
  const customer = await prisma.customer.findUniqueOrThrow({
    where: { email: CUSTOMER },
    include: { _count: { select: { pets: true, appointments: true, invoices: true } } },
  });
  const service = await prisma.service.findFirstOrThrow({ where: { isAddOn: false } });
  const groomer = await prisma.staff.findFirstOrThrow({ where: { role: 'GROOMER' } });
  for (let i = customer._count.pets; i < CUSTOMER_SIZE.pets; i += 1)
    await prisma.pet.create({
      data: { customerId: customer.id, name: `Bench pet ${i}`, species: 'Dog', size: 'MEDIUM' },
    });
  const pets = await prisma.pet.findMany({ where: { customerId: customer.id }, orderBy: { createdAt: 'asc' } });
  const now = app.clock.now().getTime();
  const DAY = 86_400_000;
  for (let i = customer._count.appointments; i < CUSTOMER_SIZE.appointments; i += 1) {
    const startsAt = new Date(now + (i % 2 === 0 ? 1 : -1) * (i + 2) * DAY);
    await prisma.appointment.create({
      data: {
        customerId: customer.id,
        petId: pets[i % pets.length]!.id,
        serviceId: service.id,
        groomerId: groomer.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + service.durationMinutes * 60_000),
        status: startsAt.getTime() > now ? 'SCHEDULED' : 'COMPLETED',
      },
    });
  }
  for (let i = customer._count.invoices; i < CUSTOMER_SIZE.invoices; i += 1) {
    await prisma.invoice.create({
      data: {
        customerId: customer.id,
        number: `BENCH-${i}`,
        subtotalCents: service.basePriceCents,
        taxCents: 0,
        totalCents: service.basePriceCents,
        status: i % 3 === 0 ? 'PENDING' : 'PAID',
      },
    });
  }
  const sized = await prisma.customer.findUniqueOrThrow({
    where: { email: CUSTOMER },
    include: { _count: { select: { pets: true, appointments: true, invoices: true } } },
  });
  return sized._count;
}

/** SQL statements sent over every pg connection of this process while `count` runs (as bench/index.ts counts). */
async function countStatements(count: () => Promise<void>): Promise<Map<string, number>> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const into = new Map<string, number>();
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
    const keyword = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '?';
    into.set(keyword, (into.get(keyword) ?? 0) + 1);
    return original.apply(this, args);
  };
  try {
    await count();
  } finally {
    proto.query = original;
  }
  return into;
}

/** The load generator in a child process (tsx), so this process's CPU time is the server's. */
function startLoadProcess() {
  const child = fork(new URL('./pageload-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
  return {
    run: (phase: PageLoadPhase) =>
      new Promise<PageLoadResult>((resolve, reject) => {
        child.once('error', reject);
        child.once('message', (message: { result?: PageLoadResult; error?: string }) => {
          child.off('error', reject);
          if (message.result) resolve(message.result);
          else reject(new Error(`pageload load generator: ${message.error}`));
        });
        child.send(phase);
      }),
    close: () => void child.kill(),
  };
}

const positiveInt = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** Runs the page-load scenario; returns the metrics. */
export async function runPageloadBench(options: {
  quick: boolean;
}): Promise<Record<string, number | string | boolean>> {
  const rounds = positiveInt('PAGELOAD_ROUNDS', options.quick ? 2 : 4);
  const roundMs = positiveInt('PAGELOAD_ROUND_MS', options.quick ? 1000 : 3000);
  const concurrency = positiveInt('PAGELOAD_CONCURRENCY', 10);
  const httpClient = process.env.PAGELOAD_CLIENT === 'fetch' ? 'fetch' : 'undici';
  const warmupMs = options.quick ? 800 : 2000;
  const database = process.env.DATABASE_URL ? 'postgresql' : 'pglite';
  const failures: string[] = [];

  const app = await startTestApp();
  const worker = startLoadProcess();
  try {
    const size = await sizeCustomer(app);
    const manifest = loadPersistedDocuments();
    const chloe = await app.signIn('chloe');
    const mara = await app.signIn('mara');
    const { token: staffViewToken } = await startSession(app, mara, CUSTOMER);
    // `sameQuery`: the staff view sending exactly the customer's request (the issue's "impersonated
    // vs customer, same queries"); `staffView` is what the client sends in a staff view (its page
    // also asks for the staff-view session and policy).
    const loads: Record<'staffView' | 'customer' | 'sameQuery', PageLoad> = {
      staffView: {
        headers: clientHeaders(staffViewToken),
        bodies: HOME_PAGE_LOAD(true).map((operation) => persistedBody(operation, manifest)),
        staffView: true,
      },
      customer: {
        headers: clientHeaders(chloe),
        bodies: HOME_PAGE_LOAD(false).map((operation) => persistedBody(operation, manifest)),
        staffView: false,
      },
      sameQuery: {
        headers: clientHeaders(staffViewToken),
        bodies: HOME_PAGE_LOAD(false).map((operation) => persistedBody(operation, manifest)),
        staffView: false,
      },
    };
    console.log(
      `pageload: ${database}, Node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model.trim()}); ` +
        `customer with ${size.pets} pets, ${size.appointments} appointments, ${size.invoices} invoices; ` +
        `${loads.staffView.bodies.length} POST(s) per page load; ${concurrency} clients (${httpClient}); ` +
        `${rounds} interleaved rounds of ${roundMs} ms per kind`,
    );

    const operationsBefore = await app.services.prisma.auditEvent.count({ where: { action: 'OPERATION' } });
    let staffViewRequests = 0;
    const phase = async (kind: keyof typeof loads, durationMs: number) => {
      const result = await worker.run({
        url: app.url,
        load: loads[kind],
        concurrency,
        durationMs,
        timeoutMs: 10_000,
        client: httpClient,
      });
      if (kind !== 'customer') staffViewRequests += result.requests;
      if (result.failures)
        failures.push(`${kind}: ${result.failures} failed page loads (${result.failureSamples.join(' | ')})`);
      return result;
    };
    await phase('customer', warmupMs);
    await phase('staffView', warmupMs);
    await phase('sameQuery', warmupMs / 2);

    const total = () => ({ pageLoads: 0, ms: 0, latencies: [] as number[], bytes: 0, cpuMs: 0 });
    const totals = { staffView: total(), customer: total(), sameQuery: total() };
    const kinds = ['staffView', 'customer', 'sameQuery'] as const;
    for (let round = 0; round < rounds; round += 1) {
      // Each kind first, middle and last in turn.
      const order = kinds.map((_, i) => kinds[(i + round) % kinds.length]!);
      for (const kind of order) {
        const cpuBefore = process.cpuUsage();
        const result = await phase(kind, roundMs);
        const cpu = process.cpuUsage(cpuBefore);
        totals[kind].cpuMs += (cpu.user + cpu.system) / 1000;
        totals[kind].pageLoads += result.pageLoads;
        totals[kind].ms += result.elapsedMs;
        totals[kind].latencies.push(...result.latenciesMs);
        totals[kind].bytes = result.bytesPerPage;
        console.log(
          `  round ${round + 1} ${kind.padEnd(10)} ${fmt((result.pageLoads / result.elapsedMs) * 1000, 0).padStart(5)} page loads/s`,
        );
      }
    }

    const SQL_SAMPLE = options.quick ? 10 : 50;
    const sequential = (load: PageLoad) => async () => {
      for (let i = 0; i < SQL_SAMPLE; i += 1) {
        await Promise.all(
          load.bodies.map(async (body) => {
            const response = await fetch(app.url, { method: 'POST', headers: load.headers, body });
            await response.text();
          }),
        );
      }
    };
    // Background jobs (the expiry sweeper, audit checkpoints) query too: their rate in a window
    // without requests, times the sampling's duration, is subtracted.
    const idleMs = options.quick ? 500 : 3000;
    const counted = async (load: PageLoad) => {
      const started = performance.now();
      const during = await countStatements(sequential(load));
      const elapsed = performance.now() - started;
      const idle = await countStatements(() => new Promise((resolve) => setTimeout(resolve, idleMs)));
      const background = new Map([...idle].map(([keyword, n]) => [keyword, (n * elapsed) / idleMs]));
      return { during, background };
    };
    const statements = { staffView: await counted(loads.staffView), customer: await counted(loads.customer) };
    staffViewRequests += SQL_SAMPLE * loads.staffView.bodies.length;
    const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
    const perPage = ({ during, background }: { during: Map<string, number>; background: Map<string, number> }) =>
      Math.max(0, sum(during) - sum(background)) / SQL_SAMPLE;

    const operationRows =
      (await app.services.prisma.auditEvent.count({ where: { action: 'OPERATION' } })) - operationsBefore;
    if (operationRows !== staffViewRequests)
      failures.push(`${operationRows} OPERATION audit records for ${staffViewRequests} staff-view requests`);

    const rate = (kind: keyof typeof totals) => (totals[kind].pageLoads / totals[kind].ms) * 1000;
    const latency = (kind: keyof typeof totals, p: number) =>
      percentile(
        [...totals[kind].latencies].sort((a, b) => a - b),
        p,
      );
    const pageLoadsPerSec = rate('staffView');
    const customerPageLoadsPerSec = rate('customer');
    const sameQueryPageLoadsPerSec = rate('sameQuery');
    console.log('');
    const cpuPerPage = (kind: keyof typeof totals) => totals[kind].cpuMs / totals[kind].pageLoads;
    console.log('kind        page loads/s   p50 ms   p99 ms   KB/page   server CPU ms/page   SQL/page');
    for (const kind of ['staffView', 'customer'] as const) {
      const { during, background } = statements[kind];
      const detail = [...during].map(([k, n]) => `${k} ${fmt(n / SQL_SAMPLE, 1)}`).join(', ');
      console.log(
        `${kind.padEnd(10)}  ${fmt(rate(kind), 1).padStart(12)}  ${fmt(latency(kind, 50), 2).padStart(7)}  ` +
          `${fmt(latency(kind, 99), 2).padStart(7)}  ${fmt(totals[kind].bytes / 1024, 1).padStart(8)}  ` +
          `${fmt(cpuPerPage(kind), 2).padStart(19)}  ${fmt(perPage(statements[kind]), 1).padStart(9)} ` +
          `(with background: ${detail}; background alone ${fmt(sum(background) / SQL_SAMPLE, 2)})`,
      );
    }
    console.log(
      `${'sameQuery'.padEnd(10)}  ${fmt(sameQueryPageLoadsPerSec, 1).padStart(12)}  ${fmt(latency('sameQuery', 50), 2).padStart(7)}  ` +
        `${fmt(latency('sameQuery', 99), 2).padStart(7)}  ${fmt(totals.sameQuery.bytes / 1024, 1).padStart(8)}  ` +
        `${fmt(cpuPerPage('sameQuery'), 2).padStart(19)}  (the staff view sending the customer's request)`,
    );
    console.log(
      `overhead ratio, same queries (staff view / customer): ${fmt(sameQueryPageLoadsPerSec / customerPageLoadsPerSec, 3)}; ` +
        `the client's pages (staff view's page / customer's page): ${fmt(pageLoadsPerSec / customerPageLoadsPerSec, 3)}; ` +
        `audit: ${operationRows} OPERATION records for ${staffViewRequests} staff-view requests`,
    );
    for (const failure of failures) console.error(`!!! pageload: ${failure}`);
    return {
      pageLoadsPerSec: Number(pageLoadsPerSec.toFixed(1)),
      customerPageLoadsPerSec: Number(customerPageLoadsPerSec.toFixed(1)),
      sqlPerPage: Number(perPage(statements.staffView).toFixed(2)),
      customerSqlPerPage: Number(perPage(statements.customer).toFixed(2)),
      overheadRatio: Number((sameQueryPageLoadsPerSec / customerPageLoadsPerSec).toFixed(3)),
      overheadRatioClientPages: Number((pageLoadsPerSec / customerPageLoadsPerSec).toFixed(3)),
      serverCpuMsPerPage: Number(cpuPerPage('staffView').toFixed(2)),
      customerServerCpuMsPerPage: Number(cpuPerPage('customer').toFixed(2)),
      pageLoadP50Ms: Number(latency('staffView', 50).toFixed(2)),
      pageLoadP99Ms: Number(latency('staffView', 99).toFixed(2)),
      pageKB: Number((totals.staffView.bytes / 1024).toFixed(1)),
      postsPerPage: loads.staffView.bodies.length,
      pageloadDatabase: database,
      pageloadQuick: options.quick,
      pageloadHttpClient: httpClient,
      pageloadOk: failures.length === 0,
    };
  } finally {
    worker.close();
    await app.close();
  }
}
