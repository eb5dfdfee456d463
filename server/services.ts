// Opens everything the app shares between requests: database (migrated), database clock and
// pub/sub. Used by the process entry and by the tests alike. Demo data is loaded apart
// (prisma/seed), never by the server.
import { Redis } from 'ioredis';
import { createRateLimits } from './auth/rate-limits.ts';
import type { Config } from './config.ts';
import type { Services } from './context.ts';
import { databaseClock } from './db/clock.ts';
import { openDatabase, type DatabaseOptions } from './db/database.ts';
import { impersonationLimits } from './impersonation/policy.ts';
import { createAppPubSub } from './pubsub.ts';

/** The shared services and how to close them. */
export interface OpenedServices {
  services: Services;
  /** The database URL in use (the embedded socket server's when no DATABASE_URL). */
  databaseUrl: string;
  close(): Promise<void>;
}

/** Opens the database (migrating it), its clock and pub/sub for one app instance. */
export async function openServices(
  config: Config,
  options: { schema?: DatabaseOptions['schema']; inMemory?: boolean; redisChannelPrefix?: string } = {},
): Promise<OpenedServices> {
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: options.inMemory ? undefined : config.DATA_DIR,
    schema: options.schema,
  });
  const clock = await databaseClock(database.pool);
  const redisPrefix = options.redisChannelPrefix ?? config.REDIS_PREFIX;
  const pubsub = createAppPubSub(config.REDIS_URL, redisPrefix);
  const rateLimitRedis = config.REDIS_URL ? await connectRateLimitRedis(config.REDIS_URL) : undefined;
  return {
    services: {
      prisma: database.prisma,
      pool: database.pool,
      pubsub: pubsub.pubsub,
      clock,
      config,
      limits: impersonationLimits(config),
      rateLimits: createRateLimits(config, { redis: rateLimitRedis, prefix: redisPrefix }),
      pubsubStatus: pubsub.status,
    },
    databaseUrl: database.url,
    async close() {
      clock.stop();
      await pubsub.close();
      rateLimitRedis?.disconnect();
      await database.close();
    },
  };
}

/**
 * The rate limits' own connection. Commands fail at once while Redis is down (no offline queue),
 * and the limiter then counts in memory; a Redis that is down at start is not fatal either.
 */
async function connectRateLimitRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { enableOfflineQueue: false, lazyConnect: true, maxRetriesPerRequest: 1 });
  // An outage is already logged by pub/sub, on the same Redis.
  redis.on('error', () => undefined);
  await redis.connect().catch((error: unknown) => {
    console.warn(JSON.stringify({ level: 'warn', event: 'rate_limits.redis_unavailable', error: String(error) }));
  });
  return redis;
}
