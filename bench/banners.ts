// `npm run bench -- --scenario=banners [--quick]`: live banners and forced termination.
//
// The server (bench/banners-server.ts) runs in its own process on the PostgreSQL of DATABASE_URL
// (a fresh schema, dropped at the end), on the database clock, with the spec's tick (1 s). It
// inserts one live impersonation session per banner (one staff member each: one active session per
// staff member) in SQL. Client processes (bench/banners-clients.ts, at most 5,000 sockets each)
// open one graphql-ws socket per session and subscribe to the client's StaffViewStatus banner.
//
// Measured: tick lag (client receive time minus the event's serverTime, corrected for the
// server's clock offset), the spread of the interval between two ticks of one socket, server RSS
// and heap per connection (after GC), forced terminations one at a time while every other banner
// ticks (end event after the change was published, i.e. after the commit; socket closed after the
// end event arrived), and the server's memory and event-loop utilization after the clients left.
// Beside the lag, the event-loop delay max of the server and of each client process while measured:
// a lag spike is a stall of one of them (docs/BENCHMARKS.md: the server's are major GCs).
//
// Knobs (env): BENCH_BANNERS (10,000; quick 250), BENCH_BANNER_MEASURE_MS (10,000; quick 2,000),
// BENCH_NEAR_END_EVERY (6: one banner in six in its last minutes; 1: all), BENCH_MEMORY_SETTLE_MS
// (2,000; quick 250: RSS is read that long after the GCs), BENCH_SERVER_NODE_FLAGS (node flags of
// the server process, e.g. --trace-gc or --cpu-prof), BENCH_HEAP_SNAPSHOT=<prefix> (a heap snapshot
// at each memory reading), BENCH_BANNER_DEBUG=1 (server stalls over 80 ms, each client's slow ticks),
// BENCH_HEAP_SAMPLE=<file> / BENCH_CPU_SAMPLE=<file> (what outlived the young generation / a CPU
// profile, over the measured window only: bench/banners-server.ts).
import { spawn, execSync, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { percentile } from './load.ts';

const SOCKETS_PER_CLIENT_PROCESS = 5000;
const TERMINATE = `mutation Terminate($id: ID!) {
  terminateImpersonation(sessionId: $id, reason: "Benchmark: forced termination") { id endState }
}`;

interface Child {
  process: ChildProcess;
  call<T = any>(message: Record<string, unknown>): Promise<T>;
}

function fileLimits(): { soft: number; hard: number } {
  const [soft, hard] = execSync('ulimit -Sn; ulimit -Hn', { shell: '/bin/sh', encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => (line.trim() === 'unlimited' ? Number.POSITIVE_INFINITY : Number(line)));
  return { soft: soft!, hard: hard! };
}

/** A TypeScript module in a child process with its soft file-descriptor limit raised to `files`. */
function startChild(module: string, files: number, gc: boolean): Child {
  const path = fileURLToPath(new URL(module, import.meta.url));
  // BENCH_SERVER_NODE_FLAGS (e.g. --cpu-prof) are passed to the server process only.
  const extra = gc ? (process.env.BENCH_SERVER_NODE_FLAGS ?? '') : '';
  const flags = ['--import tsx', gc ? '--expose-gc' : '', extra].join(' ');
  // BENCH_CLIENT_NICE: the load generators' niceness (the server keeps the box's priority).
  const nice = !gc && process.env.BENCH_CLIENT_NICE ? `nice -n ${Number(process.env.BENCH_CLIENT_NICE)}` : '';
  const child: ChildProcess = spawn(
    '/bin/sh',
    ['-c', `ulimit -Sn ${files} 2>/dev/null; exec ${nice} "${process.execPath}" ${flags} "${path}"`],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  let nextId = 0;
  const pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.result);
  });
  // A watchdog's process.exit must not leave the server or the clients running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.on('exit', (code) => {
    process.off('exit', killOnExit);
    for (const waiter of pending.values()) waiter.reject(new Error(`${module} exited with ${code}`));
    pending.clear();
  });
  return {
    process: child,
    call: (message) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        child.send({ ...message, id });
      }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const MB = 1024 * 1024;

function stats(values: number[]) {
  const sorted = Float64Array.from(values).sort();
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN };
}

interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  gc: boolean;
}

