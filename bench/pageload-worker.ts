// The page-load generator's process: closed-loop clients, each loading a page (every POST the
// client sends for it, at once, as the browser does), reading every body, checking it, and
// loading the next, until the phase's time is up. A child process of the bench, so the server's
// process CPU time is the server's alone; long-lived, so keep-alive connections carry over from one
// phase to the next.
//
// The HTTP client: undici's Pool (one keep-alive connection per client, the same bytes on the
// wire) by default, or Node's fetch (`PAGELOAD_CLIENT=fetch`, what this bench used before). On two
// cores shared by server, database and generator, fetch's own CPU (WHATWG streams around undici)
// takes about as much as the server: a lighter generator leaves the server the CPU it would have
// on its own box. Both are reported in docs/BENCHMARKS.md.
import { performance } from 'node:perf_hooks';
import { keepAlivePool } from './http-pool.ts';

/** One page load: the POST bodies the client sends for it, with one set of headers. */
export interface PageLoad {
  headers: Record<string, string>;
  bodies: string[];
  /** The page load must show the staff-view session (`currentImpersonation`). */
  staffView: boolean;
}

export interface PageLoadPhase {
  url: string;
  load: PageLoad;
  concurrency: number;
  durationMs: number;
  timeoutMs: number;
  client: 'undici' | 'fetch';
}

export interface PageLoadResult {
  pageLoads: number;
  requests: number;
  failures: number;
  failureSamples: string[];
  elapsedMs: number;
  /** Per page load, ascending (ms). */
  latenciesMs: number[];
  /** Response bytes per page load (mean). */
  bytesPerPage: number;
}

type GqlJson = { data?: Record<string, any> | null; errors?: unknown[] };

/** What one page load must bring, whichever operations carried it. */
function checkPage(answers: { status: number; json: GqlJson }[], staffView: boolean): string | null {
  const data: Record<string, any> = {};
  for (const { status, json } of answers) {
    if (status !== 200) return `HTTP ${status}: ${JSON.stringify(json).slice(0, 200)}`;
    if (json.errors?.length) return `errors: ${JSON.stringify(json.errors).slice(0, 200)}`;
    // Two operations may each bring a part of `me` (the customer's Home and StaffAccess): merged.
    const me = json.data?.me ? { ...data.me, ...json.data.me } : data.me;
    Object.assign(data, json.data, me ? { me } : {});
  }
  if (typeof data.me?.name !== 'string' || !Array.isArray(data.me.invoices)) return 'no header or invoices';
  if (staffView && typeof data.currentImpersonation?.id !== 'string') return 'no staff-view session';
  return null;
}

async function runPhase(phase: PageLoadPhase): Promise<PageLoadResult> {
  const { url, load, concurrency, durationMs, timeoutMs } = phase;
  const latencies: number[] = [];
  const samples = new Set<string>();
  let failures = 0;
  let requests = 0;
  let bytes = 0;
  const fail = (what: string) => {
    failures += 1;
    if (samples.size < 5) samples.add(what.slice(0, 300));
  };
  const target = new URL(url);
  const pool = keepAlivePool(target.origin, concurrency * load.bodies.length);
  const send = async (body: string): Promise<{ status: number; text: string }> => {
    if (phase.client === 'fetch') {
      const response = await fetch(url, {
        method: 'POST',
        headers: load.headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.status, text: await response.text() };
    }
    const response = await pool.request({
      path: target.pathname,
      method: 'POST',
      headers: load.headers,
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return { status: response.statusCode, text: await response.body.text() };
  };
  const post = async (body: string) => {
    const { status, text } = await send(body);
    requests += 1;
    bytes += text.length;
    return { status, json: JSON.parse(text) as GqlJson };
  };
  const started = performance.now();
  const deadline = started + durationMs;
  const client = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const problem = checkPage(await Promise.all(load.bodies.map(post)), load.staffView);
        if (problem) fail(problem);
        else latencies.push(performance.now() - t0);
      } catch (error) {
        fail(`network: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return {
    pageLoads: latencies.length,
    requests,
    failures,
    failureSamples: [...samples],
    elapsedMs: performance.now() - started,
    latenciesMs: latencies.sort((a, b) => a - b),
    bytesPerPage: latencies.length ? bytes / (latencies.length + failures) : 0,
  };
}

process.on('message', (phase: PageLoadPhase) => {
  runPhase(phase).then(
    (result) => process.send!({ result }),
    (error: unknown) => process.send!({ error: String((error as Error)?.stack ?? error) }),
  );
});
