// `npm run bench -- --scenario=pageload [--quick]`: page loads per second of the portal's Home, as
// the client really sends it (bench/pageload-pages.ts), under a staff view and as the customer, in
// interleaved rounds, 10 clients, against the PostgreSQL of DATABASE_URL (a fresh schema, dropped at
// the end). The customer has the issue's data size (2 pets, 10 appointments, 8 invoices; the bench
// adds what the demo data lacks).
//
// The headline is CPU per page, which the box's load does not move the way it moves page loads per
// second: the server's (this process's CPU time over the measured rounds; the load generator is a
// child process, so none of it is counted) and PostgreSQL's (the CPU time of the backends serving
// the app's pool, from /proc: bench/backend-cpu.ts), each divided by the page loads of those rounds.
// Then the SQL statements of one page load (sequential page loads; only the statements the
// requests send count: bench/request-statements.ts) and a check that every staff-view operation
// left exactly one audit record.
//
// Knobs (env): PAGELOAD_ROUNDS (4; quick 2), PAGELOAD_ROUND_MS (3000; quick 1000), PAGELOAD_WARMUP_MS
// (5000; quick 800: the staff view's and the customer's each, a quarter for sameQuery),
// PAGELOAD_CONCURRENCY (10), PAGELOAD_CLIENT (undici; `fetch` for Node's fetch). Profile the server with
// `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/index.ts --scenario=pageload`.
import { fork } from 'node:child_process';
import { cpus } from 'node:os';
import { randomBytes } from 'node:crypto';
import { loadPersistedDocuments } from '../server/plugins/use-persisted-operations.ts';
import { startTestApp } from '../test/harness.ts';
import { startSession } from '../test/impersonation-helpers.ts';
import { backendCpu, withApplicationName } from './backend-cpu.ts';
import { percentile } from './load.ts';
import { CUSTOMER, pageLoads, sizeCustomer, type PageKind } from './pageload-pages.ts';
import type { PageLoad, PageLoadPhase, PageLoadResult } from './pageload-worker.ts';
import { requestStatements } from './request-statements.ts';

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

