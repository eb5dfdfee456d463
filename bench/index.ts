// `npm run bench`: throughput and latency of the portal home query over real HTTP (loopback,
// keep-alive fetch), as the customer and under impersonation (each request appends a
// hash-chained audit row before it is answered), and of a refused mutation under impersonation;
// then the whole audit chain is verified and its OPERATION rows are counted against the
// impersonated requests sent.
//
// The real app runs in this process (test/harness.ts): an in-memory embedded PGlite by default,
// a fresh schema in the PostgreSQL of DATABASE_URL otherwise (dropped at the end). The load
// generator runs in a worker thread so it does not share the server's event loop. PGlite runs
// one query at a time for every connection: only PostgreSQL numbers are throughput figures.
//
// Knobs (env): BENCH_WARMUP_MS (1000), BENCH_MEASURE_MS (3000), BENCH_CONCURRENCY ("1,8"),
// BENCH_TIMEOUT_MS (5000, per request).
// Prints a table, then one JSON line (the last line of stdout). Exit 1 on any failed check.
//
// `npm run bench -- --scenario=load200 [--quick]` runs the 200-client scenario instead (load200.ts);
// `--scenario=audit-writes [--quick]` the audit write micro-benchmark (audit-writes.ts);
// `--scenario=audit-query [--quick]` the audit log's queries over 1M records (audit-query.ts).
// `--scenario=banners [--quick]` live banners and forced termination (banners.ts).
// `--scenario=pageload [--quick]` staff-view and customer Home page loads (pageload.ts).
// `--scenario=retention [--quick]` archiving and dropping a month of 1M audit records (retention.ts).
// `npm run bench -- --quick` (no scenario) runs every scenario's quick mode, one JSON line at the end (quick.ts).
// The server processes' heap settings (the app runs in this process for most scenarios).
import '../server/heap.ts';
import { cpus } from 'node:os';
import { monitorEventLoopDelay, performance, type EventLoopUtilization } from 'node:perf_hooks';
import pg from 'pg';
import { verifyAuditLog } from '../server/audit/verify.ts';
import { startTestApp, type TestApp } from '../test/harness.ts';
import { startSession } from '../test/impersonation-helpers.ts';
import { runAuditWritesBench } from './audit-writes.ts';
import { runAuditQueryBench } from './audit-query.ts';
import { runBannersBench } from './banners.ts';
import { runLoad200 } from './load200.ts';
import { runQuickBench } from './quick.ts';
import { runPageloadBench } from './pageload.ts';
import { runRetentionBench } from './retention.ts';
import { startTsWorker } from './ts-worker.ts';
import { mean, percentile, type Expectation, type PhaseRequest, type PhaseResult } from './load.ts';

const HARD_LIMIT_MS = 58_000;
/** Event-loop delay sampling period (ms); the histogram includes it, so it is subtracted. */
const ELD_RESOLUTION_MS = 5;

const DATABASE = process.env.DATABASE_URL ? 'postgresql' : 'pglite';

const positiveInt = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
const WARMUP_MS = positiveInt('BENCH_WARMUP_MS', 1000);
const MEASURE_MS = positiveInt('BENCH_MEASURE_MS', 3000);
const TIMEOUT_MS = positiveInt('BENCH_TIMEOUT_MS', 5000);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,8').split(',').map((part) => {
  const value = Number(part.trim());
  if (!Number.isInteger(value) || value <= 0) throw new Error('BENCH_CONCURRENCY must list positive integers');
  return value;
});

const PORTAL_HOME = `query PortalHome {
  me { name pets { name } appointments(upcoming: true) { startsAt service { name } } invoices { number totalCents status } }
}`;
const SEND_MESSAGE = 'mutation SendMessage($body: String!) { sendMessage(body: $body) { id } }';

interface Scenario {
  name: string;
  /** Sent with an impersonation token: each request must leave exactly one OPERATION row. */
  impersonated: boolean;
  headers: Record<string, string>;
  body: string;
  expect: Expectation;
}

