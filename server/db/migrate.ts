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

/** Applies the pending migrations, once each, under the migrations advisory lock. */
export async function applyMigrations(client: pg.ClientBase): Promise<MigrationResult> {
  const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  await client.query('SELECT pg_advisory_lock($1)', [AdvisoryLock.Migrations]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS "_app_migrations" (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map(
      (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM "_app_migrations"')).rows.map(
        (row) => [row.name, row.checksum],
      ),
    );
    const applied: string[] = [];
    for (const name of names) {
      const sql = await readFile(`${MIGRATIONS_DIR}${name}/migration.sql`, 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = done.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) throw new Error(`Migration ${name} was edited after it was applied`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO "_app_migrations" (name, checksum) VALUES ($1, $2)', [name, checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(name);
    }
    return { applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [AdvisoryLock.Migrations]);
  }
}
