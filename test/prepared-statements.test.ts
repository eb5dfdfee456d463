// Prisma's statements go to PostgreSQL as named prepared statements (DATABASE_PREPARED_STATEMENTS,
// server/db/database.ts), so each text is parsed and planned once per connection; with the setting
// off (a pooler that cannot carry them) none is prepared. PostgreSQL only: the embedded database
// never uses them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from './harness.ts';

const PREPARED = 'SELECT name, statement FROM pg_prepared_statements';

/** The statements prepared on the connection Prisma uses, after the same portal read twice. */
async function preparedAfterReads(app: TestApp) {
  const token = await app.signIn('chloe');
  for (let i = 0; i < 2; i += 1) await app.gql('{ me { name pets { name } } }', {}, token);
  // Sequential calls on an idle pool reuse one connection: this reads that connection's statements.
  return app.services.prisma.$queryRawUnsafe<{ name: string; statement: string }[]>(PREPARED);
}

describe.skipIf(!process.env.DATABASE_URL)('Named prepared statements', () => {
  let on: TestApp;
  let off: TestApp;

  beforeAll(async () => {
    on = await startTestApp();
    off = await startTestApp({ config: { DATABASE_PREPARED_STATEMENTS: false } });
  });

  afterAll(async () => {
    await Promise.all([on?.close(), off?.close()]);
  });

  test('a portal read is prepared once under a name derived from its text', async () => {
    const prepared = await preparedAfterReads(on);
    const named = prepared.filter((row) => /^s[\w-]{27}$/.test(row.name));
    expect(named.length).toBeGreaterThan(0);
    expect(new Set(named.map((row) => row.statement)).size).toBe(named.length);
  });

  test('with the setting off nothing is prepared by name (unauthorized to prepare)', async () => {
    const prepared = await preparedAfterReads(off);
    expect(prepared.filter((row) => /^s[\w-]{27}$/.test(row.name))).toEqual([]);
  });
});
