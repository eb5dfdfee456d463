// The process-wide metrics, apart from the per-app ones (metrics.ts) so that the writers that feed
// them (the audit chain, the pub/sub transport) import no app context: the audit histogram and the
// count of pub/sub messages dropped unread. metrics.ts merges this registry into each app's.
import { Counter, Histogram, Registry } from 'prom-client';

/** The registry of the process-wide metrics, merged into every app's at /metrics. */
export const processRegistry = new Registry();

/** Time to append one audit record (`result`: written or failed). */
export const auditWriteSeconds = new Histogram({
  name: 'salon_audit_write_duration_seconds',
  help: 'Time to append one audit record to the hash chain',
  labelNames: ['result'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [processRegistry],
});

/**
 * Messages from Redis dropped before any subscriber saw them, by why: `unsigned`, `bad_mac`, `stale`
 * (outside the replay window), `invalid` (signed, but not an event of its topic). Process-wide like
 * the audit histogram: the pub/sub transport is opened before the app's metrics (server/pubsub/).
 */
export const pubsubMessagesDropped = new Counter({
  name: 'salon_pubsub_messages_dropped_total',
  help: 'Pub/sub messages from Redis dropped unread: unsigned, bad_mac, stale or invalid',
  labelNames: ['reason'] as const,
  registers: [processRegistry],
});

/**
 * Staff views started, by scope: `sections` (named portal sections) or `whole_portal` (with a stated
 * need, SPEC 10), so whole-portal views are counted apart and can be alerted on.
 */
export const staffViewStarts = new Counter({
  name: 'salon_staff_view_starts_total',
  help: 'Staff views started, by scope: sections or whole_portal',
  labelNames: ['scope'] as const,
  registers: [processRegistry],
});
