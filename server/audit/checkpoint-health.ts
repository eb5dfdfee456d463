// Whether the checkpoint writer keeps the log signed, for `/ready`, the metrics and the error log: the
// time since the log was last known fully signed (a checkpoint stored, or nothing left to sign), and
// why ticks failed. Past 3 intervals without a signature, while its ticks fail or one hangs, the
// writer is stalled: `/ready` is degraded (health.ts) and `salon_audit_checkpoint_stalled` is 1,
// whatever holds it off (a lock, a refusal, the database). A clock that jumps ahead (a manual one in
// tests) between two good ticks is not a stall: the next tick signs.
import { Counter, Gauge, Registry } from 'prom-client';
import type { Clock } from '../db/clock.ts';

/** Whether the log is being signed: `stalled` past 3 checkpoint intervals without. */
export type CheckpointState = 'ok' | 'stalled';

/** Why a tick of the writer stored no checkpoint. */
export type CheckpointFailure = 'lock_timeout' | 'refused' | 'error';

/** The writer's health, as it records it and as `/ready` and `/metrics` read it. */
export interface CheckpointHealth {
  /** A tick begins. */
  attempt(): void;
  /** The log is signed up to now (a checkpoint stored, or none needed). */
  signed(): void;
  failed(reason: CheckpointFailure): void;
  /** Milliseconds since the log was last known fully signed. */
  unsignedMs(): number;
  state(): CheckpointState;
  /** The writer's metrics, merged into the app's at /metrics. */
  registry: Registry;
}

/** How many intervals without a signature make the writer stalled. */
export const STALLED_AFTER_INTERVALS = 3;

/** The health of one writer, timed on `clock` (the database clock; a manual one in tests). */
export function createCheckpointHealth(clock: Clock, intervalMs: number): CheckpointHealth {
  let signedAt = clock.now().getTime();
  /** A tick failed since the last signature. */
  let failing = false;
  /** When the tick in flight began (monotonic time, unmoved by clock jumps); null: none in flight. */
  let attemptStartedAt: number | null = null;
  const unsignedMs = () => Math.max(0, clock.now().getTime() - signedAt);
  const hanging = () => attemptStartedAt !== null && performance.now() - attemptStartedAt > intervalMs;
  const state = (): CheckpointState =>
    unsignedMs() > STALLED_AFTER_INTERVALS * intervalMs && (failing || hanging()) ? 'stalled' : 'ok';
  const registry = new Registry();
  new Gauge({
    name: 'salon_audit_checkpoint_unsigned_seconds',
    help: `Seconds since this instance last saw the audit log fully signed by a checkpoint; alert above ${(STALLED_AFTER_INTERVALS * intervalMs) / 1000} (3 intervals)`,
    registers: [registry],
    collect() {
      this.set(unsignedMs() / 1000);
    },
  });
  new Gauge({
    name: 'salon_audit_checkpoint_stalled',
    help: '1 while the checkpoint writer has not signed the log for more than 3 intervals (/ready is 503)',
    registers: [registry],
    collect() {
      this.set(state() === 'stalled' ? 1 : 0);
    },
  });
  const failures = new Counter({
    name: 'salon_audit_checkpoint_failures_total',
    help: 'Checkpoint writer ticks that stored no checkpoint: lock_timeout (held off), refused (records do not match), error',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  for (const reason of ['lock_timeout', 'refused', 'error'] as const) failures.inc({ reason }, 0);
  return {
    attempt() {
      attemptStartedAt ??= performance.now();
    },
    signed() {
      signedAt = clock.now().getTime();
      failing = false;
      attemptStartedAt = null;
    },
    failed(reason) {
      failures.inc({ reason });
      failing = true;
      attemptStartedAt = null;
    },
    unsignedMs,
    state,
    registry,
  };
}