function scenario(
  name: string,
  token: string,
  impersonated: boolean,
  query: string,
  variables: object | undefined,
  expect: Expectation,
): Scenario {
  return {
    name,
    impersonated,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      'user-agent': 'salon-bench',
    },
    body: JSON.stringify({ query, variables }),
    expect,
  };
}

/** The load generator's worker thread (TypeScript loaded through tsx's API, as in the main thread). */
function startLoadWorker() {
  const worker = startTsWorker(new URL('./load-worker.ts', import.meta.url));
  let pending: { resolve: (result: PhaseResult) => void; reject: (error: Error) => void } | null = null;
  worker.on('message', (message: { result?: PhaseResult; error?: string }) => {
    const current = pending;
    pending = null;
    if (message.result) current?.resolve(message.result);
    else current?.reject(new Error(`load worker: ${message.error}`));
  });
  worker.on('error', (error) => {
    pending?.reject(error);
    pending = null;
  });
  return {
    run(request: PhaseRequest): Promise<PhaseResult> {
      if (pending) throw new Error('one phase at a time');
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        worker.postMessage(request);
      });
    },
    close: () => worker.terminate(),
  };
}

/** Times every raw query of the app's root Prisma client (in the request path: the audit append). */
function instrumentTransactions(app: TestApp) {
  const prisma = app.services.prisma as unknown as { $queryRaw: (...args: unknown[]) => Promise<unknown> };
  const original = prisma.$queryRaw.bind(prisma);
  let sink: number[] | null = null;
  prisma.$queryRaw = (...args: unknown[]) => {
    if (!sink) return original(...args);
    const into = sink;
    const t0 = performance.now();
    return original(...args).finally(() => into.push(performance.now() - t0));
  };
  return {
    collect(into: number[] | null) {
      sink = into;
    },
  };
}

interface LockStats {
  samples: number;
  meanWaiting: number;
  maxWaiting: number;
  /** Share of samples in which some backend held the audit chain lock. */
  heldFraction: number;
}

/**
 * PostgreSQL only: samples (every 20 ms) the backends of this database waiting for a lock, and
 * those running an audit append (the shards' head-row locks, migration 0010).
 */
