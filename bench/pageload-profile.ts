// One page kind's server CPU per page, and optionally its CPU profile, over the measured window only
// (the warm-up is not in it): for before/after comparisons of a change to the request path, run
// side by side with the old tree in a worktree (docs/BENCHMARKS.md, issue 26 third session).
//
//   DATABASE_URL=… KIND=staffView|customer|sameQuery [MS=8000] [WARMUP_MS=6000] [PROFILE=0] \
//     npx tsx bench/pageload-profile.ts
//
// Writes /tmp/prof-<KIND><TAG>.cpuprofile (sampled every 200 µs) unless PROFILE=0; summarise it with
// bench/profile-top.ts. HEAP=1 also writes /tmp/heap-<KIND><TAG>.heapprofile: what the pages left
// to the old generation over the window (bench/heap-sampling.ts; summarise it with bench/heap-top.ts).
// The load generator is bench/pageload-worker.ts in a child process, 10 clients.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadPersistedDocuments } from '../server/plugins/use-persisted-operations.ts';
import { startTestApp } from '../test/harness.ts';
import { startSession } from '../test/impersonation-helpers.ts';
import { CUSTOMER, pageLoads, sizeCustomer, type PageKind } from './pageload-pages.ts';
import { startSurvivorSampling, writeSurvivorSample } from './heap-sampling.ts';
import type { PageLoadPhase, PageLoadResult } from './pageload-worker.ts';

const kind = (process.env.KIND ?? 'staffView') as PageKind;
const profiling = process.env.PROFILE !== '0';
const worker = fork(new URL('./pageload-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
const run = (phase: PageLoadPhase) =>
  new Promise<PageLoadResult>((resolve, reject) => {
    worker.once('message', (message: { result?: PageLoadResult; error?: string }) =>
      message.result ? resolve(message.result) : reject(new Error(message.error)),
    );
    worker.send(phase);
  });

const app = await startTestApp({ databaseUrl: process.env.DATABASE_URL, config: { LOG_LEVEL: 'warn' } });
try {
  await sizeCustomer(app);
  const { token } = await startSession(app, await app.signIn('mara'), CUSTOMER);
  const loads = pageLoads({ customer: await app.signIn('chloe'), staffView: token }, loadPersistedDocuments());
  const load = loads[kind];
  if (!load) throw new Error(`no page kind ${kind}`);
  const phase = (durationMs: number): PageLoadPhase => ({
    url: app.url,
    load,
    concurrency: 10,
    durationMs,
    timeoutMs: 10_000,
    client: 'undici',
  });
  await run(phase(Number(process.env.WARMUP_MS ?? 6000)));
  const inspector = new Session();
  inspector.connect();
  if (profiling) {
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
    await inspector.post('Profiler.start');
  }
  const heap = process.env.HEAP === '1';
  if (heap) await startSurvivorSampling(inspector);
  const before = process.cpuUsage();
  const result = await run(phase(Number(process.env.MS ?? 8000)));
  const cpu = process.cpuUsage(before);
  if (profiling) {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(`/tmp/prof-${kind}${process.env.TAG ?? ''}.cpuprofile`, JSON.stringify(profile));
  }
  if (heap) await writeSurvivorSample(inspector, `/tmp/heap-${kind}${process.env.TAG ?? ''}.heapprofile`);
  if (result.failures) throw new Error(`${result.failures} failed page loads: ${result.failureSamples.join(' | ')}`);
  const ms = (cpu.user + cpu.system) / 1000 / result.pageLoads;
  console.log(`${kind}: ${result.pageLoads} page loads, server CPU ${ms.toFixed(2)} ms per page`);
} finally {
  worker.kill();
  await app.close();
}
