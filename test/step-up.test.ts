// Step-up for every privileged action (issue 21), proven for the whole schema: every manager-only
// mutation is declared privileged or exempt (privileged.ts), and every privileged field and the
// audit export refuse a sign-in older than STEP_UP_MINUTES with STEP_UP_REQUIRED, change nothing,
// leave a record, and work once the manager has stepped up (`stepUp`). A privileged field added
// later without a case below is called with valid-shaped arguments built from the schema. The
// kill switch's case turns staff views off: the tests that start a view run before it.
import { AuditAction, AuditOutcome } from '@prisma/client';
import type { GraphQLField } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_EXPORT_PATH } from '../server/audit/use-audit-export.ts';
import { schema } from '../server/schema/index.ts';
import { NOT_PRIVILEGED, PRIVILEGED } from '../server/schema/privileged.ts';
import { MINUTE, databaseSnapshot, expectData, expectError } from './factories.ts';
import { demo, startTestApp, type GqlResult, type TestApp } from './harness.ts';
import { SAMPLE_SCALARS, probeDocument, sampleValue } from './schema-probes.ts';

let app: TestApp;
const STALE = () => app.services.config.STEP_UP_MINUTES * MINUTE + 1000;
const STEP_UP = 'mutation StepUp($password: String!) { stepUp(password: $password) { steppedUpAt validUntil } }';
const code = (result: GqlResult) => result.errors?.[0]?.extensions?.code as string | undefined;
// Refused attempts leave audit records; nothing else may change.
const snapshot = () => databaseSnapshot(app, ['AuditEvent', 'AuditCheckpoint', 'AuditChainHead']);

type Field = GraphQLField<unknown, unknown>;
const rootField = (coordinate: string): Field | undefined => {
  const [type, name] = coordinate.split('.');
  const root = type === 'Query' ? schema.getQueryType() : type === 'Mutation' ? schema.getMutationType() : null;
  return root?.getFields()[name!];
};
const graphqlEntries = Object.keys(PRIVILEGED).filter((key) => !key.includes(' '));

/** The scope names a field's `authScopes` map needs (any of), or [] for a function or none. */
function scopeNames(scopes: unknown): string[] {
  if (!scopes || typeof scopes !== 'object') return [];
  return Object.entries(scopes).flatMap(([key, value]) => (key.startsWith('$') ? scopeNames(value) : [key]));
}

const SAMPLES = { ...SAMPLE_SCALARS, String: 'A valid-shaped reason text' };

/** A call of a root field with valid-shaped arguments (its `password`, if any, left out). */
function sampleCall(coordinate: string): Case {
  const field = rootField(coordinate)!;
  const args = field.args.filter((arg) => arg.name !== 'password');
  return {
    query: probeDocument(field, coordinate.startsWith('Query.') ? 'query' : 'mutation', args),
    variables: async () => Object.fromEntries(args.map((arg) => [arg.name, sampleValue(arg.type, SAMPLES)])),
  };
}

interface Case {
  query: string;
  variables: () => Promise<Record<string, unknown>>;
  /** Undoes what the call did, so that later cases start from the same salon. */
  after?: (data: any, token: string) => Promise<void>;
}
const idOf = async (model: 'staff' | 'customer', email: string) =>
  (await (app.services.prisma[model] as any).findUniqueOrThrow({ where: { email } })).id as string;

