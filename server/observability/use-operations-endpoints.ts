// The operations endpoints as a Yoga plugin (onRequest + endResponse, the shape of Yoga's own
// readiness check): GET /health (the process serves), /ready (readiness in health.ts: 503 while the
// database or pub/sub is down, the audit checkpoints are stalled, or while shutting down) and
// /metrics (Prometheus). Registered first: they answer before any other plugin runs, so they are
// neither logged per request nor audited.
import type { Plugin } from 'graphql-yoga';
import type { Services } from '../context.ts';
import type { CheckpointState } from '../audit/checkpoint-health.ts';
import { readiness } from './health.ts';
import type { AppMetrics } from './metrics.ts';

/** The paths this plugin answers (the endpoints below are typed by them), for the HTTP server to hand to Yoga. */
export const OPERATIONS_PATHS = ['/health', '/ready', '/metrics'] as const;

/** Options of {@link useOperationsEndpoints}. */
export interface OperationsEndpointsOptions {
  metrics: AppMetrics;
  /** Whether the instance is shutting down (`/ready` answers 503 from its first moment). */
  draining: () => boolean;
  /** Whether the checkpoint writer keeps the audit log signed (`/ready` answers 503 while stalled). */
  checkpoints?: () => CheckpointState;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });

/** Answers /health, /ready and /metrics (GET), and nothing else. */
export function useOperationsEndpoints(
  services: Pick<Services, 'pool' | 'pubsubStatus'>,
  { metrics, draining, checkpoints }: OperationsEndpointsOptions,
): Plugin {
  const endpoints: Record<(typeof OPERATIONS_PATHS)[number], () => Promise<Response>> = {
    '/health': async () => json(200, { status: 'ok' }),
    '/ready': async () => {
      const status = await readiness(services, draining(), checkpoints?.());
      return json(status.ready ? 200 : 503, status);
    },
    '/metrics': async () => {
      const { body, contentType } = await metrics.scrape();
      return new Response(body, { headers: { 'content-type': contentType } });
    },
  };
  return {
    async onRequest({ request, url, endResponse }) {
      const endpoint = request.method === 'GET' ? endpoints[url.pathname as keyof typeof endpoints] : undefined;
      if (endpoint) endResponse(await endpoint());
    },
  };
}
