// The schema as a whole: the committed schema.graphql matches the code, and every mutation needs
// the `mutatesCustomer` scope unless it is a reviewed exemption, checked both on the schema's
// Pothos options and by sending each mutation under impersonation.
import { readFileSync } from 'node:fs';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { READ_ONLY_EXEMPTIONS } from '../server/schema/builder.ts';
import { schema } from '../server/schema/index.ts';
import { printedSchema } from '../server/scripts/print-schema.ts';
import { databaseSnapshot, expectData, expectError } from './factories.ts';
import { demo, startTestApp, type TestApp } from './harness.ts';

interface PothosFieldExtensions {
  pothosOptions?: { skipTypeScopes?: boolean };
}

const mutationType = schema.getMutationType()!;
const mutationFields = Object.values(mutationType.getFields());
const exemptions = Object.keys(READ_ONLY_EXEMPTIONS);
const isExempt = (name: string) => Object.hasOwn(READ_ONLY_EXEMPTIONS, name);
const guardedMutations = mutationFields.filter((field) => !isExempt(field.name));

describe('schema.graphql', () => {
  test('the committed schema.graphql is exactly what the code prints (no drift)', () => {
    const committed = readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(printedSchema());
  });
});

describe('read-only impersonation scope on mutations', () => {
  test('the Mutation type itself requires mutatesCustomer, so fields added later need it too', () => {
    const options = (mutationType.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions;
    expect(options?.authScopes).toEqual({ mutatesCustomer: true });
  });

  test('no mutation skips the type scope unless it is listed in READ_ONLY_EXEMPTIONS', () => {
    expect(mutationFields.length).toBeGreaterThan(10);
    const skipping = mutationFields
      .filter((field) => (field.extensions as PothosFieldExtensions).pothosOptions?.skipTypeScopes)
      .map((field) => field.name);
    const unreviewed = skipping.filter((name) => !isExempt(name));
    expect(unreviewed, `mutations skipping mutatesCustomer without an exemption: ${unreviewed.join(', ')}`).toEqual([]);
  });

  test('every field of the Mutation type carries its Pothos options, so the check above sees them all', () => {
    const withoutOptions = mutationFields.filter((field) => !(field.extensions as PothosFieldExtensions).pothosOptions).map((f) => f.name);
    expect(withoutOptions).toEqual([]);
  });

  test('every exemption names an existing mutation (no stale entries)', () => {
    const names = new Set(mutationFields.map((field) => field.name));
    expect(exemptions.filter((name) => !names.has(name))).toEqual([]);
  });
});

describe('every guarded mutation sent under impersonation', () => {
  let app: TestApp;
  let impersonation: string;

  beforeAll(async () => {
    app = await startTestApp();
    const manager = await app.signIn('mara');
    const chloe = await app.services.prisma.customer.findUniqueOrThrow({ where: { email: demo.chloe.email } });
    const started = await app.gql(
      'mutation Start($customerId: ID!, $reason: String!) { startImpersonation(customerId: $customerId, reason: $reason) { token } }',
      { customerId: chloe.id, reason: 'Schema walk: every mutation must be refused' },
      manager,
    );
    impersonation = expectData(started).startImpersonation.token;
  });

  afterAll(async () => {
    await app?.close();
  });

  test('is refused with FORBIDDEN and reason IMPERSONATION_READ_ONLY, and changes nothing but the audit log', async () => {
    const before = await databaseSnapshot(app, ['AuditEvent']);
    const outcomes: Record<string, unknown> = {};

    for (const field of guardedMutations) {
      const { query, variables } = operationFor(field);
      const result = await app.gql(query, variables, impersonation);
      outcomes[field.name] = result.errors?.[0]?.extensions ?? { unexpected: result };
    }

    const expected = Object.fromEntries(guardedMutations.map((f) => [f.name, { code: 'FORBIDDEN', reason: 'IMPERSONATION_READ_ONLY' }]));
    expect(outcomes).toEqual(expected);
    expect(await databaseSnapshot(app, ['AuditEvent'])).toEqual(before);
  });

  test('the same operations are not refused for read-only reasons when chloe sends them herself', async () => {
    const chloe = await app.signIn('chloe');
    const customerMutations = ['updateProfile', 'addPet', 'sendMessage', 'updateNotificationPreferences'];

    for (const name of customerMutations) {
      const { query, variables } = operationFor(mutationType.getFields()[name]!);
      const result = await app.gql(query, variables, chloe);
      expect(result.errors?.[0]?.extensions?.reason, `${name}: ${JSON.stringify(result.errors)}`).not.toBe('IMPERSONATION_READ_ONLY');
    }
  });

  test('an exempt mutation is still served under impersonation', async () => {
    const current = expectData(await app.gql('{ currentImpersonation { id } }', {}, impersonation)).currentImpersonation;
    const result = await app.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { endState } }', { id: current.id }, impersonation);
    expect(expectData(result).endImpersonation.endState).toBe('ENDED');
    expectError(await app.gql('{ me { id } }', {}, impersonation), 'UNAUTHENTICATED');
  });
});

/** A syntactically valid call of the mutation with plausible values for every required argument. */
function operationFor(field: GraphQLField<unknown, unknown>): { query: string; variables: Record<string, unknown> } {
  const args = field.args.filter((arg) => isNonNullType(arg.type) || arg.defaultValue === undefined);
  const declarations = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passing = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  const variables = Object.fromEntries(args.map((arg) => [arg.name, sampleValue(arg.type)]));
  return {
    query: `mutation Walk${declarations ? `(${declarations})` : ''} { ${field.name}${passing ? `(${passing})` : ''}${selection} }`,
    variables,
  };
}

function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [sampleValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [f.name, sampleValue(f.type)]),
    );
  }
  if (isScalarType(type)) {
    const samples: Record<string, unknown> = {
      ID: 'sample-id',
      String: 'A sample value long enough',
      Int: 1,
      Float: 1.5,
      Boolean: true,
      DateTime: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      Date: '2020-01-01',
      JSON: {},
    };
    if (!(type.name in samples)) throw new Error(`no sample for scalar ${type.name}`);
    return samples[type.name];
  }
  throw new Error(`no sample for ${String(type)}`);
}
