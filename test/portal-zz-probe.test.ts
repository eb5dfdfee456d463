import { afterAll, beforeAll, test } from 'vitest';
import { startTestApp, type TestApp } from './harness.ts';
let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t?.close(); });
test('probe', async () => {
  console.log(JSON.stringify(await t.gql('{ me { id } }')));
  console.log(JSON.stringify(await t.gql('{ viewer { kind } }', {}, 'forged')));
});
