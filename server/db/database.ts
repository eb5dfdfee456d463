// Opens the app's database: the given PostgreSQL URL, or the embedded one (on a private Unix
// socket) when there is none. Migrates it, and hands out one Prisma client over one raw `pg` pool
// (the pool also serves the migrations, the database clock and the tests' direct SQL).
import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import pg from 'pg';
import { startEmbeddedDatabase } from './embedded.ts';
import { applyMigrations } from './migrate.ts';

/** Which database to open. */
export interface DatabaseOptions {
  /** A PostgreSQL URL; when absent an embedded database is started. */
  url?: string;
  /** Data folder of the embedded database; omitted means in memory. */
  dataDir?: string;
  /** PostgreSQL schema to use (tests use a fresh one per file). @default "public" */
  schema?: string;
  /**
   * Named prepared statements for a PostgreSQL URL (DATABASE_PREPARED_STATEMENTS).
   * @default true
   */
  preparedStatements?: boolean;
}

/**
 * A statement's name: a digest of its text, so each text is parsed and planned once per connection
 * and then executed by name (node-postgres keeps the names it prepared on each connection).
 */
export const statementName = (query: { sql: string }) => `s${createHash('sha1').update(query.sql).digest('base64url')}`;

/** An open, migrated database: Prisma and the raw pool over the same connections. */
export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  url: string;
  schema: string;
  close(): Promise<void>;
}

/** Opens (starting the embedded one when no URL is given) and migrates the database. */
export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const embedded = options.url ? undefined : await startEmbeddedDatabase(options.dataDir);
  const url = options.url ?? embedded!.url;
  const schema = options.schema ?? 'public';
  // pglite-socket 0.2 interleaves the extended-protocol messages of concurrent connections on
  // PGlite's single session, so queries of different connections can clobber each other. PGlite
  // runs one query at a time anyway: the embedded database gets exactly one connection, shared
  // by Prisma and the raw pool, and requests queue for it.
  const pool = new pg.Pool({ connectionString: url, options: `-c search_path="${schema}"`, max: embedded ? 1 : 10 });
  const client = await pool.connect();
  try {
    if (schema !== 'public') await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await applyMigrations(client);
  } finally {
    client.release();
  }
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, {
      schema,
      ...(!embedded && options.preparedStatements !== false ? { statementNameGenerator: statementName } : {}),
    }),
    // A transaction merely queued for a connection must not fail: the embedded database has one,
    // and under load (bench load200: 200 clients, 10 connections) a terminateImpersonation waited
    // more than Prisma's default 2 s and failed, leaving the session running.
    transactionOptions: embedded ? { maxWait: 15_000, timeout: 15_000 } : { maxWait: 10_000 },
  });
  return {
    prisma,
    pool,
    url,
    schema,
    async close() {
      await prisma.$disconnect();
      await pool.end();
      await embedded?.stop();
    },
  };
}
