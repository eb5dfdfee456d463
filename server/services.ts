// Opens everything the app shares between requests: database (migrated), database clock, pub/sub
// and the audit signing key. Used by the process entry and by the tests alike. Demo data is loaded
// apart (prisma/seed), never by the server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditSigning } from './audit/checkpoints.ts';
import { auditSigningFiles, loadSigningKey } from './audit/signing-key.ts';
import { Redis } from 'ioredis';
import { createRateLimits } from './auth/rate-limits.ts';
import type { Config } from './config.ts';
import type { Services } from './context.ts';
import { databaseClock } from './db/clock.ts';
import { openDatabase, type DatabaseOptions } from './db/database.ts';
import { impersonationLimits } from './impersonation/policy.ts';
import { createMailer } from './notifications/mailer.ts';
import { createJsonLogger } from './observability/logger.ts';
import { createAppPubSub, pubsubKey } from './pubsub.ts';

/** The shared services and how to close them. */
export interface OpenedServices {
  services: Services;
  /** The database URL in use (the embedded socket server's when no DATABASE_URL). */
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * The checkpoint signing key and file sink. A production install brings its key; elsewhere one is
 * created next to DATA_DIR, or in a temporary folder (removed on close) for an in-memory database.
 */
async function openAuditSigning(config: Config, inMemory: boolean): Promise<AuditSigning & { close(): Promise<void> }> {
  if (config.NODE_ENV === 'production' && !config.AUDIT_SIGNING_KEY_FILE && !inMemory) {
    throw new Error(
      'AUDIT_SIGNING_KEY_FILE is required in production (an Ed25519 private key PEM, off the database host)',
    );
  }
  const temporary = inMemory ? await mkdtemp(join(tmpdir(), 'salon-audit-')) : undefined;
  const files = auditSigningFiles(config, temporary);
  const key = await loadSigningKey(files.keyFile, {
    create: !config.AUDIT_SIGNING_KEY_FILE,
    privateOnly: config.NODE_ENV === 'production',
  });
  const close = async () => {
    if (temporary) await rm(temporary, { recursive: true, force: true });
  };
  return { key, ...files, close };
}

/** Opens the database (migrating it), its clock, pub/sub and the audit signing key for one app instance. */
export async function openServices(
  config: Config,
  options: { schema?: DatabaseOptions['schema']; inMemory?: boolean; redisChannelPrefix?: string } = {},
): Promise<OpenedServices> {
  // The key first: a production start without one stops before touching the database.
  const { close: closeAuditSigning, ...auditSigning } = await openAuditSigning(config, options.inMemory ?? false);
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: options.inMemory ? undefined : config.DATA_DIR,
    schema: options.schema ?? config.DATABASE_SCHEMA,
    preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
  });
  const clock = await databaseClock(database.pool);
  const redisPrefix = options.redisChannelPrefix ?? config.REDIS_PREFIX;
  const pubsub = createAppPubSub(config.REDIS_URL, redisPrefix, { key: pubsubKey(config) });
  const rateLimitRedis = config.REDIS_URL ? await connectRateLimitRedis(config.REDIS_URL) : undefined;
  // An in-memory database has no data folder: its `.eml` files go to a temporary one, removed at close.
  const mailRoot = options.inMemory && !config.MAIL_DIR ? await mkdtemp(join(tmpdir(), 'salon-mail-')) : undefined;
  // Nor its archived audit months: in DATA_DIR they would be every in-memory instance's (a test's or
  // a benchmark's), and a verification reads the archive's heads as the start of the live log.
  const archiveRoot =
    options.inMemory && !config.AUDIT_ARCHIVE_DIR ? await mkdtemp(join(tmpdir(), 'salon-archive-')) : undefined;
  if (archiveRoot) config = { ...config, AUDIT_ARCHIVE_DIR: archiveRoot };
  const logger = createJsonLogger(config.LOG_LEVEL);
  const mailer = createMailer(config, (line) => logger.info('mail written', line), mailRoot);
  return {
    services: {
      prisma: database.prisma,
      pool: database.pool,
      pubsub: pubsub.pubsub,
      clock,
      config,
      limits: impersonationLimits(config),
      auditSigning,
      rateLimits: createRateLimits(config, { redis: rateLimitRedis, prefix: redisPrefix }),
      pubsubStatus: pubsub.status,
      mailer,
    },
    databaseUrl: database.url,
    async close() {
      clock.stop();
      await pubsub.close();
      rateLimitRedis?.disconnect();
      mailer.close();
      if (mailRoot) await rm(mailRoot, { recursive: true, force: true });
      if (archiveRoot) await rm(archiveRoot, { recursive: true, force: true });
      await database.close();
      await closeAuditSigning();
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