/** Calls that really change something once stepped up (others are built from the schema). */
const CASES: Record<string, Case> = {
  'Mutation.startImpersonation': {
    query:
      'mutation S($c: ID!, $r: String!) { startImpersonation(customerId: $c, reason: $r, scope: { sections: [WHOLE_PORTAL], need: "Tests read every section of the portal" }) { session { id } } }',
    variables: async () => ({ c: await idOf('customer', demo.chloe.email), r: 'Customer called about a bill' }),
    after: async (data, token) => {
      const ended = await gql(
        'mutation E($id: ID!) { endImpersonation(sessionId: $id) { id } }',
        {
          id: data.startImpersonation.session.id,
        },
        token,
      );
      expectData(ended);
    },
  },
  'Mutation.setStaffRole': {
    query: 'mutation R($id: ID!) { setStaffRole(staffId: $id, role: RECEPTIONIST) { role } }',
    variables: async () => ({ id: await idOf('staff', demo.gus.email) }),
  },
  'Mutation.setStaffActive': {
    query: 'mutation A($id: ID!) { setStaffActive(staffId: $id, active: false) { active } }',
    variables: async () => ({ id: await idOf('staff', demo.rita.email) }),
  },
  'Mutation.setCustomerProtected': {
    query: 'mutation P($id: ID!) { setCustomerProtected(customerId: $id, protected: true) { id } }',
    variables: async () => ({ id: await idOf('customer', demo.dora.email) }),
  },
  'Mutation.setCustomerStatus': {
    query: 'mutation C($id: ID!) { setCustomerStatus(customerId: $id, status: DISABLED) { id } }',
    variables: async () => ({ id: await idOf('customer', demo.dora.email) }),
  },
  'Mutation.disableStaffViews': {
    query: 'mutation D($r: String!) { disableStaffViews(reason: $r) { enabled } }',
    variables: async () => ({ r: 'Checking a suspected account compromise' }),
  },
  'Query.verifyAuditChain': { query: '{ verifyAuditChain { __typename } }', variables: async () => ({}) },
};

const gql = (query: string, variables: Record<string, unknown>, token: string) => app.gql(query, variables, token);
const stepUp = async (token: string) => expectData(await gql(STEP_UP, { password: demo.mara.password }, token));

beforeAll(async () => {
  app = await startTestApp({ config: { IMPERSONATION_STARTS_PER_WINDOW: 1000 } });
});
afterAll(async () => {
  await app?.close();
});

describe('the declared list', () => {
  it('names every manager-only mutation, as privileged or exempt, and nothing else', () => {
    const mutations = Object.values(schema.getMutationType()!.getFields());
    const staffOnly = mutations.filter((field) => {
      const scopes = scopeNames((field.extensions?.pothosOptions as { authScopes?: unknown })?.authScopes);
      return scopes.includes('manager') || scopes.includes('staff');
    });
    expect(staffOnly.length).toBeGreaterThan(8);
    const listed = (name: string) => `Mutation.${name}` in PRIVILEGED || `Mutation.${name}` in NOT_PRIVILEGED;
    expect(staffOnly.filter((field) => !listed(field.name)).map((field) => field.name)).toEqual([]);
    for (const key of [...graphqlEntries, ...Object.keys(NOT_PRIVILEGED)]) expect(rootField(key), key).toBeDefined();
    expect(Object.keys(PRIVILEGED).filter((key) => key.includes(' '))).toEqual([`GET ${AUDIT_EXPORT_PATH}`]);
    expect(Object.keys(PRIVILEGED).filter((key) => key in NOT_PRIVILEGED)).toEqual([]);
  });
});

describe('stepUp', () => {
  it('refuses a wrong password (STEP_UP_REQUIRED, INVALID_CREDENTIALS), audited, and the action stays refused', async () => {
    const max = await app.signIn('max');
    app.clock.advance(STALE());
    expectError(await gql(STEP_UP, { password: 'not the password' }, max), 'STEP_UP_REQUIRED', 'INVALID_CREDENTIALS');
    const failed = await app.services.prisma.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(failed).toMatchObject({ action: AuditAction.STEP_UP_FAILED, reason: 'wrong password' });
    expect(JSON.stringify(failed.variables)).not.toContain('not the password');
    expectError(await gql(CASES['Query.verifyAuditChain']!.query, {}, max), 'STEP_UP_REQUIRED');
  });

  it('a start still steps up with its own password argument', async () => {
    const mara = await app.signIn('mara');
    app.clock.advance(STALE());
    const start = CASES['Mutation.startImpersonation']!;
    const query = start.query
      .replace('$r: String!)', '$r: String!, $p: String)')
      .replace('reason: $r,', 'reason: $r, password: $p,');
    const variables = await start.variables();
    expectError(await gql(query, { ...variables, p: 'wrong' }, mara), 'STEP_UP_REQUIRED', 'INVALID_CREDENTIALS');
    const started = expectData(await gql(query, { ...variables, p: demo.mara.password }, mara));
    await start.after!(started, mara);
  });
});

