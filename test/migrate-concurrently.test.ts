// Instances starting at once on a fresh PostgreSQL database (server/db/migrate.ts): each migration is
// applied once, by whichever instance takes the transaction-scoped lock first, and a later start
// applies nothing. The lock is per transaction, so this also holds behind a transaction-mode pooler.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../server/db/migrate.ts';

const url = process.env.DATABASE_URL;
const database = `migrate_race_${process.pid}`;
let admin: pg.Client;

beforeAll(async () => {
  if (!url) return;
  admin = new pg.Client(url);
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
});
afterAll(async () => {
  if (!url) return;
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
});

describe.skipIf(!url)('Migrations applied by three instances starting at once', () => {
  it('apply every migration exactly once, and a fourth start applies none', async () => {
    const target = new URL(url!);
    target.pathname = `/${database}`;
    const clients = await Promise.all(
      [1, 2, 3].map(async () => {
        const client = new pg.Client(target.toString());
        await client.connect();
        return client;
      }),
    );
    try {
      const results = await Promise.all(clients.map((client) => applyMigrations(client)));
      const applied = results.flatMap((result) => result.applied);
      const { rows } = await clients[0]!.query<{ name: string }>('SELECT name FROM "_app_migrations" ORDER BY name');
      expect(rows.length).toBeGreaterThan(10);
      expect([...applied].sort()).toEqual(rows.map((row) => row.name));
      expect((await applyMigrations(clients[0]!)).applied).toEqual([]);
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });
});
