// Liveness and readiness, answered by use-operations-endpoints.ts. `/health`: the process serves
// requests. `/ready`: this instance can serve its users now: the database answers within a
// second, pub/sub is connected, its audit log is being signed (checkpoint-health.ts), and the
// instance is not shutting down. A load balancer takes an instance out of rotation on 503.
import type { CheckpointState } from '../audit/checkpoint-health.ts';
import type { Services } from '../context.ts';

const DATABASE_TIMEOUT_MS = 1000;

/** Whether the instance can serve: database reachable, pub/sub up, log signed, not shutting down. */
export interface Readiness {
  ready: boolean;
  database: 'ok' | 'unreachable' | 'timeout';
  pubsub: 'ready' | 'degraded';
  /** `stalled`: no checkpoint has signed the log for more than 3 intervals. */
  checkpoints: CheckpointState;
  draining: boolean;
}

async function databaseStatus(pool: Services['pool']): Promise<Readiness['database']> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), DATABASE_TIMEOUT_MS);
  });
  const query = pool.query('SELECT 1').then(
    () => 'ok' as const,
    () => 'unreachable' as const,
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Pub/sub `degraded` (Redis down) makes the instance not ready: live session ends would not reach
 * its sockets. Requests themselves stay safe either way (each reads its session from the database).
 * A stalled checkpoint writer makes it not ready too: its records would wait unsigned, where a
 * database administrator can remove them unnoticed (SPEC 11).
 */
export async function readiness(
  services: Pick<Services, 'pool' | 'pubsubStatus'>,
  draining: boolean,
  checkpoints: CheckpointState = 'ok',
): Promise<Readiness> {
  const database = await databaseStatus(services.pool);
  const pubsub = services.pubsubStatus();
  return {
    ready: database === 'ok' && pubsub === 'ready' && checkpoints === 'ok' && !draining,
    database,
    pubsub,
    checkpoints,
    draining,
  };
}