describe('every privileged field with a stale sign-in', () => {
  it.each(graphqlEntries)('%s: STEP_UP_REQUIRED and no change, then works after stepUp', async (coordinate) => {
    const mara = await app.signIn('mara');
    app.clock.advance(STALE());
    const call = CASES[coordinate] ?? sampleCall(coordinate);
    const variables = await call.variables();
    const before = await snapshot();
    const refused = await gql(call.query, variables, mara);
    expectError(refused, 'STEP_UP_REQUIRED');
    expect(refused.errors![0]!.extensions!.stepUpMinutes).toBe(app.services.config.STEP_UP_MINUTES);
    expect(await snapshot()).toEqual(before);
    const record = await app.services.prisma.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(record).toMatchObject({
      action: AuditAction.STEP_UP_FAILED,
      outcome: AuditOutcome.DENIED,
      errorCode: 'STEP_UP_REQUIRED',
      rootFields: [coordinate.split('.')[1]],
    });

    const { stepUp: passed } = await stepUp(mara);
    expect(new Date(passed.validUntil).getTime() - new Date(passed.steppedUpAt).getTime()).toBe(STALE() - 1000);
    const allowed = await gql(call.query, variables, mara);
    expect(code(allowed), JSON.stringify(allowed.errors)).not.toBe('STEP_UP_REQUIRED');
    if (CASES[coordinate]) await call.after?.(expectData(allowed), mara);
  });

  it('is FORBIDDEN, not a password prompt, for staff who are not managers', async () => {
    const gus = await app.signIn('gus');
    app.clock.advance(STALE());
    const call = CASES['Mutation.setCustomerProtected']!;
    expectError(await gql(call.query, await call.variables(), gus), 'FORBIDDEN');
    expectError(await gql(STEP_UP, { password: demo.gus.password }, gus), 'FORBIDDEN');
  });
});

describe('over the network', () => {
  const run = (client: ReturnType<TestApp['wsClient']>, query: string, variables: Record<string, unknown>) =>
    new Promise<GqlResult>((resolve, reject) => {
      let received: GqlResult = {};
      client.subscribe(
        { query, variables },
        { next: (value) => (received = value as GqlResult), error: reject, complete: () => resolve(received) },
      );
    });

  it('refuses over graphql-ws until stepUp (sent on the same socket)', async () => {
    const mara = await app.signIn('mara');
    app.clock.advance(STALE());
    const client = app.wsClient(mara);
    const call = CASES['Mutation.setStaffRole']!;
    const variables = await call.variables();
    expectError(await run(client, call.query, variables), 'STEP_UP_REQUIRED');
    expectData(await run(client, STEP_UP, { password: demo.mara.password }));
    expectData(await run(client, call.query, variables));
  });

  it('refuses over HTTP POST on the port until stepUp', async () => {
    const mara = await app.signIn('mara');
    app.clock.advance(STALE());
    const post = async (query: string, variables: Record<string, unknown>) =>
      (await (
        await fetch(app.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${mara}` },
          body: JSON.stringify({ query, variables }),
        })
      ).json()) as GqlResult;
    const call = CASES['Mutation.setStaffRole']!;
    const variables = await call.variables();
    expectError(await post(call.query, variables), 'STEP_UP_REQUIRED');
    expectData(await post(STEP_UP, { password: demo.mara.password }));
    expectData(await post(call.query, variables));
  });

  it('refuses the audit export with 403 STEP_UP_REQUIRED (recorded), then exports after stepUp', async () => {
    const mara = await app.signIn('mara');
    app.clock.advance(STALE());
    const exportCsv = () =>
      fetch(new URL(`${AUDIT_EXPORT_PATH}?format=csv`, app.url), { headers: { authorization: `Bearer ${mara}` } });
    const refused = await exportCsv();
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'STEP_UP_REQUIRED', stepUpMinutes: 10 });
    const record = await app.services.prisma.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(record).toMatchObject({
      action: AuditAction.AUDIT_EXPORTED,
      outcome: 'DENIED',
      errorCode: 'STEP_UP_REQUIRED',
    });
    await stepUp(mara);
    const exported = await exportCsv();
    expect(exported.status).toBe(200);
    expect(await exported.text()).toContain('STEP_UP_FAILED');
  });
});
