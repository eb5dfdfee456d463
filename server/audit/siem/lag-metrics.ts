// The SIEM stream's lag at /metrics, read from the database at scrape time, so every instance
// reports the stream's state whichever instance sends: what the receiver has not acknowledged
// (records, checkpoints) and how old the oldest such record is. Alert on either staying above zero.
import { Gauge, type Registry } from 'prom-client';
import type { Services } from '../../context.ts';
import { siemStreamName } from './streamer.ts';
import { streamLag } from './stream-cursor.ts';

/** Registers the lag gauges in `registry` when AUDIT_SYSLOG_URL is set. */
export function registerSiemLagMetrics(registry: Registry, services: Pick<Services, 'pool' | 'clock' | 'config'>) {
  const url = services.config.AUDIT_SYSLOG_URL;
  if (!url) return;
  const stream = siemStreamName(url);
  // One read serves both gauges of a scrape.
  let reading: ReturnType<typeof streamLag> | null = null;
  const lag = () => {
    reading ??= streamLag(services.pool, stream).finally(() => setTimeout(() => (reading = null), 0));
    return reading;
  };
  new Gauge({
    name: 'salon_audit_siem_lag_records',
    help: 'Audit items the SIEM (syslog) receiver has not acknowledged yet, by kind (record, checkpoint)',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const { records, checkpoints } = await lag();
      this.set({ kind: 'record' }, records);
      this.set({ kind: 'checkpoint' }, checkpoints);
    },
  });
  new Gauge({
    name: 'salon_audit_siem_lag_seconds',
    help: 'Age of the oldest audit record the SIEM (syslog) receiver has not acknowledged; 0 when caught up',
    registers: [registry],
    async collect() {
      const { oldestCreatedAt } = await lag();
      const age = oldestCreatedAt ? (services.clock.now().getTime() - oldestCreatedAt.getTime()) / 1000 : 0;
      this.set(Math.max(0, age));
    },
  });
}
