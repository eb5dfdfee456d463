// SERVER_PROCESSES > 1: this process only supervises. It forks that many workers, each a whole
// instance of one deployment (server/serve.ts: same DATABASE_URL and REDIS_URL, so sessions,
// revocations, banners' ends and rate limits reach every worker as they reach every instance).
// Node's cluster module owns the listening socket and hands each new connection to the next worker
// in turn (round-robin), so page requests and banner sockets spread over the cores, and each worker
// marks only its share of the sockets' heap: at 10,000 banners on two cores one process's major GC
// stalled its ticks beyond 100 ms in about one 10 s window in ten, two did not (docs/BENCHMARKS.md).
//
// Node's own module rather than a process manager: it is what shares one port between processes
// without a balancer in front, and nothing of it needs to be written but the supervision below.
import cluster, { type Worker } from 'node:cluster';
import type { YogaLogger } from 'graphql-yoga';
import type { Config } from './config.ts';

/** A worker that exits this soon after it was forked counts towards a crash loop. */
const EARLY_EXIT_MS = 10_000;
/** How long the supervisor waits before forking a replacement. */
const RESTART_DELAY_MS = 1000;

/**
 * Forks `SERVER_PROCESSES` workers and keeps that many running: one that exits is replaced after a
 * second, unless the workers keep exiting early (as many early exits in a row as there are
 * workers: a bad setting or an unreachable database), which stops the whole server with exit code 1.
 * SIGTERM or SIGINT is passed to every worker, which drains as a single instance does; the
 * supervisor exits 0 once all have (1 if one did not exit cleanly), or 1 after SHUTDOWN_TIMEOUT_MS
 * and 5 s more, killing the rest. Killed itself (SIGKILL), it leaves no worker behind: a cluster
 * worker exits as soon as its channel to the supervisor closes, without draining.
 */
export function superviseWorkers(config: Pick<Config, 'SERVER_PROCESSES' | 'SHUTDOWN_TIMEOUT_MS'>, log: YogaLogger) {
  const forkedAt = new Map<Worker, number>();
  let earlyExits = 0;
  let stopping = false;
  let exitCode = 0;

  const fork = () => {
    if (stopping) return;
    forkedAt.set(cluster.fork(), Date.now());
  };
  const stop = (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    log.info('shutting down', { signal: reason, workers: forkedAt.size, drainMs: config.SHUTDOWN_TIMEOUT_MS });
    for (const worker of forkedAt.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      log.error('workers did not stop in time; killing them', { workers: forkedAt.size });
      for (const worker of forkedAt.keys()) worker.process.kill('SIGKILL');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 5000).unref();
    if (forkedAt.size === 0) process.exit(exitCode);
  };

  cluster.on('exit', (worker, code, signal) => {
    const started = forkedAt.get(worker) ?? 0;
    forkedAt.delete(worker);
    if (stopping) {
      // A worker whose drain failed (or that was killed) makes the whole stop a failure, as it
      // would a single instance's.
      if (code !== 0 || signal) exitCode = 1;
      if (forkedAt.size === 0) {
        log.info('stopped');
        process.exit(exitCode);
      }
      return;
    }
    earlyExits = Date.now() - started < EARLY_EXIT_MS ? earlyExits + 1 : 0;
    const replaced = earlyExits < config.SERVER_PROCESSES;
    log.error('worker exited', { worker: worker.id, pid: worker.process.pid, code, signal, replaced });
    if (replaced) {
      setTimeout(fork, RESTART_DELAY_MS);
      return;
    }
    log.error('workers keep exiting as they start; stopping', { earlyExits });
    stop('crash loop', 1);
  });

  log.info('supervising workers', { workers: config.SERVER_PROCESSES, pid: process.pid });
  for (let i = 0; i < config.SERVER_PROCESSES; i++) fork();
  process.on('SIGINT', () => stop('SIGINT', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));
}
