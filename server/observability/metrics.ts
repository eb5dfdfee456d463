// Prometheus metrics served at /metrics: Yoga's and Envelop's own (HTTP and phase durations,
// errors; @graphql-yoga/plugin-prometheus) and the salon's: active impersonation sessions,
// refusals by error code, audit write latency, notification outbox rows by status. The audit
// histogram is process-wide (the audit writer is a plain function, see audit/chain.ts); the rest
// belongs to one app instance, so that two apps in one process (tests) report their own.
import { NotificationOutboxStatus } from '@prisma/client';
import { liveSessionWhere } from '../impersonation/policy.ts';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Services } from '../context.ts';
import { isSocketOperation } from '../request-info.ts';
import { processRegistry } from './process-metrics.ts';
import { registerSiemLagMetrics } from '../audit/siem/lag-metrics.ts';

let processMetricsCollected = false;

/** The Prometheus metrics of one instance and the Yoga plugins that feed them. */
export interface AppMetrics {
  /** Yoga plugins: Prometheus tracing and the refusal counter. */
  plugins: Plugin[];
  /** The text exposition of every metric, and its content type. */
  scrape(): Promise<{ body: string; contentType: string }>;
}

/** Creates the metrics: Yoga's own plus active sessions, refusals by code and audit write time. */
export function createAppMetrics(
  services: Pick<Services, 'prisma' | 'pool' | 'clock' | 'config'>,
  /** Registries of the app's own jobs (the checkpoint writer's health), merged in at scrape. */
  jobRegistries: Registry[] = [],
): AppMetrics {
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
  new Gauge({
    name: 'salon_notification_outbox_rows',
    help: 'Staff-access notification outbox rows by status (all instances: read at scrape time); FAILED gave up',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await services.prisma.notificationOutbox.groupBy({ by: ['status'], _count: { _all: true } });
      for (const status of Object.values(NotificationOutboxStatus)) {
        this.set({ status }, counts.find((row) => row.status === status)?._count._all ?? 0);
      }
    },
  });
  registerSiemLagMetrics(registry, services);
  const refusals = new Counter({
    name: 'salon_graphql_refusals_total',
    help: 'GraphQL errors answered over HTTP, and subscriptions refused over WebSocket, by extensions.code',
    labelNames: ['code'] as const,
    registers: [registry],
  });

  const count = (errors: readonly GraphQLError[] | undefined) => {
    for (const error of errors ?? []) refusals.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
  };
  const countRefusals: Plugin = {
    onResultProcess({ result }) {
      for (const single of Array.isArray(result) ? result : [result]) {
        if (!single || Symbol.asyncIterator in single) continue;
        count(single.errors as GraphQLError[] | undefined);
      }
    },
    // A graphql-ws subscription's refusal (an HTTP one is a result processed above). Its events are
    // not hooked: a hook per event costs every tick of every banner.
    onSubscribe({ args }) {
      if (!isSocketOperation(args.contextValue)) return;
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result))
            count((result as ExecutionResult).errors as GraphQLError[] | undefined);
        },
      };
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
          // Errors of every phase but subscriptions': counting those hooks every event of every
          // subscription (a handler per event and a wrapping iterator whose pending promise each socket
          // holds between two events: ~0.5 KB promoted per banner tick, docs/BENCHMARKS.md, issue 26).
          // A subscription refused over graphql-ws is counted in salon_graphql_refusals_total instead.
          graphql_envelop_error_result: ['parse', 'validate', 'context', 'execute'],
        },
      }),
      countRefusals,
    ],
    async scrape() {
      const merged = Registry.merge([registry, processRegistry, ...jobRegistries]);
      return { body: await merged.metrics(), contentType: merged.contentType };
    },
  };
}
