// graphql-http's server audits (GraphQL over HTTP spec conformance) against the real app, in
// process: every MUST audit passes; SHOULD and MAY results are listed in the output only. Run on
// the development mode (the audits send query texts) and on production with
// ALLOW_ARBITRARY_OPERATIONS=true (masking, no introspection, no suggestions), where the one audit
// that probes variables through introspection is expected to be refused.
import { serverAudits, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startTestApp, type TestApp } from './harness.ts';

const apps: Record<string, TestApp> = {};

/** MUST audits a mode fails on purpose, by audit id. */
const refusedOnPurpose: Record<string, string[]> = {
  development: [],
  // "MUST allow map {variables} parameter when accepting application/json" sends
  // `query Type($name: String!) { __type(name: $name) { name } }`: production refuses introspection.
  production: ['28B9'],
};

beforeAll(async () => {
  apps.development = await startTestApp({ config: { SEED_DEMO_DATA: false } });
  vi.stubEnv('NODE_ENV', 'production');
  try {
    apps.production = await startTestApp({
      config: { SEED_DEMO_DATA: false, ALLOW_ARBITRARY_OPERATIONS: true, LOG_LEVEL: 'warn' },
    });
  } finally {
    vi.unstubAllEnvs();
  }
});

afterAll(async () => {
  await Promise.all(Object.values(apps).map((app) => app.close()));
});

/** Runs every audit in process (`yoga.fetch`), one at a time. */
async function audit(app: TestApp): Promise<AuditResult[]> {
  const fetchFn = (url: string, init?: RequestInit) => app.app.yoga.fetch(url, init ?? {});
  const results: AuditResult[] = [];
  for (const { fn } of serverAudits({ url: 'http://test/graphql', fetchFn })) results.push(await fn());
  return results;
}

const line = (result: AuditResult) =>
  `${result.status.padEnd(6)} ${result.name}${result.status === 'ok' ? '' : ` (${result.reason})`}`;

describe.each(['development', 'production'])('GraphQL over HTTP audits, %s', (mode) => {
  test('every MUST audit passes; SHOULD and MAY results are listed', async () => {
    const results = await audit(apps[mode]!);
    const optional = results.filter((result) => !result.name.startsWith('MUST') && result.status !== 'ok');
    console.info(
      `graphql-http audits (${mode}): ${results.filter((r) => r.status === 'ok').length}/${results.length} ok` +
        (optional.length ? `\n${optional.map(line).join('\n')}` : ''),
    );
    const mustFailures = results.filter((result) => result.name.startsWith('MUST') && result.status !== 'ok');
    expect(mustFailures.filter((result) => !refusedOnPurpose[mode]!.includes(result.id)).map(line)).toEqual([]);
    for (const id of refusedOnPurpose[mode]!) expect(mustFailures.map((result) => result.id)).toContain(id);
    expect(results.length).toBeGreaterThan(30);
  });
});
