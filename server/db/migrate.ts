// Applies prisma/migrations/*/migration.sql in name order, once each, inside one transaction per
// migration. The app runs this at start so that neither the embedded database nor a real
// PostgreSQL needs the Prisma CLI (whose migrate engine cannot be downloaded here) at run time.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { AdvisoryLock } from './locks.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

/** The migrations a run applied. */
export interface MigrationResult {
  applied: string[];
}

/**
 * Applies the pending migrations, once each. Every step is one transaction that takes the migrations
 * advisory lock for itself (pg_advisory_xact_lock) and re-reads what is applied under it, so instances
 * starting at once apply each migration once, also behind a transaction-mode pooler (PgBouncer),
 * where a session-level lock could be taken on one server connection and released on another.
 */
export async function applyMigrations(client: pg.ClientBase): Promise<MigrationResult> {
  const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const appliedChecksum = async (name: string) =>
    (await client.query<{ checksum: string }>('SELECT checksum FROM "_app_migrations" WHERE name = $1', [name])).rows[0]
      ?.checksum;
  await locked(client, () =>
    client.query(`CREATE TABLE IF NOT EXISTS "_app_migrations" (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`),
  );
  const applied: string[] = [];
  for (const name of names) {
    const sql = await readFile(`${MIGRATIONS_DIR}${name}/migration.sql`, 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    const ran = await locked(client, async () => {
      const previous = await appliedChecksum(name);
      if (previous !== undefined) {
        if (previous !== checksum) throw new Error(`Migration ${name} was edited after it was applied`);
        return false;
      }
      try {
        await client.query(sql);
      } catch (error) {
        throw new Error(`Migration ${name} failed: ${(error as Error).message}`, { cause: error });
      }
      await client.query('INSERT INTO "_app_migrations" (name, checksum) VALUES ($1, $2)', [name, checksum]);
      return true;
    });
    if (ran) applied.push(name);
  }
  return { applied };
}

/** Runs `step` in one transaction holding the migrations lock until its commit (or rollback). */
async function locked<T>(client: pg.ClientBase, step: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [AdvisoryLock.Migrations]);
    const result = await step();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
