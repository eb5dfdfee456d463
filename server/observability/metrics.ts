// Prometheus metrics served at /metrics: Yoga's and Envelop's own (HTTP and phase durations,
// errors; @graphql-yoga/plugin-prometheus) and the salon's: active impersonation sessions,
// refusals by error code, audit write latency. The audit histogram is process-wide (the audit
// writer is a plain function, see audit/chain.ts); the rest belongs to one app instance, so that
// two apps in one process (tests) report their own.
import { liveSessionWhere } from '../impersonation/policy.ts';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Services } from '../context.ts';

const processRegistry = new Registry();
let processMetricsCollected = false;

/** Time to append one audit record (`result`: written or failed). */
export const auditWriteSeconds = new Histogram({
  name: 'salon_audit_write_duration_seconds',
  help: 'Time to append one audit record to the hash chain',
  labelNames: ['result'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [processRegistry],
});

/** The Prometheus metrics of one instance and the Yoga plugins that feed them. */
export interface AppMetrics {
  /** Yoga plugins: Prometheus tracing and the refusal counter. */
  plugins: Plugin[];
  /** The text exposition of every metric, and its content type. */
  scrape(): Promise<{ body: string; contentType: string }>;
}

/** Creates the metrics: Yoga's own plus active sessions, refusals by code and audit write time. */
export function createAppMetrics(services: Pick<Services, 'prisma' | 'clock'>): AppMetrics {
  if (!processMetricsCollected) {
    collectDefaultMetrics({ register: processRegistry });
    processMetricsCollected = true;
  }
  const registry = new Registry();
  new Gauge({
    name: 'salon_impersonation_sessions_active',
    help: 'Impersonation sessions active now (all instances: read from the database at scrape time)',
    registers: [registry],
    async collect() {
      const now = services.clock.now();
      this.set(await services.prisma.impersonationSession.count({ where: liveSessionWhere(now) }));
    },
  });
  const refusals = new Counter({
    name: 'salon_graphql_refusals_total',
    help: 'GraphQL errors answered over HTTP, by extensions.code',
    labelNames: ['code'] as const,
    registers: [registry],
  });

  const countRefusals: Plugin = {
    onResultProcess({ result }) {
      for (const single of Array.isArray(result) ? result : [result]) {
        if (!single || Symbol.asyncIterator in single) continue;
        for (const error of (single.errors ?? []) as GraphQLError[]) {
          refusals.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
        }
      }
    },
  };

  return {
    plugins: [
      usePrometheus({
        registry,
        endpoint: false,
        metrics: {
          // Both walk or digest every request for nothing here: the schema has no deprecated field, and
          // the summary repeats graphql_envelop_request_duration (a histogram) with a t-digest per
          // observation (docs/BENCHMARKS.md, page load profile).
          graphql_envelop_deprecated_field: false,
          graphql_envelop_request_time_summary: false,
        },
      }),
      countRefusals,
    ],
    async scrape() {
      const merged = Registry.merge([registry, processRegistry]);
      return { body: await merged.metrics(), contentType: merged.contentType };
    },
  };
}
