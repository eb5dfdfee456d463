// Every in-memory instance (a test's, a benchmark's) archives audit months in a folder of its own,
// removed when it closes: a verification starts the live log from the archive's heads, so months one
// instance archived (a benchmark's year of seeded records, signed with its own key) must never reach
// another's. A second instance of one deployment (startTestAppBeside) shares the first's archive.
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp, startTestAppBeside, type TestApp } from './harness.ts';

describe('Audit archive folder of an in-memory instance', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
  });

  it('is its own, shared only with a second instance of the same deployment, and removed at close', async () => {
    const first = await startTestApp();
    apps.push(first);
    const other = await startTestApp();
    const beside = await startTestAppBeside(first);
    apps.push(beside);
    const dir = (app: TestApp) => app.services.config.AUDIT_ARCHIVE_DIR!;
    expect(dir(first)).toBeTruthy();
    expect(dir(other)).not.toBe(dir(first));
    expect(dir(beside)).toBe(dir(first));
    expect(existsSync(dir(other))).toBe(true);
    await other.close();
    expect(existsSync(dir(other))).toBe(false);
  });
});