/** Runs the page-load scenario; returns the issue's metrics. */
export async function runPageloadBench(options: {
  quick: boolean;
}): Promise<Record<string, number | string | boolean>> {
  const rounds = positiveInt('PAGELOAD_ROUNDS', options.quick ? 2 : 4);
  const roundMs = positiveInt('PAGELOAD_ROUND_MS', options.quick ? 1000 : 3000);
  const concurrency = positiveInt('PAGELOAD_CONCURRENCY', 10);
  const httpClient = process.env.PAGELOAD_CLIENT === 'fetch' ? 'fetch' : 'undici';
  // Warm-up before anything is measured: the JIT takes about 5 s of load to settle. A quick run
  // keeps 0.8 s to stay under a minute, so its CPU per page reads ~30% above a full run's (8.1-9.3
  // against 6.0-6.7 ms on the same box): judge CPU per page by a full run.
  const warmupMs = Number(process.env.PAGELOAD_WARMUP_MS ?? (options.quick ? 800 : 5000));
  const database = process.env.DATABASE_URL ? 'postgresql' : 'pglite';
  const failures: string[] = [];

  // The app's pool connects under a name of its own, so that PostgreSQL's backends serving it can be found.
  const applicationName = `salon-bench-${randomBytes(4).toString('hex')}`;
  const databaseUrl = process.env.DATABASE_URL;
  const app = await startTestApp(databaseUrl ? { databaseUrl: withApplicationName(databaseUrl, applicationName) } : {});
  const postgresCpu = databaseUrl ? await backendCpu(databaseUrl, applicationName) : null;
  const statements = requestStatements(app.app.httpServer);
  const worker = startLoadProcess();
  try {
    const size = await sizeCustomer(app);
    const { token: staffView } = await startSession(app, await app.signIn('mara'), CUSTOMER);
    const loads = pageLoads({ customer: await app.signIn('chloe'), staffView }, loadPersistedDocuments());
    const kinds = Object.keys(loads) as PageKind[];
    /** The customer's page as the client sends it. */
    const customerPage: PageKind = loads.customerPage ? 'customerPage' : 'customer';
    console.log(
      `pageload: ${database}, Node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model.trim()}); ` +
        `customer with ${size.pets} pets, ${size.appointments} appointments, ${size.invoices} invoices; ` +
        `POSTs per page load: ${kinds.map((kind) => `${kind} ${loads[kind]!.bodies.length}`).join(', ')}; ` +
        `${concurrency} clients (${httpClient}); ${rounds} interleaved rounds of ${roundMs} ms per kind`,
    );

    const operationsBefore = await app.services.prisma.auditEvent.count({ where: { action: 'OPERATION' } });
    let staffViewRequests = 0;
    const phase = async (kind: PageKind, durationMs: number) => {
      const load = loads[kind]!;
      const result = await worker.run({
        url: app.url,
        load,
        concurrency,
        durationMs,
        timeoutMs: 10_000,
        client: httpClient,
      });
      if (kind === 'staffView' || kind === 'sameQuery') staffViewRequests += result.requests;
      if (result.failures)
        failures.push(`${kind}: ${result.failures} failed page loads (${result.failureSamples.join(' | ')})`);
      return result;
    };
    // The staff view and the customer's page each warm their own paths; sameQuery shares the staff view's.
    for (const kind of kinds) await phase(kind, kind === 'staffView' || kind === 'customer' ? warmupMs : warmupMs / 4);

    const total = () => ({ pageLoads: 0, ms: 0, latencies: [] as number[], bytes: 0, cpuMs: 0, sysMs: 0, pgCpuMs: 0 });
    const totals = Object.fromEntries(kinds.map((kind) => [kind, total()])) as Record<
      PageKind,
      ReturnType<typeof total>
    >;
    let pgCpuKnown = postgresCpu !== null;
    for (let round = 0; round < rounds; round += 1) {
      // Each kind first, middle and last in turn.
      const order = kinds.map((_, i) => kinds[(i + round) % kinds.length]!);
      for (const kind of order) {
        const pgWindow = await postgresCpu?.start();
        const cpuBefore = process.cpuUsage();
        const result = await phase(kind, roundMs);
        const cpu = process.cpuUsage(cpuBefore);
        const pgMs = (await pgWindow?.stop()) ?? null;
        if (pgMs === null) pgCpuKnown = false;
        totals[kind].cpuMs += (cpu.user + cpu.system) / 1000;
        totals[kind].sysMs += cpu.system / 1000;
        totals[kind].pgCpuMs += pgMs ?? 0;
        totals[kind].pageLoads += result.pageLoads;
        totals[kind].ms += result.elapsedMs;
        totals[kind].latencies.push(...result.latenciesMs);
        totals[kind].bytes = result.bytesPerPage;
        console.log(
          `  round ${round + 1} ${kind.padEnd(12)} ${fmt((result.pageLoads / result.elapsedMs) * 1000, 0).padStart(5)} page loads/s`,
        );
      }
    }

    // SQL per page: sequential page loads, the requests' own statements (the background jobs' apart).
    const SQL_SAMPLE = options.quick ? 10 : 50;
    const counted = (load: PageLoad) =>
      statements.count(async () => {
        for (let i = 0; i < SQL_SAMPLE; i += 1) {
          await Promise.all(
            load.bodies.map(async (body) => {
              const response = await fetch(app.url, { method: 'POST', headers: load.headers, body });
              await response.text();
            }),
          );
        }
      });
    const sql = { staffView: await counted(loads.staffView!), customer: await counted(loads[customerPage]!) };
    staffViewRequests += SQL_SAMPLE * loads.staffView!.bodies.length;
    const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
    const sqlPerPage = (kind: keyof typeof sql) => sum(sql[kind].requests) / SQL_SAMPLE;

    const operationRows =
      (await app.services.prisma.auditEvent.count({ where: { action: 'OPERATION' } })) - operationsBefore;
    if (operationRows !== staffViewRequests)
      failures.push(`${operationRows} OPERATION audit records for ${staffViewRequests} staff-view requests`);

    const rate = (kind: PageKind) => (totals[kind].pageLoads / totals[kind].ms) * 1000;
    const latency = (kind: PageKind, p: number) =>
      percentile(
        [...totals[kind].latencies].sort((a, b) => a - b),
        p,
      );
    const serverCpu = (kind: PageKind) => totals[kind].cpuMs / totals[kind].pageLoads;
    const pgCpu = (kind: PageKind) => (pgCpuKnown ? totals[kind].pgCpuMs / totals[kind].pageLoads : Number.NaN);
    /** The kernel's part of the server's CPU (socket writes and reads): what fewer syscalls would save. */
    const serverSysCpu = (kind: PageKind) => totals[kind].sysMs / totals[kind].pageLoads;
    const cpuLine = (kind: PageKind) =>
      `${fmt(serverCpu(kind) + pgCpu(kind), 2)} ms (server ${fmt(serverCpu(kind), 2)}, of it kernel ${fmt(serverSysCpu(kind), 2)}, ` +
      `+ PostgreSQL ${fmt(pgCpu(kind), 2)})`;
    console.log('');
    console.log(
      `CPU per page: staff view ${cpuLine('staffView')}; the customer's page ` +
        `(${loads[customerPage]!.bodies.length} request(s)) ${cpuLine(customerPage)}; ` +
        `SQL per page ${fmt(sqlPerPage('staffView'), 1)} / ${fmt(sqlPerPage('customer'), 1)}` +
        (pgCpuKnown ? '' : ' (PostgreSQL CPU unknown: its backends are not processes of this machine)'),
    );
    console.log('kind          page loads/s   p50 ms   p99 ms   KB/page   server / PostgreSQL CPU ms/page');
    for (const kind of kinds) {
      console.log(
        `${kind.padEnd(12)}  ${fmt(rate(kind), 1).padStart(12)}  ${fmt(latency(kind, 50), 2).padStart(7)}  ` +
          `${fmt(latency(kind, 99), 2).padStart(7)}  ${fmt(totals[kind].bytes / 1024, 1).padStart(8)}  ` +
          `${fmt(serverCpu(kind), 2).padStart(8)} / ${fmt(pgCpu(kind), 2)}`,
      );
    }
    for (const kind of ['staffView', 'customer'] as const) {
      const detail = (map: Map<string, number>) =>
        [...map].map(([k, n]) => `${k} ${fmt(n / SQL_SAMPLE, 1)}`).join(', ');
      console.log(
        `SQL per page, ${kind === 'staffView' ? 'staff view' : "the customer's page"}: ${fmt(sqlPerPage(kind), 1)} ` +
          `(${detail(sql[kind].requests)}; background jobs meanwhile: ${sum(sql[kind].background)} statement(s))`,
      );
    }
    const overheadRatio = rate('sameQuery') / rate('customer');
    const clientPagesRatio = rate('staffView') / rate(customerPage);
    console.log(
      `overhead ratio, same queries (staff view / customer): ${fmt(overheadRatio, 3)}; ` +
        `the client's pages (staff view's page / customer's page): ${fmt(clientPagesRatio, 3)}; ` +
        `audit: ${operationRows} OPERATION records for ${staffViewRequests} staff-view requests`,
    );
    for (const failure of failures) console.error(`!!! pageload: ${failure}`);
    const two = (value: number) => (Number.isFinite(value) ? Number(value.toFixed(2)) : null!);
    return {
      cpuMsPerPage: two(serverCpu('staffView') + pgCpu('staffView')),
      serverCpuMsPerPage: two(serverCpu('staffView')),
      serverKernelCpuMsPerPage: two(serverSysCpu('staffView')),
      pgCpuMsPerPage: two(pgCpu('staffView')),
      customerCpuMsPerPage: two(serverCpu(customerPage) + pgCpu(customerPage)),
      customerServerCpuMsPerPage: two(serverCpu(customerPage)),
      customerPgCpuMsPerPage: two(pgCpu(customerPage)),
      customerPostsPerPage: loads[customerPage]!.bodies.length,
      pageLoadsPerSec: Number(rate('staffView').toFixed(1)),
      customerPageLoadsPerSec: Number(rate('customer').toFixed(1)),
      ...(loads.customerPage ? { customerClientPageLoadsPerSec: Number(rate('customerPage').toFixed(1)) } : {}),
      sqlPerPage: Number(sqlPerPage('staffView').toFixed(2)),
      customerSqlPerPage: Number(sqlPerPage('customer').toFixed(2)),
      overheadRatio: Number(overheadRatio.toFixed(3)),
      overheadRatioClientPages: Number(clientPagesRatio.toFixed(3)),
      pageLoadP50Ms: Number(latency('staffView', 50).toFixed(2)),
      pageLoadP99Ms: Number(latency('staffView', 99).toFixed(2)),
      pageKB: Number((totals.staffView.bytes / 1024).toFixed(1)),
      postsPerPage: loads.staffView!.bodies.length,
      pageloadDatabase: database,
      pageloadQuick: options.quick,
      pageloadHttpClient: httpClient,
      pageloadOk: failures.length === 0,
    };
  } finally {
    worker.close();
    statements.restore();
    await postgresCpu?.close();
    await app.close();
  }
}
