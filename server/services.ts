// Opens everything the app shares between requests: database (migrated), database clock and
// pub/sub. Used by the process entry and by the tests alike. Demo data is loaded apart
// (prisma/seed), never by the server.
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
  const pubsub = createAppPubSub(config.REDIS_URL, options.redisChannelPrefix ?? config.REDIS_PREFIX);
  return {
    services: {
      prisma: database.prisma,
      pool: database.pool,
      pubsub: pubsub.pubsub,
      clock,
      config,
      limits: impersonationLimits(config),
    },
    databaseUrl: database.url,
    async close() {
      clock.stop();
      await pubsub.close();
      await database.close();
    },
  };
}
