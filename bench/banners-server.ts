// The server side of the banners scenario (bench/banners.ts), in its own process so the load
// generators do not share its event loop: the real app (test/harness.ts) on the database clock,
// `count` live impersonation sessions (one staff member each, inserted in SQL), and answers to the
// parent over IPC: memory after GC, open sockets, event-loop utilization, and when each session's
// change was published (just after its transaction committed).
import '../server/heap.ts';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { writeFileSync } from 'node:fs';
import { writeHeapSnapshot } from 'node:v8';
import { startTestApp, type TestApp } from '../test/harness.ts';
import { startSurvivorSampling, writeSurvivorSample } from './heap-sampling.ts';

type Command =
  | { cmd: 'setup'; count: number; nearEndEvery: number }
  | { cmd: 'join'; beside: Instance; index: number }
  | { cmd: 'mem'; settleMs: number }
  | { cmd: 'sockets' }
  | { cmd: 'cpu' }
  | { cmd: 'offset' }
  | { cmd: 'elu'; ms: number }
  | { cmd: 'published'; sessionIds: string[] }
  | { cmd: 'arrived'; sessionIds: string[] }
  | { cmd: 'close' };

const now = () => performance.timeOrigin + performance.now();
const published = new Map<string, number>();
const arrived = new Map<string, number>();
let app: TestApp | undefined;
let snapshots = 0;
// 0 for the first instance; a joined one's files (heap snapshots and samples) end in `-<index>`.
let instanceIndex = 0;
const fileOf = (name: string) => (instanceIndex === 0 ? name : `${name}-${instanceIndex}`);
// The server's own stalls, reported beside the tick lag (the max since the previous 'cpu' reading).
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
// BENCH_BANNER_DEBUG: each stall over 80 ms to stderr, at the process's uptime (as --trace-gc prints it).
if (process.env.BENCH_BANNER_DEBUG) {
  let last = performance.now();
  setInterval(() => {
    const at = performance.now();
    if (at - last > 90)
      console.error(
        `[stall] instance ${instanceIndex}, ${Math.round(at)} ms (wall ${Date.now() % 100_000}): ${Math.round(at - last - 10)} ms late`,
      );
    last = at;
  }, 10).unref();
}

/** What another instance needs to join the first one's deployment (bench/banners.ts, BENCH_BANNER_INSTANCES). */
interface Instance {
  databaseUrl: string;
  schema: string | undefined;
  redisChannelPrefix: string;
  auditSigningKeyFile: string;
  auditArchiveDir: string | undefined;
}

// The app's settings for the bench, the same in every instance.
const BENCH_CONFIG = {
  IMPERSONATION_TICK_MS: 1000,
  LOG_LEVEL: 'warn',
  // Every client socket comes from this one loopback address.
  WS_CONNECTIONS_PER_ADDRESS: 1_000_000,
} as const;

/**
 * Another instance of the first one's deployment (its database schema, Redis channels, signing key
 * and archive), as a second server process behind a balancer: it serves the sockets sent to it and
 * hears every session change through Redis. The first instance drops the schema at the end.
 */
async function join(beside: Instance, index: number) {
  instanceIndex = index;
  app = await startTestApp({
    realClock: true,
    databaseUrl: beside.databaseUrl,
    schema: beside.schema,
    redisChannelPrefix: beside.redisChannelPrefix,
    config: {
      ...BENCH_CONFIG,
      AUDIT_SIGNING_KEY_FILE: beside.auditSigningKeyFile,
      AUDIT_ARCHIVE_DIR: beside.auditArchiveDir,
      SEED_DEMO_DATA: false,
    },
  });
  // BENCH_BANNER_DEBUG: when each session's change arrived here through Redis ('arrived').
  if (process.env.BENCH_BANNER_DEBUG)
    void (async () => {
      for await (const event of app!.services.pubsub.subscribe('impersonation:active'))
        if (event.ended && !arrived.has(event.sessionId)) arrived.set(event.sessionId, now());
    })();
  return { wsUrl: app.wsUrl, clockOffsetMs: app.services.clock.now().getTime() - Date.now() };
}

/**
 * `count` sessions; every `nearEndEvery`-th (none when 0) is in its last minutes from the start (it
 * expires 4 min 50 s after setup, within IMPERSONATION_NEAR_END_MINUTES, so it ticks every second),
 * the others have 30 minutes left (a tick every IMPERSONATION_FAR_TICK_MS): the spec's tick rule.
 */