/** Runs the scenario; `quick` uses 250 banners, a 2 s measurement and 10 terminations (`--quick` stays under 60 s). */
export async function runBannersBench(options: { quick: boolean }): Promise<Record<string, number | string | boolean>> {
  const subscribers = Number(process.env.BENCH_BANNERS ?? (options.quick ? 250 : 10_000));
  const measureMs = Number(process.env.BENCH_BANNER_MEASURE_MS ?? (options.quick ? 2000 : 10_000));
  // How long after its GCs the server reads RSS (bench/banners-server.ts, memory()).
  const settleMs = Number(process.env.BENCH_MEMORY_SETTLE_MS ?? (options.quick ? 250 : 2000));
  // The spec's tick rule: every second in the last 5 minutes, every 30 s before. With sessions of
  // 30 minutes evenly spread in age, 1 in 6 is in its last 5 minutes (BENCH_NEAR_END_EVERY=6);
  // BENCH_NEAR_END_EVERY=1 puts every banner in its last minutes (a tick each second each).
  const nearEndEvery = Number(process.env.BENCH_NEAR_END_EVERY ?? 6);
  const isNearEnd = (index: number) => nearEndEvery > 0 && (index + 1) % nearEndEvery === 0;
  // Terminated: sessions with 30 minutes left (a near-end one expires 4 min 50 s after setup).
  const targets = Array.from({ length: subscribers }, (_, index) => index).filter(
    (index) => nearEndEvery === 1 || !isNearEnd(index),
  );
  const terminations = Math.min(options.quick ? 10 : 100, targets.length);
  if (!process.env.DATABASE_URL) console.warn('NOTE: no DATABASE_URL: embedded PGlite, figures are not comparable.');
  // BENCH_BANNER_INSTANCES: server processes of one deployment (one database, one Redis), the sockets
  // spread over them in turn. A full run uses two when it can (REDIS_URL and DATABASE_URL set): the
  // deployment docs/ARCHITECTURE.md names for 10,000 banners on a box of two cores.
  const canShare = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);
  const instances = Math.max(1, Number(process.env.BENCH_BANNER_INSTANCES ?? (options.quick || !canShare ? 1 : 2)));
  if (instances > 1 && !canShare) throw new Error('BENCH_BANNER_INSTANCES > 1 needs DATABASE_URL and REDIS_URL');
  if (!options.quick && instances === 1 && !canShare)
    console.warn('NOTE: no REDIS_URL: one server instance (a full run uses two with REDIS_URL set).');

  const limits = fileLimits();
  const clientProcesses = Math.max(1, Math.ceil(subscribers / SOCKETS_PER_CLIENT_PROCESS));
  const perProcess = Math.ceil(subscribers / clientProcesses);
  const wanted = { server: Math.ceil(subscribers / instances) + 1024, client: perProcess + 256 };
  const raise = (n: number) => Math.min(n, limits.hard);
  console.log(
    `File descriptors: soft ${limits.soft}, hard ${limits.hard}; server raised to ${raise(wanted.server)}, ` +
      `${clientProcesses} client process(es) of <= ${perProcess} sockets raised to ${raise(wanted.client)}`,
  );
  if (limits.hard < wanted.server) console.warn(`WARNING: the hard limit ${limits.hard} is below ${wanted.server}`);

  const servers = Array.from({ length: instances }, () =>
    startChild('./banners-server.ts', raise(wanted.server), true),
  );
  const server = servers[0]!;
  const clients = Array.from({ length: clientProcesses }, () =>
    startChild('./banners-clients.ts', raise(wanted.client), false),
  );
  try {
    const setupStarted = performance.now();
    const setup = await server.call<{
      url: string;
      wsUrl: string;
      tokens: string[];
      sessionIds: string[];
      managerToken: string;
      clockOffsetMs: number;
      instance: unknown;
    }>({ cmd: 'setup', count: subscribers, nearEndEvery });
    const joined = await Promise.all(
      servers
        .slice(1)
        .map((other, i) =>
          other.call<{ wsUrl: string; clockOffsetMs: number }>({ cmd: 'join', beside: setup.instance, index: i + 1 }),
        ),
    );
    const wsUrls = [setup.wsUrl, ...joined.map((j) => j.wsUrl)];
    console.log(
      `Server${instances > 1 ? `s (${instances} instances)` : ''} up with ${subscribers} live sessions in ` +
        `${round(performance.now() - setupStarted, 0)} ms (clock offset ${round(setup.clockOffsetMs, 2)} ms)`,
    );
    // Summed over the instances (one process each).
    const everyServer = <T>(message: Record<string, unknown>) => Promise.all(servers.map((s) => s.call<T>(message)));
    const memory = async (): Promise<Memory> => {
      const each = await everyServer<Memory>({ cmd: 'mem', settleMs });
      const sum = (key: 'rss' | 'heapUsed' | 'heapTotal' | 'external') => each.reduce((total, m) => total + m[key], 0);
      return {
        rss: sum('rss'),
        heapUsed: sum('heapUsed'),
        heapTotal: sum('heapTotal'),
        external: sum('external'),
        gc: each.every((m) => m.gc),
      };
    };
    const cpu = async () => {
      const each = await everyServer<{ cpuMs: number; wallMs: number; loopDelayMaxMs: number }>({ cmd: 'cpu' });
      return {
        cpuMs: each.reduce((total, c) => total + c.cpuMs, 0),
        wallMs: each[0]!.wallMs,
        loopDelayMaxMs: Math.max(...each.map((c) => c.loopDelayMaxMs)),
      };
    };
    const baseline = await memory();

    const connectStarted = performance.now();
    const shares = clients.map((_, i) => setup.tokens.slice(i * perProcess, (i + 1) * perProcess));
    const connected = await Promise.all(
      clients.map((client, i) =>
        client.call<{ connected: number; failed: number; firstError: string | null }>({
          cmd: 'connect',
          wsUrls,
          tokens: shares[i],
          clockOffsetsMs: [setup.clockOffsetMs, ...joined.map((j) => j.clockOffsetMs)],
          concurrency: 32,
        }),
      ),
    );
    const connectedCount = connected.reduce((sum, c) => sum + c.connected, 0);
    const connectMs = performance.now() - connectStarted;
    console.log(
      `${connectedCount}/${subscribers} banners subscribed in ${round(connectMs / 1000, 1)} s ` +
        `(${round((connectedCount / connectMs) * 1000, 0)}/s)` +
        (connected.some((c) => c.failed) ? `; first failure: ${connected.find((c) => c.firstError)?.firstError}` : ''),
    );

    await sleep(options.quick ? 500 : 2000);
    const cpuBefore = await cpu();
    const clockOffsetsMs = await everyServer<number>({ cmd: 'offset' });
    const measured = await Promise.all(
      clients.map((client) =>
        client.call<{
          lags: number[];
          intervals: number[];
          messages: number;
          errors: number;
          slow: [number, number][];
          maxLoopDelayMs: number;
        }>({
          cmd: 'measure',
          ms: measureMs,
          clockOffsetsMs,
        }),
      ),
    );
    const lag = stats(measured.flatMap((m) => m.lags));
    if (process.env.BENCH_BANNER_DEBUG)
      for (const [i, m] of measured.entries())
        console.error(
          `client ${i}: loop delay max ${round(m.maxLoopDelayMs)} ms; ${m.slow.length} ticks > 50 ms`,
          m.slow.length ? `from ${m.slow[0]![0] % 100000} to ${m.slow.at(-1)![0] % 100000}` : '',
          JSON.stringify(m.slow.slice(0, 8)),
        );
    // Between two ticks of a banner in its last minutes (a far banner's interval is 30 s).
    const jitter = stats(
      measured.flatMap((m) =>
        m.intervals.filter((interval) => interval < 15_000).map((interval) => Math.abs(interval - 1000)),
      ),
    );
    const cpuAfter = await cpu();
    const ticks = measured.reduce((sum, m) => sum + m.messages, 0);
    const ticksPerSec = (ticks / measureMs) * 1000;
    // Server CPU time (all threads) per tick delivered: less sensitive to a shared machine than the lag.
    const cpuUsPerTick = ((cpuAfter.cpuMs - cpuBefore.cpuMs) * 1000) / Math.max(1, ticks);
    const serverCpuPct = ((cpuAfter.cpuMs - cpuBefore.cpuMs) / (cpuAfter.wallMs - cpuBefore.wallMs)) * 100;
    const loaded = await memory();
    const kbPerConn = (loaded.rss - baseline.rss) / 1024 / Math.max(1, connectedCount);
    const heapKbPerConn = (loaded.heapUsed - baseline.heapUsed) / 1024 / Math.max(1, connectedCount);

    // Forced terminations, one at a time, while every other banner keeps ticking.
    const endAfterCommit: number[] = [];
    const endAfterSend: number[] = [];
    const closeAfterEnd: number[] = [];
    const problems: string[] = [];
    const watched: { sessionId: string; instance: number; sentAt: number; endAt: number; closeAt: number }[] = [];
    // The manager's requests: one connection of its own, closed before the clients leave.
    const manager = new Pool(new URL(setup.url).origin, { connections: 1 });
    for (let n = 0; n < terminations; n++) {
      const i = targets[n]!;
      const process = Math.floor(i / perProcess);
      const index = i - process * perProcess;
      const watching = clients[process]!.call<{
        instance: number;
        endAt?: number;
        closeAt?: number;
        closeCode?: number;
        closeReason?: string;
        state?: string;
        endReason?: string;
        endAfterClose?: boolean;
      }>({ cmd: 'watch', index, timeoutMs: 5000 });
      await sleep(20);
      const sentAt = performance.timeOrigin + performance.now();
      const response = await manager.request({
        path: new URL(setup.url).pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${setup.managerToken}` },
        body: JSON.stringify({ query: TERMINATE, variables: { id: setup.sessionIds[i] } }),
      });
      const body = (await response.body.json()) as { data?: { terminateImpersonation?: { endState: string } } };
      if (body.data?.terminateImpersonation?.endState !== 'TERMINATED')
        problems.push(`terminate ${i}: ${JSON.stringify(body).slice(0, 200)}`);
      const seen = await watching;
      if (seen.endAt === undefined || seen.closeAt === undefined || seen.state !== 'TERMINATED') {
        problems.push(`termination ${i}: ${JSON.stringify(seen)}`);
        continue;
      }
      if (seen.endAfterClose) problems.push(`termination ${i}: end event after the close`);
      if (seen.closeCode !== 4403) problems.push(`termination ${i}: close code ${seen.closeCode}`);
      watched.push({
        sessionId: setup.sessionIds[i]!,
        instance: seen.instance,
        sentAt,
        endAt: seen.endAt,
        closeAt: seen.closeAt,
      });
    }
    const publishedAt = await server.call<(number | null)[]>({
      cmd: 'published',
      sessionIds: watched.map((w) => w.sessionId),
    });
    watched.forEach((w, i) => {
      endAfterSend.push(w.endAt - w.sentAt);
      if (publishedAt[i] != null) endAfterCommit.push(w.endAt - publishedAt[i]!);
      closeAfterEnd.push(w.closeAt - w.endAt);
    });
    // BENCH_BANNER_DEBUG: when the change arrived at the other instances (through Redis).
    const arrivedAt = process.env.BENCH_BANNER_DEBUG
      ? await Promise.all(
          servers
            .slice(1)
            .map((s) => s.call<(number | null)[]>({ cmd: 'arrived', sessionIds: watched.map((w) => w.sessionId) })),
        )
      : [];
    if (arrivedAt.length)
      console.error(
        'arrived after commit at instance 1 p50/p99/max:',
        JSON.stringify(stats(arrivedAt[0]!.flatMap((at, n) => (at === null ? [] : [at - publishedAt[n]!])))),
        'end after arrival (instance 1 sockets) p50/p99/max:',
        JSON.stringify(
          stats(
            watched.flatMap((w, n) =>
              w.instance === 1 && arrivedAt[0]![n] != null ? [w.endAt - arrivedAt[0]![n]!] : [],
            ),
          ),
        ),
      );
    // BENCH_BANNER_DEBUG: the slowest terminations, in order sent, with the instance holding the socket.
    if (process.env.BENCH_BANNER_DEBUG)
      console.error(
        'slowest end events after commit [n, instance, ms, wall at send]:',
        JSON.stringify(
          watched
            .map(
              (w, n) =>
                [n, w.instance, round(w.endAt - (publishedAt[n] ?? NaN)), Math.round(w.sentAt % 100_000)] as const,
            )
            .sort((a, b) => b[2] - a[2])
            .slice(0, 6),
        ),
      );
    const termination = stats(endAfterCommit);
    const fromSend = stats(endAfterSend);
    const socketClose = stats(closeAfterEnd);

    // The manager's connection is closed first: a keep-alive connection left open would be counted
    // among the server's sockets until its idle timeout (about 3 s), and "sockets gone" would read that.
    await manager.close();
    // The clients leave.
    await Promise.all(clients.map((client) => client.call({ cmd: 'closeAll' })));
    const leftAt = performance.now();
    let sockets = Infinity;
    while (performance.now() - leftAt < 30_000) {
      sockets = (await everyServer<number>({ cmd: 'sockets' })).reduce((total, n) => total + n, 0);
      if (sockets === 0) break;
      await sleep(100);
    }
    const socketsGoneMs = performance.now() - leftAt;
    await sleep(options.quick ? 500 : 1000);
    // The busiest instance's event-loop utilization.
    const busyAfterLeave = Math.max(...(await everyServer<number>({ cmd: 'elu', ms: options.quick ? 500 : 2000 })));
    const after = await memory();

    const rows: [string, string][] = [
      [
        'banners subscribed',
        `${connectedCount} (${clientProcesses} client process(es), ${instances} server instance(s))`,
      ],
      [
        'of them in their last minutes (a tick each second)',
        `${Array.from({ length: subscribers }, (_, index) => index).filter(isNearEnd).length} (1 in ${nearEndEvery || '∞'})`,
      ],
      ['ticks received per second', `${round(ticksPerSec, 0)}`],
      [
        'server CPU per tick delivered (µs), server CPU (% of a core)',
        `${round(cpuUsPerTick, 0)}, ${round(serverCpuPct, 0)}%`,
      ],
      ['tick lag p50 / p99 / max (ms)', `${round(lag.p50)} / ${round(lag.p99)} / ${round(lag.max)} (${lag.count})`],
      [
        'event-loop delay max while measured, server / clients (ms)',
        `${round(cpuAfter.loopDelayMaxMs)} / ${measured.map((m) => round(m.maxLoopDelayMs)).join(', ')}`,
      ],
      ['|tick interval - 1 s| p50 / p99 (ms)', `${round(jitter.p50)} / ${round(jitter.p99)}`],
      [
        'server RSS baseline / with clients / after leave (MB)',
        `${round(baseline.rss / MB)} / ${round(loaded.rss / MB)} / ${round(after.rss / MB)}`,
      ],
      [
        'server heap baseline / with clients / after leave (MB)',
        `${round(baseline.heapUsed / MB)} / ${round(loaded.heapUsed / MB)} / ${round(after.heapUsed / MB)}`,
      ],
      ['KB per connection (RSS / heap)', `${round(kbPerConn)} / ${round(heapKbPerConn)}`],
      [
        'server V8 heap reserved / external, with clients (MB)',
        `${round(loaded.heapTotal / MB)} / ${round(loaded.external / MB)}`,
      ],
      [
        'end event after commit p50 / p99 (ms)',
        `${round(termination.p50)} / ${round(termination.p99)} (${termination.count})`,
      ],
      ['end event after the mutation was sent p50 / p99 (ms)', `${round(fromSend.p50)} / ${round(fromSend.p99)}`],
      ['socket closed after end event p50 / p99 (ms)', `${round(socketClose.p50)} / ${round(socketClose.p99)}`],
      ['sockets gone after leave (ms)', `${round(socketsGoneMs, 0)}`],
      [`event-loop utilization ${options.quick ? '0.5-1' : '1-3'} s after leave`, `${round(busyAfterLeave * 100)}%`],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    console.log(
      `\nBanners (${options.quick ? 'quick' : 'full'}, the tick rule: 1 s in the last 5 min, else 30 s; measured ${measureMs / 1000} s):`,
    );
    for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
    if (problems.length) console.log(`Problems (${problems.length}):\n  ${problems.slice(0, 10).join('\n  ')}`);

    return {
      bannerSubscribers: connectedCount,
      bannerInstances: instances,
      bannerNearEndEvery: nearEndEvery,
      bannersQuick: options.quick,
      bannerCpuUsPerTick: round(cpuUsPerTick, 0),
      bannerLagP50Ms: round(lag.p50),
      bannerLagP99Ms: round(lag.p99),
      bannerServerLoopDelayMaxMs: round(cpuAfter.loopDelayMaxMs),
      bannerIntervalJitterP99Ms: round(jitter.p99),
      bannerKBPerConn: round(kbPerConn),
      bannerHeapKBPerConn: round(heapKbPerConn),
      bannerMemoryBaselineMB: round(baseline.rss / MB),
      bannerMemoryWithClientsMB: round(loaded.rss / MB),
      bannerMemoryAfterLeaveMB: round(after.rss / MB),
      bannerHeapBaselineMB: round(baseline.heapUsed / MB),
      bannerHeapAfterLeaveMB: round(after.heapUsed / MB),
      bannerBusyAfterLeavePct: round(busyAfterLeave * 100),
      terminations: termination.count,
      terminationP50Ms: round(termination.p50),
      terminationP99Ms: round(termination.p99),
      terminationFromSendP99Ms: round(fromSend.p99),
      socketCloseP50Ms: round(socketClose.p50),
      socketCloseP99Ms: round(socketClose.p99),
      bannerProblems: problems.length,
    };
  } finally {
    for (const client of clients) client.process.kill();
    // The first instance last: it drops the schema the others use.
    for (const each of [...servers.slice(1), server]) {
      await each.call({ cmd: 'close' }).catch(() => undefined);
      // It exits by itself after closing (and writes its --cpu-prof then); a stuck one is killed.
      const exited = new Promise((resolve) => each.process.once('exit', resolve));
      if (each.process.exitCode === null) await Promise.race([exited, sleep(10_000)]);
      each.process.kill();
    }
  }
}
