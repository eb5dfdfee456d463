// A small closed-loop HTTP load generator on Node built-ins: `concurrency` workers each send one
// request, read the whole body, check it, and send the next, until the phase's time is up.
// Requests go through the global `fetch` (undici), which keeps connections alive and opens one
// per in-flight request to an origin, so N workers settle on N sockets after the warm-up.
// It runs in a worker thread (load-worker.ts) so the client does not compete with the server
// for the main thread's event loop.
import { performance } from 'node:perf_hooks';

export type Expectation = 'home' | 'refused';

export interface PhaseRequest {
  url: string;
  headers: Record<string, string>;
  /** JSON request body, serialized once. */
  body: string;
  expect: Expectation;
  concurrency: number;
  durationMs: number;
  /** A request not answered within this is aborted and counted as failed. */
  timeoutMs: number;
}

export interface PhaseResult {
  /** Requests sent (answered or not). */
  sent: number;
  /** Requests answered (latency recorded), failed checks included. */
  requests: number;
  failures: number;
  /** The first few distinct failure descriptions. */
  failureSamples: string[];
  elapsedMs: number;
  /** Ascending. */
  latenciesMs: Float64Array;
}

type GqlJson = {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

const checks: Record<Expectation, (status: number, json: GqlJson) => string | null> = {
  home(status, { data, errors }) {
    if (status !== 200) return `HTTP ${status}: ${JSON.stringify(errors ?? data).slice(0, 200)}`;
    if (errors?.length) return `errors: ${JSON.stringify(errors).slice(0, 200)}`;
    if (typeof data?.me?.name !== 'string' || !Array.isArray(data.me.invoices))
      return `unexpected data: ${JSON.stringify(data).slice(0, 200)}`;
    return null;
  },
  refused(status, { data, errors }) {
    if (status !== 200) return `HTTP ${status}: ${JSON.stringify(errors ?? data).slice(0, 200)}`;
    const code = errors?.[0]?.extensions?.code;
    if (code !== 'FORBIDDEN') return `expected FORBIDDEN, got ${JSON.stringify(errors ?? data).slice(0, 200)}`;
    if (data?.sendMessage) return 'the message was sent under impersonation';
    return null;
  },
};

export async function runPhase(request: PhaseRequest): Promise<PhaseResult> {
  const { url, headers, body, concurrency, durationMs, timeoutMs } = request;
  const check = checks[request.expect];
  const latencies: number[] = [];
  const failureSamples = new Set<string>();
  let failures = 0;
  let sent = 0;
  const fail = (what: string) => {
    failures += 1;
    if (failureSamples.size < 5) failureSamples.add(what.slice(0, 300));
  };

  const started = performance.now();
  const deadline = started + durationMs;
  async function worker() {
    while (performance.now() < deadline) {
      sent += 1;
      const t0 = performance.now();
      let status = 0;
      let text: string;
      try {
        const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
        status = response.status;
        text = await response.text();
      } catch (error) {
        fail(`network: ${(error as Error).message}`);
        continue;
      }
      latencies.push(performance.now() - t0);
      let json: GqlJson;
      try {
        json = JSON.parse(text) as GqlJson;
      } catch {
        fail(`HTTP ${status}: not JSON: ${text.slice(0, 120)}`);
        continue;
      }
      const problem = check(status, json);
      if (problem) fail(problem);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return {
    sent,
    requests: latencies.length,
    failures,
    failureSamples: [...failureSamples],
    elapsedMs: performance.now() - started,
    latenciesMs: Float64Array.from(latencies).sort(),
  };
}

/** Nearest-rank percentile of an ascending array (0 < p <= 100). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) sum += values[i]!;
  return sum / values.length;
}