async function setup(count: number, nearEndEvery: number) {
  const redisChannelPrefix = `bench-${Math.random().toString(36).slice(2)}`;
  app = await startTestApp({ realClock: true, redisChannelPrefix, config: BENCH_CONFIG });
  const { prisma, pubsub, clock } = app.services;
  // When a change leaves lifecycle.ts (after its commit): the reference of the termination latency.
  const publish = pubsub.publish.bind(pubsub) as (...args: unknown[]) => void;
  (pubsub as { publish: unknown }).publish = (...args: unknown[]) => {
    if (args[0] === 'impersonation:session' && typeof args[1] === 'string' && !published.has(args[1]))
      published.set(args[1], now());
    publish(...args);
  };
  const customer = await prisma.customer.findFirstOrThrow({ where: { email: 'chloe@example.test' } });
  const salt = Math.random().toString(36).slice(2);
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Staff" (id, name, email, role, "passwordHash")
     SELECT 'bench-staff-' || i, 'Bench manager ' || i, 'bench' || i || '@salon.test', 'MANAGER', 'x'
     FROM generate_series(1, $1::int) AS i`,
    count,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "ImpersonationSession" (id, "staffId", "customerId", reason, "startedAt", "expiresAt")
     SELECT 'bench-session-' || i, 'bench-staff-' || i, $2, 'Banner load test session', started,
            started + CASE WHEN $4::int > 0 AND i % $4::int = 0 THEN interval '4 minutes 50 seconds' ELSE interval '30 minutes' END
     FROM generate_series(1, $1::int) AS i,
          LATERAL (SELECT ($3::timestamptz AT TIME ZONE 'UTC') - (i % 10007) * interval '7.919 milliseconds' AS started) AS t`,
    count,
    customer.id,
    clock.now().toISOString(),
    nearEndEvery,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "AuthSession" (id, "tokenHash", kind, "staffId", "impersonationSessionId", "createdAt", "expiresAt")
     SELECT 'bench-auth-' || i, encode(sha256(convert_to('bench-' || $2 || '-' || i, 'UTF8')), 'hex'), 'IMPERSONATION',
            'bench-staff-' || i, 'bench-session-' || i, $3::timestamptz AT TIME ZONE 'UTC', ($3::timestamptz AT TIME ZONE 'UTC') + interval '31 minutes'
     FROM generate_series(1, $1::int) AS i`,
    count,
    salt,
    clock.now().toISOString(),
  );
  const tokens = Array.from({ length: count }, (_, i) => `bench-${salt}-${i + 1}`);
  const sessionIds = Array.from({ length: count }, (_, i) => `bench-session-${i + 1}`);
  return {
    url: app.url,
    wsUrl: app.wsUrl,
    tokens,
    sessionIds,
    managerToken: await app.signIn('max'),
    clockOffsetMs: clock.now().getTime() - Date.now(),
    instance: {
      databaseUrl: app.databaseUrl,
      schema: app.schema,
      redisChannelPrefix,
      auditSigningKeyFile: app.services.auditSigning.keyFile,
      auditArchiveDir: app.services.config.AUDIT_ARCHIVE_DIR,
    } satisfies Instance,
  };
}

/**
 * Memory after two full GCs: the heap at once, RSS after a settle. V8 hands the pages a GC freed
 * back to the system from a background thread, so RSS read at once still counts them
 * (BENCH_MEMORY_SETTLE_MS: 2000, quick 1000; in the first runs RSS read at once was 476 MB after the clients
 * left, and 282 MB two seconds later, below the 315 MB baseline).
 */
async function memory(settleMs: number) {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  // BENCH_HEAP_SNAPSHOT=<prefix>: a heap snapshot at each reading (<prefix>-1.heapsnapshot, ...).
  if (process.env.BENCH_HEAP_SNAPSHOT)
    writeHeapSnapshot(`${fileOf(process.env.BENCH_HEAP_SNAPSHOT)}-${++snapshots}.heapsnapshot`);
  const { heapUsed, heapTotal, external } = process.memoryUsage();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return { rss: process.memoryUsage().rss, heapUsed, heapTotal, external, gc: gc !== undefined };
}

// BENCH_HEAP_SAMPLE=<file>: what outlived the young generation over the measured window (between
// the two 'cpu' readings): bench/heap-sampling.ts.
let sampling: Session | null = null;
async function heapSample() {
  const file = process.env.BENCH_HEAP_SAMPLE;
  if (!file) return;
  if (!sampling) {
    sampling = new Session();
    sampling.connect();
    await startSurvivorSampling(sampling);
    return;
  }
  await writeSurvivorSample(sampling, fileOf(file));
  sampling.disconnect();
}

// BENCH_CPU_SAMPLE=<file>: a CPU profile (200 µs sampling) of the measured window only, for
// bench/profile-top.ts (--cpu-prof would also count the setup's inserts and the imports).
let profiling: Session | null = null;
let profiled = false;
async function cpuSample() {
  const file = process.env.BENCH_CPU_SAMPLE;
  if (!file || profiled) return;
  if (!profiling) {
    profiling = new Session();
    profiling.connect();
    await profiling.post('Profiler.setSamplingInterval', { interval: 200 });
    await profiling.post('Profiler.enable');
    await profiling.post('Profiler.start');
    return;
  }
  const { profile } = await profiling.post('Profiler.stop');
  writeFileSync(fileOf(file), JSON.stringify(profile));
  profiling.disconnect();
  profiled = true;
}

async function answer(message: Command): Promise<unknown> {
  switch (message.cmd) {
    case 'setup':
      return setup(message.count, message.nearEndEvery);
    case 'join':
      return join(message.beside, message.index);
    case 'mem':
      return memory(message.settleMs);
    case 'offset':
      return app!.services.clock.now().getTime() - Date.now();
    case 'cpu': {
      await cpuSample();
      await heapSample();
      const usage = process.cpuUsage();
      const loopDelayMaxMs = loopDelay.max / 1e6;
      loopDelay.reset();
      return { cpuMs: (usage.user + usage.system) / 1000, wallMs: performance.now(), loopDelayMaxMs };
    }
    case 'sockets':
      return new Promise((resolve, reject) =>
        app!.app.httpServer.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      );
    case 'elu': {
      const start = performance.eventLoopUtilization();
      await new Promise((resolve) => setTimeout(resolve, message.ms));
      return performance.eventLoopUtilization(start).utilization;
    }
    case 'published':
      return message.sessionIds.map((id) => published.get(id) ?? null);
    case 'arrived':
      return message.sessionIds.map((id) => arrived.get(id) ?? null);
    case 'close':
      await app?.close();
      setImmediate(() => process.exit(0));
      return true;
  }
}

process.on('message', (message: Command & { id: number }) => {
  answer(message).then(
    (result) => process.send!({ id: message.id, result }),
    (error: unknown) => process.send!({ id: message.id, error: String((error as Error)?.stack ?? error) }),
  );
});
