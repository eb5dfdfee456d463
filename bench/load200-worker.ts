// The clients of the load200 scenario (bench/load200.ts), on their own thread: one closed loop per
// impersonation token, each sending the portal home query until the deadline, and recording every
// request (sent and answered times, request id, whether data came back).
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';

/** What the main thread asks for. */
export interface ClientsRequest {
  url: string;
  body: string;
  tokens: string[];
  durationMs: number;
  timeoutMs: number;
}

/** One request, as columns (structured clone of ~10^5 objects is slow). */
export interface ClientsResult {
  client: number[];
  /** Wall clock (ms since the epoch) when sent and answered. */
  sentAt: number[];
  answeredAt: number[];
  requestId: (string | null)[];
  /** 1: data, 0: answered without data, -1: no answer (network error or timeout). */
  served: number[];
  code: (string | null)[];
  latencyMs: number[];
}

/** Wall-clock milliseconds with sub-millisecond resolution (comparable with database times). */
const wallClock = () => performance.timeOrigin + performance.now();

async function run({ url, body, tokens, durationMs, timeoutMs }: ClientsRequest): Promise<ClientsResult> {
  const result: ClientsResult = {
    client: [],
    sentAt: [],
    answeredAt: [],
    requestId: [],
    served: [],
    code: [],
    latencyMs: [],
  };
  const deadline = performance.now() + durationMs;
  const loop = async (index: number) => {
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json',
      authorization: `Bearer ${tokens[index]}`,
      'user-agent': 'salon-bench-load200',
    };
    while (performance.now() < deadline) {
      const sentAt = wallClock();
      let served = -1;
      let requestId: string | null = null;
      let code: string | null = null;
      try {
        const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
        requestId = response.headers.get('x-request-id');
        const json = (await response.json()) as {
          data?: { me?: unknown } | null;
          errors?: { extensions?: { code?: string } }[];
        };
        served = json.data?.me ? 1 : 0;
        code = json.errors?.[0]?.extensions?.code ?? null;
      } catch (error) {
        code = `network: ${(error as Error).name}`;
      }
      const answeredAt = wallClock();
      result.client.push(index);
      result.sentAt.push(sentAt);
      result.answeredAt.push(answeredAt);
      result.requestId.push(requestId);
      result.served.push(served);
      result.code.push(code);
      result.latencyMs.push(answeredAt - sentAt);
    }
  };
  await Promise.all(tokens.map((_, index) => loop(index)));
  return result;
}

parentPort!.on('message', (request: ClientsRequest) => {
  run(request).then(
    (result) => parentPort!.postMessage({ result }),
    (error: unknown) => parentPort!.postMessage({ error: String((error as Error)?.stack ?? error) }),
  );
});
