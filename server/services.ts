// Opens everything the app shares between requests: database (migrated, seeded on first run),
// database clock and pub/sub. Used by the process entry and by the tests alike.
import { impersonationLimits, type Config } from './config.ts';
import type { Services } from './context.ts';
import { databaseClock } from './db/clock.ts';
import { openDatabase, type DatabaseOptions } from './db/database.ts';
import { createAppPubSub } from './pubsub.ts';
import { seedDemoData } from '../prisma/seed.ts';

export interface OpenedServices {
  services: Services;
  /** The database URL in use (the embedded socket server's when no DATABASE_URL). */
  databaseUrl: string;
  seeded: boolean;
  close(): Promise<void>;
}

export async function openServices(
  config: Config,
  options: { schema?: DatabaseOptions['schema']; inMemory?: boolean; redisChannelPrefix?: string } = {},
): Promise<OpenedServices> {
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: options.inMemory ? undefined : config.DATA_DIR,
    schema: options.schema,
  });
  let seeded = false;
  if (config.SEED_DEMO_DATA && (await database.prisma.staff.count()) === 0) {
    await seedDemoData(database.prisma);
    seeded = true;
  }
  const clock = await databaseClock(database.pool);
  const pubsub = createAppPubSub(config.REDIS_URL, options.redisChannelPrefix);
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
    seeded,
    async close() {
      clock.stop();
      await pubsub.close();
      await database.close();
    },
  };
}
