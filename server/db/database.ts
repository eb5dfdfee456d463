// Opens the app's database: the given PostgreSQL URL, or the embedded one when there is none.
// Migrates it, and hands out one Prisma client and one raw `pg` pool over the same connection
// settings (the pool serves the audit writer's hash-chain transaction and the migrations).
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';
import pg from 'pg';
import { startEmbeddedDatabase } from './embedded.ts';
import { applyMigrations } from './migrate.ts';

export interface DatabaseOptions {
  /** A PostgreSQL URL; when absent an embedded database is started. */
  url?: string;
  /** Data folder of the embedded database; omitted means in memory. */
  dataDir?: string;
  /** PostgreSQL schema to use (tests use a fresh one per file). @default "public" */
  schema?: string;
}

export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  url: string;
  schema: string;
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const embedded = options.url ? undefined : await startEmbeddedDatabase(options.dataDir);
  const url = options.url ?? embedded!.url;
  const schema = options.schema ?? 'public';
  const poolConfig: pg.PoolConfig = { connectionString: url, options: `-c search_path="${schema}"`, max: 10 };
  const pool = new pg.Pool(poolConfig);
  const client = await pool.connect();
  try {
    if (schema !== 'public') await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await applyMigrations(client);
  } finally {
    client.release();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(poolConfig, { schema }) });
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