function lockSampler(app: TestApp, enabled: boolean) {
  let samples: { waiting: number; held: number }[] = [];
  let timer: NodeJS.Timeout | null = null;
  let inFlight = false;
  const sample = async () => {
    if (inFlight) return;
    inFlight = true;
    try {
      const { rows } = await app.services.pool.query<{ waiting: number; held: number }>(
        `SELECT count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS waiting,
                count(*) FILTER (WHERE state = 'active' AND query LIKE '%append_audit_event%')::int AS held
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      samples.push(rows[0]!);
    } catch {
      // best effort
    } finally {
      inFlight = false;
    }
  };
  return {
    start() {
      samples = [];
      if (enabled) timer = setInterval(() => void sample(), 20);
    },
    stop(): LockStats | null {
      if (timer) clearInterval(timer);
      timer = null;
      if (!samples.length) return null;
      return {
        samples: samples.length,
        meanWaiting: mean(samples.map((s) => s.waiting)),
        maxWaiting: Math.max(...samples.map((s) => s.waiting)),
        heldFraction: samples.filter((s) => s.held > 0).length / samples.length,
      };
    },
  };
}

/**
 * Counts the SQL statements sent over every `pg` connection of this process (Prisma's adapter
 * and the raw pool use the same `pg` module): `query` of pg's Client is wrapped once, counting
 * only while a sink is set. Statements are grouped by their first keyword (SELECT, INSERT, BEGIN…).
 */
function statementCounter() {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let sink: Map<string, number> | null = null;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (sink) {
      const first = args[0];
      const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
      const keyword = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '?';
      sink.set(keyword, (sink.get(keyword) ?? 0) + 1);
    }
    return original.apply(this, args);
  };
  return {
    /** Sends `count` requests one after the other; returns statements per request, by keyword. */
    async measure(url: string, current: Scenario, count: number) {
      const into = new Map<string, number>();
      sink = into;
      try {
        for (let i = 0; i < count; i += 1) {
          const response = await fetch(url, { method: 'POST', headers: current.headers, body: current.body });
          await response.text();
        }
      } finally {
        sink = null;
      }
      const total = [...into.values()].reduce((a, b) => a + b, 0);
      return {
        perRequest: total / count,
        byKeyword: Object.fromEntries([...into].map(([keyword, n]) => [keyword, n / count])),
      };
    },
  };
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const round = (value: number, digits = 2) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : null);

function databaseLabel(): string {
  const url = process.env.DATABASE_URL;
  if (!url) return 'embedded PGlite (in-memory, WASM, on the server thread)';
  try {
    const parsed = new URL(url);
    return `PostgreSQL at ${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}

interface Cell {
  scenario: Scenario;
  concurrency: number;
  phase: PhaseResult;
  rps: number;
  newConnections: number;
  /** Audit append transactions, ascending (ms). */
  auditTx: number[];
  lock: LockStats | null;
  /** Server (main) thread. */
  eventLoopP99Ms: number;
  eventLoopUtilization: number;
  /** Whole process (server, database if embedded, load worker), 100 = one core. */
  cpuPercent: number;
}

async function main(): Promise<number> {
  const runStarted = performance.now();
  const failures: string[] = [];

  const app = await startTestApp();
  const load = startLoadWorker();
  try {
    const { rows } = await app.services.pool.query<{ server_version: string }>('SHOW server_version');
    const startupMs = performance.now() - runStarted;
    console.log(
      `Database: ${databaseLabel()}, server ${rows[0]!.server_version}${app.schema ? `, schema ${app.schema} (dropped at the end)` : ''}`,
    );
    if (DATABASE === 'pglite') {
      console.log(
        'NOTE: PGlite serializes every connection (one query at a time): these numbers are NOT throughput figures.',
      );
      console.log('      Set DATABASE_URL to a PostgreSQL to measure throughput.');
    }
    console.log(
      `Node ${process.version}, ${cpus().length} CPU(s) (${cpus()[0]?.model.trim()}); server on the main thread, load generator on a worker thread.`,
    );
    console.log(`App at ${app.url} (startup incl. migrations + seed: ${fmt(startupMs, 0)} ms)`);
    console.log(
      `Per cell: warm-up ${WARMUP_MS} ms, then measurement ${MEASURE_MS} ms; concurrency ${CONCURRENCY.join(', ')}; keep-alive fetch.\n`,
    );

    const chloe = await app.signIn('chloe');
    const mara = await app.signIn('mara');
    const { token: impersonation } = await startSession(app, mara, 'chloe@example.test');

    const scenarios: Scenario[] = [
      scenario('home (customer chloe)', chloe, false, PORTAL_HOME, undefined, 'home'),
      scenario('home (impersonated, audited)', impersonation, true, PORTAL_HOME, undefined, 'home'),
      scenario(
        'sendMessage refused (imp.)',
        impersonation,
        true,
        SEND_MESSAGE,
        { body: 'Benchmark message' },
        'refused',
      ),
    ];

    const operationsBefore = await app.services.prisma.auditEvent.count({ where: { action: 'OPERATION' } });
    let impersonatedSent = 0;
    const sentPerScenario = new Map<Scenario, number>();
    let connections = 0;
    app.app.httpServer.on('connection', () => void (connections += 1));
    const transactions = instrumentTransactions(app);
    const sampler = lockSampler(app, DATABASE === 'postgresql');
    const cells: Cell[] = [];

    const phase = async (current: Scenario, concurrency: number, durationMs: number, label: string) => {
      const result = await load.run({
        url: app.url,
        headers: current.headers,
        body: current.body,
        expect: current.expect,
        concurrency,
        durationMs,
        timeoutMs: TIMEOUT_MS,
      });
      if (current.impersonated) {
        impersonatedSent += result.sent;
        sentPerScenario.set(current, (sentPerScenario.get(current) ?? 0) + result.sent);
      }
      if (result.failures)
        failures.push(
          `${current.name} c=${concurrency} ${label}: ${result.failures} of ${result.sent} failed (${result.failureSamples.join(' | ')})`,
        );
      return result;
    };

    outer: for (const current of scenarios) {
      for (const concurrency of CONCURRENCY) {
        if (performance.now() - runStarted + WARMUP_MS + MEASURE_MS + TIMEOUT_MS > HARD_LIMIT_MS - 8_000) {
          failures.push('time budget exhausted: remaining cells skipped (lower BENCH_MEASURE_MS / BENCH_WARMUP_MS)');
          break outer;
        }
        await phase(current, concurrency, WARMUP_MS, 'warm-up');

        const connectionsBefore = connections;
        const auditTx: number[] = [];
        transactions.collect(auditTx);
        sampler.start();
        const loopDelay = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
        loopDelay.enable();
        const eluBefore: EventLoopUtilization = performance.eventLoopUtilization();
        const cpuBefore = process.cpuUsage();
        const result = await phase(current, concurrency, MEASURE_MS, 'measurement');
        const cpu = process.cpuUsage(cpuBefore);
        const elu = performance.eventLoopUtilization(eluBefore);
        loopDelay.disable();
        const lock = sampler.stop();
        transactions.collect(null);

        if (current.impersonated && auditTx.length !== result.sent) {
          failures.push(
            `${current.name} c=${concurrency}: ${auditTx.length} audit transactions for ${result.sent} requests`,
          );
        }
        cells.push({
          scenario: current,
          concurrency,
          phase: result,
          rps: (result.requests / result.elapsedMs) * 1000,
          newConnections: connections - connectionsBefore,
          auditTx: auditTx.sort((a, b) => a - b),
          lock,
          eventLoopP99Ms: Math.max(0, loopDelay.percentile(99) / 1e6 - ELD_RESOLUTION_MS),
          eventLoopUtilization: elu.utilization,
          cpuPercent: ((cpu.user + cpu.system) / 1000 / result.elapsedMs) * 100,
        });
      }
    }

    // SQL statements per request (sequential requests, lock sampler off; background timers may
    // add a statement now and then).
    const statements = statementCounter();
    const STATEMENT_SAMPLE = 50;
    const statementCounts: { scenario: string; perRequest: number; byKeyword: Record<string, number> }[] = [];
    for (const current of scenarios) {
      const counted = await statements.measure(app.url, current, STATEMENT_SAMPLE);
      if (current.impersonated) {
        impersonatedSent += STATEMENT_SAMPLE;
        sentPerScenario.set(current, (sentPerScenario.get(current) ?? 0) + STATEMENT_SAMPLE);
      }
      statementCounts.push({ scenario: current.name, ...counted });
    }

    // The table.
    const header = [
      'scenario',
      'conc',
      'reqs',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'fail',
      'new conn',
      'audit tx p50/p95',
      'lock wait avg/max',
      'lock held',
      'srv ELU',
      'srv ELD p99',
      'CPU',
    ];
    const lines = cells.map((c) => [
      c.scenario.name,
      String(c.concurrency),
      String(c.phase.requests),
      fmt(c.rps, 0),
      fmt(percentile(c.phase.latenciesMs, 50), 2),
      fmt(percentile(c.phase.latenciesMs, 95), 2),
      fmt(percentile(c.phase.latenciesMs, 99), 2),
      fmt(c.phase.latenciesMs[c.phase.latenciesMs.length - 1] ?? Number.NaN, 2),
      String(c.phase.failures),
      String(c.newConnections),
      c.auditTx.length ? `${fmt(percentile(c.auditTx, 50), 2)}/${fmt(percentile(c.auditTx, 95), 2)}` : '-',
      c.lock && c.scenario.impersonated ? `${fmt(c.lock.meanWaiting, 2)}/${c.lock.maxWaiting}` : '-',
      c.lock && c.scenario.impersonated ? `${fmt(c.lock.heldFraction * 100, 0)}%` : '-',
      `${fmt(c.eventLoopUtilization * 100, 0)}%`,
      fmt(c.eventLoopP99Ms, 1),
      `${fmt(c.cpuPercent, 0)}%`,
    ]);
    const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
    const row = (cols: string[]) =>
      cols.map((col, i) => (i === 0 ? col.padEnd(widths[i]!) : col.padStart(widths[i]!))).join('  ');
    console.log(row(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const line of lines) console.log(row(line));
    console.log(
      [
        '',
        'latency = client-side, request sent to body read; new conn = HTTP connections opened during the measurement;',
        "audit tx = the app's audit append (one append_audit_event statement: live check, shard head lock, insert), in ms;",
        'lock wait/held = backends of the database waiting for any lock / share of the time an audit append runs,',
        'sampled every 20 ms (PostgreSQL only); srv ELU/ELD p99 = server thread event-loop utilization / delay (ms);',
        'CPU = whole process (server, embedded database, load worker), 100% = one core.',
      ].join('\n'),
    );

    console.log('');
    for (const counted of statementCounts) {
      const parts = Object.entries(counted.byKeyword)
        .map(([keyword, n]) => `${keyword} ${fmt(n, 1)}`)
        .join(', ');
      console.log(
        `SQL statements per request, ${counted.scenario}: ${fmt(counted.perRequest, 1)} (${parts}; ${STATEMENT_SAMPLE} sequential requests)`,
      );
    }

    // What the audit costs: impersonated vs customer, per concurrency.
    const find = (s: Scenario, concurrency: number) =>
      cells.find((c) => c.scenario === s && c.concurrency === concurrency);
    const auditCost = CONCURRENCY.flatMap((concurrency) => {
      const base = find(scenarios[0]!, concurrency);
      const audited = find(scenarios[1]!, concurrency);
      if (!base || !audited) return [];
      const holdMs =
        audited.lock && audited.auditTx.length
          ? (audited.lock.heldFraction * audited.phase.elapsedMs) / audited.auditTx.length
          : Number.NaN;
      return [
        {
          concurrency,
          p50DeltaMs: percentile(audited.phase.latenciesMs, 50) - percentile(base.phase.latenciesMs, 50),
          throughputRatio: audited.rps / base.rps,
          lockHoldMsPerAppend: holdMs,
        },
      ];
    });
    console.log('');
    for (const cost of auditCost) {
      const hold = Number.isFinite(cost.lockHoldMsPerAppend)
        ? `; an audit append runs ~${fmt(cost.lockHoldMsPerAppend, 2)} ms`
        : '';
      console.log(
        `audit cost at c=${cost.concurrency}: ${cost.p50DeltaMs >= 0 ? '+' : ''}${fmt(cost.p50DeltaMs, 2)} ms p50, ` +
          `${fmt(cost.throughputRatio * 100, 0)}% of the unaudited throughput${hold}`,
      );
    }

    // Verify the chain and count the rows (every impersonated response has been received, and
    // each is sent only after its record committed).
    const verifyStarted = performance.now();
    await app.app.auditCheckpoints.checkpointNow();
    const verification = await verifyAuditLog(app.services.pool, {
      publicKey: app.services.auditSigning.key.publicKey,
      checkpointFile: app.services.auditSigning.checkpointFile,
    });
    const verifyMs = performance.now() - verifyStarted;
    const [totalRows, operationsAfter, allowed, denied] = await Promise.all([
      app.services.prisma.auditEvent.count(),
      app.services.prisma.auditEvent.count({ where: { action: 'OPERATION' } }),
      app.services.prisma.auditEvent.count({ where: { action: 'OPERATION', outcome: 'ALLOWED' } }),
      app.services.prisma.auditEvent.count({ where: { action: 'OPERATION', outcome: 'DENIED' } }),
    ]);
    const operationRows = operationsAfter - operationsBefore;
    const sentHome = sentPerScenario.get(scenarios[1]!) ?? 0;
    const sentRefused = sentPerScenario.get(scenarios[2]!) ?? 0;
    console.log(
      `verifyAuditChain: ${verification.checked} rows in ${fmt(verifyMs, 0)} ms = ${fmt((verification.checked / verifyMs) * 1000, 0)} rows/s, ` +
        `${verification.ok ? 'chain intact' : `BROKEN at row ${verification.brokenAtId}: ${verification.problem}`}`,
    );
    console.log(
      `OPERATION rows written: ${operationRows} (ALLOWED ${allowed}, DENIED ${denied}); impersonated requests sent: ${impersonatedSent} ` +
        `(home ${sentHome}, refused sendMessage ${sentRefused}; warm-ups included)`,
    );
    if (!verification.ok)
      failures.push(`audit chain broken at row ${verification.brokenAtId}: ${verification.problem}`);
    if (verification.checked !== totalRows)
      failures.push(`verifyAuditChain checked ${verification.checked} of ${totalRows} rows`);
    if (operationRows !== impersonatedSent)
      failures.push(`${operationRows} OPERATION audit rows for ${impersonatedSent} impersonated requests`);
    if (allowed !== sentHome || denied !== sentRefused) {
      failures.push(
        `ALLOWED/DENIED rows ${allowed}/${denied} for ${sentHome} home / ${sentRefused} refused impersonated requests`,
      );
    }

    const totalMs = performance.now() - runStarted;
    console.log(`HTTP connections opened: ${connections} for ${cells.length} cells (keep-alive; warm-ups open them)`);
    console.log(`Total run time: ${fmt(totalMs / 1000, 1)} s`);
    if (failures.length) {
      console.error(`\n${'!'.repeat(100)}\n!!! BENCHMARK FAILED`);
      for (const failure of failures) console.error(`!!!   ${failure}`);
      console.error(`${'!'.repeat(100)}\n`);
    }

    const summary = {
      bench: 'portal-impersonation-audit',
      ok: failures.length === 0,
      failures,
      database: DATABASE,
      throughputFigures: DATABASE === 'postgresql',
      node: process.version,
      cpus: cpus().length,
      warmupMs: WARMUP_MS,
      measureMs: MEASURE_MS,
      results: cells.map((c) => ({
        scenario: c.scenario.name,
        concurrency: c.concurrency,
        requests: c.phase.requests,
        failures: c.phase.failures,
        rps: round(c.rps, 1),
        p50Ms: round(percentile(c.phase.latenciesMs, 50), 3),
        p95Ms: round(percentile(c.phase.latenciesMs, 95), 3),
        p99Ms: round(percentile(c.phase.latenciesMs, 99), 3),
        maxMs: round(c.phase.latenciesMs[c.phase.latenciesMs.length - 1] ?? Number.NaN, 3),
        newConnections: c.newConnections,
        auditTxP50Ms: c.auditTx.length ? round(percentile(c.auditTx, 50), 3) : null,
        auditTxP95Ms: c.auditTx.length ? round(percentile(c.auditTx, 95), 3) : null,
        lockWaitingMean: c.lock && c.scenario.impersonated ? round(c.lock.meanWaiting, 3) : null,
        lockWaitingMax: c.lock && c.scenario.impersonated ? c.lock.maxWaiting : null,
        lockHeldFraction: c.lock && c.scenario.impersonated ? round(c.lock.heldFraction, 3) : null,
        serverEventLoopUtilization: round(c.eventLoopUtilization, 3),
        serverEventLoopP99Ms: round(c.eventLoopP99Ms, 2),
        processCpuPercent: round(c.cpuPercent, 0),
      })),
      statementsPerRequest: statementCounts.map((counted) => ({
        scenario: counted.scenario,
        perRequest: round(counted.perRequest, 2),
        byKeyword: counted.byKeyword,
      })),
      auditCost: auditCost.map((cost) => ({
        concurrency: cost.concurrency,
        p50DeltaMs: round(cost.p50DeltaMs, 3),
        throughputRatio: round(cost.throughputRatio, 3),
        lockHoldMsPerAppend: round(cost.lockHoldMsPerAppend, 3),
      })),
      verify: {
        ok: verification.ok,
        rows: verification.checked,
        ms: round(verifyMs, 1),
        rowsPerSec: round((verification.checked / verifyMs) * 1000, 0),
        operationRows,
        impersonatedRequests: impersonatedSent,
      },
      totalMs: round(totalMs, 0),
    };
    console.log(JSON.stringify(summary));
    return failures.length ? 1 : 0;
  } finally {
    await load.close();
    await closeWithin(app, 10_000);
  }
}

/** A stalled database (see CONCURRENCY) can keep `close` from finishing: report it, then exit. */
async function closeWithin(app: TestApp, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    app.close().then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  if (!closed) {
    console.error(`!!! BENCHMARK FAILED: the app did not close within ${ms / 1000} s (database connection stalled)`);
    process.exit(1);
  }
}

/** Runs a scenario with a watchdog that aborts the process past `limitMs`; returns the exit code. */
async function withWatchdog(limitMs: number, run: () => Promise<number>): Promise<number> {
  const watchdog = setTimeout(() => {
    console.error(`\n!!! BENCHMARK FAILED: still running after ${limitMs / 1000} s; aborted`);
    process.exit(1);
  }, limitMs);
  watchdog.unref();
  try {
    return await run();
  } catch (error) {
    console.error('\n!!! BENCHMARK FAILED with an error:', error);
    return 1;
  } finally {
    clearTimeout(watchdog);
  }
}

const args = process.argv.slice(2);
const option = (name: string) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const scenarioName = option('scenario') ?? (args.includes('--quick') ? 'quick' : 'portal');
if (scenarioName === 'portal') {
  process.exitCode = await withWatchdog(HARD_LIMIT_MS, main);
} else if (scenarioName === 'load200') {
  const seconds = Number(option('seconds') ?? (args.includes('--quick') ? 15 : 60));
  const clients = Number(option('clients') ?? 200);
  if (!(seconds > 0) || !Number.isInteger(clients) || clients <= 0)
    throw new Error('--seconds must be positive, --clients a positive integer');
  // Setup (a sign-in and a start per client) and the checks take about as long again.
  process.exitCode = await withWatchdog(seconds * 1000 + 240_000, () =>
    runLoad200({ clients, durationMs: seconds * 1000 }),
  );
} else if (scenarioName === 'audit-writes') {
  process.exitCode = await withWatchdog(HARD_LIMIT_MS, async () => {
    const result = await runAuditWritesBench({ quick: args.includes('--quick') });
    console.log(JSON.stringify({ bench: 'audit-writes', ...result }));
    return result.auditWritesVerified === false ? 1 : 0;
  });
} else if (scenarioName === 'audit-query') {
  process.exitCode = await withWatchdog(args.includes('--quick') ? HARD_LIMIT_MS : 1_800_000, async () => {
    console.log(JSON.stringify(await runAuditQueryBench({ quick: args.includes('--quick') })));
    return 0;
  });
} else if (scenarioName === 'banners') {
  const quick = args.includes('--quick');
  process.exitCode = await withWatchdog(quick ? 180_000 : 900_000, async () => {
    const result = await runBannersBench({ quick });
    console.log(JSON.stringify(result));
    return result.bannerProblems === 0 ? 0 : 1;
  });
} else if (scenarioName === 'pageload') {
  process.exitCode = await withWatchdog(240_000, async () => {
    const metrics = await runPageloadBench({ quick: args.includes('--quick') });
    console.log(JSON.stringify(metrics));
    return metrics.pageloadOk ? 0 : 1;
  });
} else if (scenarioName === 'retention') {
  process.exitCode = await withWatchdog(900_000, async () => {
    const result = await runRetentionBench({ quick: args.includes('--quick') });
    console.log(JSON.stringify({ bench: 'retention', ...result }));
    return result.retentionPartitionGone ? 0 : 1;
  });
} else if (scenarioName === 'quick') {
  process.exitCode = await withWatchdog(180_000, runQuickBench);
} else {
  console.error(
    `unknown --scenario=${scenarioName} (portal, load200, audit-writes, audit-query, banners, pageload, retention, quick)`,
  );
  process.exitCode = 2;
}
