// Operation limits (server/plugins/use-operation-limits.ts and yoga's body and batch limits):
// every document the client sends passes them, the measured attacks are refused with a stable
// code (never a 500), and the server answers normally right after each refusal.
import { formatDocument } from '@urql/core';
import { print, type DocumentNode, type GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import * as generated from '../client/src/gql/graphql.ts';
import { ErrorCode } from '../server/errors.ts';
import { OperationLimit, operationLimitDefaults } from '../server/plugins/use-operation-limits.ts';
import { expectData, expectError } from './factories.ts';
import WebSocket from 'ws';
import { startTestApp, type GqlResult, type TestApp } from './harness.ts';
import { startSession } from './impersonation-helpers.ts';

/** Every operation of the client, as urql sends it (its document cache adds `__typename`s). */
const clientOperations = Object.entries(generated)
  .filter(([name, value]) => name.endsWith('Document') && (value as DocumentNode).kind === 'Document')
  .map(([name, document]) => [name, print(formatDocument(document as DocumentNode))] as const);

const SERVICES = '{ services { id name } }';

/** `{ me { pets { appointments { pet { appointments ... { id } } } } } }`, `levels` fields deep. */
function nestedThroughPets(levels: number): string {
  const fields = [
    'me',
    'pets',
    ...Array.from({ length: levels - 3 }, (_, i) => (i % 2 ? 'pet' : 'appointments')),
    'id',
  ];
  return `{ ${fields.reduceRight((inner, field) => (inner ? `${field} { ${inner} }` : field), '')} }`;
}

const aliasesOfServices = (count: number, fields = 'id name') =>
  `{ ${Array.from({ length: count }, (_, i) => `s${i}: services { ${fields} }`).join(' ')} }`;

/** `{"inner":{"inner":...}}` as JSON text: JSON.stringify itself overflows the stack at 5,000. */
const nestedJson = (depth: number) => `${'{"inner":'.repeat(depth)}"leaf"${'}'.repeat(depth)}`;

const withNestedVariable = (depth: number) =>
  `{"query":${JSON.stringify(SERVICES)},"variables":{"input":${nestedJson(depth)}}}`;

let app: TestApp;
let customerToken: string;

beforeAll(async () => {
  app = await startTestApp();
  customerToken = await app.signIn('chloe');
});

afterAll(async () => {
  await app?.close();
});

/** Posts a raw body in-process, as a client that does not go through `JSON.stringify` would. */
async function post(body: string, token?: string): Promise<{ status: number; result: GqlResult }> {
  const response = await app.app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: response.status, result: (await response.json()) as GqlResult };
}

/**
 * Refused with this code and reason, never as a server error, and the server still serves.
 * Parse and validation refusals answer 200 to `accept: application/json` (yoga's legacy mode).
 */
async function expectRefused(
  sent: { status: number; result: GqlResult },
  code: string,
  reason?: string,
  status?: number,
): Promise<void> {
  expectError(sent.result, code, reason);
  if (status) expect(sent.status).toBe(status);
  expect(sent.status).toBeLessThan(500);
  expect(sent.result.data ?? null).toBeNull();
  const after = await app.gql<{ services: unknown[] }>(SERVICES, {}, customerToken);
  expect(expectData(after).services.length).toBeGreaterThan(0);
}

describe('Documents the client sends', () => {
  test('the generated documents were found', () => {
    expect(clientOperations.length).toBeGreaterThanOrEqual(30);
  });

  test.each(clientOperations)('%s passes parsing and validation with the limits the server uses', (_, query) => {
    const { parse, validate, schema } = app.app.yoga.getEnveloped({});
    expect(validate(schema, parse(query)).map((error: GraphQLError) => error.message)).toEqual([]);
  });

  test('the costliest page (AppointmentsPage) is served to a customer over HTTP', async () => {
    const query = clientOperations.find(([name]) => name === 'AppointmentsPageDocument')![1];
    const result = await app.gql(query, { staffView: false }, customerToken);
    expect(expectData(result).me.id).toBeTruthy();
  });
});

describe('Depth', () => {
  test(`a query ${operationLimitDefaults.maxDepth} levels deep is served`, async () => {
    const result = await app.gql(nestedThroughPets(operationLimitDefaults.maxDepth), {}, customerToken);
    expect(expectData(result).me.pets.length).toBeGreaterThan(0);
  });

  test('one level more is refused with QUERY_TOO_COMPLEX / MAX_DEPTH', async () => {
    const query = nestedThroughPets(operationLimitDefaults.maxDepth + 1);
    await expectRefused(
      await post(JSON.stringify({ query }), customerToken),
      ErrorCode.QueryTooComplex,
      OperationLimit.MaxDepth,
    );
  });

  test('fragments add no level and hide none: the same depth split across fragment spreads is judged the same', async () => {
    // maxDepth (8) fields deep, through two named fragments and an inline one: served.
    expect(operationLimitDefaults.maxDepth).toBe(8);
    const within = `query { ...A }
      fragment A on Query { me { ...B } }
      fragment B on Customer { pets { ... on Pet { appointments { pet { appointments { pet { appointments { id } } } } } } } }`;
    const served = await app.gql(within, {}, customerToken);
    expect(served.errors).toBeUndefined();
    // One field more behind the same fragments: refused.
    const deeper = within.replace('appointments { id }', 'appointments { pet { id } }');
    await expectRefused(
      await post(JSON.stringify({ query: deeper }), customerToken),
      ErrorCode.QueryTooComplex,
      OperationLimit.MaxDepth,
    );
  });

  test("the attacker's query nested 10 levels through Pet.appointments / Appointment.pet is refused", async () => {
    const query = nestedThroughPets(12);
    await expectRefused(
      await post(JSON.stringify({ query }), customerToken),
      ErrorCode.QueryTooComplex,
      OperationLimit.MaxDepth,
    );
  });

  test('a selection 300 levels deep is refused while parsing, with QUERY_TOO_COMPLEX / MAX_TOKENS', async () => {
    const query = `{ ${'me { pets { appointments { pet { '.repeat(75)}id${' } } } }'.repeat(75)} }`;
    await expectRefused(await post(JSON.stringify({ query })), ErrorCode.QueryTooComplex, OperationLimit.MaxTokens);
  });
});

describe('Aliases, cost, directives, tokens', () => {
  test(`${operationLimitDefaults.maxAliases} aliases are served`, async () => {
    expectData(await app.gql(aliasesOfServices(operationLimitDefaults.maxAliases), {}));
  });

  test('one alias more is refused with QUERY_TOO_COMPLEX / MAX_ALIASES', async () => {
    const query = aliasesOfServices(operationLimitDefaults.maxAliases + 1, 'id');
    await expectRefused(await post(JSON.stringify({ query })), ErrorCode.QueryTooComplex, OperationLimit.MaxAliases);
  });

  test("the attacker's 274 KB request with 5,000 aliases of services is refused as too large (413)", async () => {
    const body = JSON.stringify({ query: aliasesOfServices(5000, 'id name description basePriceCents') });
    expect(body.length).toBeGreaterThan(250_000);
    await expectRefused(await post(body), 'REQUEST_ENTITY_TOO_LARGE', undefined, 413);
  });

  test('5,000 aliases within the body limit are refused while parsing, with QUERY_TOO_COMPLEX / MAX_TOKENS', async () => {
    const query = `{ ${Array.from({ length: 5000 }, (_, i) => `a${i}:services{id}`).join(' ')} }`;
    expect(query.length).toBeLessThan(100_000);
    await expectRefused(await post(JSON.stringify({ query })), ErrorCode.QueryTooComplex, OperationLimit.MaxTokens);
  });

  test('a wide query within depth, alias and token limits is refused with QUERY_TOO_COMPLEX / MAX_COST', async () => {
    const scalars = 'id startsAt endsAt status canChange customerNotes '.repeat(40);
    const query = `{ me { pets { appointments { pet { appointments { pet { appointments { ${scalars} } } } } } } } }`;
    await expectRefused(
      await post(JSON.stringify({ query }), customerToken),
      ErrorCode.QueryTooComplex,
      OperationLimit.MaxCost,
    );
  });

  test('more directives than allowed are refused with QUERY_TOO_COMPLEX / MAX_DIRECTIVES', async () => {
    const directives = ' @include(if: true)'.repeat(operationLimitDefaults.maxDirectives + 1);
    const query = `{ services${directives} { id } }`;
    await expectRefused(await post(JSON.stringify({ query })), ErrorCode.QueryTooComplex, OperationLimit.MaxDirectives);
  });
});

describe('Request size and batching', () => {
  test('a 2 MB body is refused with 413 REQUEST_ENTITY_TOO_LARGE', async () => {
    const body = JSON.stringify({ query: SERVICES, variables: { blob: 'x'.repeat(2_000_000) } });
    await expectRefused(await post(body), 'REQUEST_ENTITY_TOO_LARGE', undefined, 413);
  });

  test('a 10 MB variable sent over the network is refused with 413 from its Content-Length', async () => {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SERVICES, variables: { blob: 'x'.repeat(10_000_000) } }),
    });
    await expectRefused(
      { status: response.status, result: (await response.json()) as GqlResult },
      'REQUEST_ENTITY_TOO_LARGE',
      undefined,
      413,
    );
  });

  test('a batch of 10 operations is served and a batch of 11 is refused', async () => {
    const batch = (count: number) => JSON.stringify(Array.from({ length: count }, () => ({ query: SERVICES })));
    const served = await post(batch(10));
    expect(served.status).toBe(200);
    expect(served.result).toHaveLength(10);
    await expectRefused(await post(batch(11)), 'BAD_REQUEST', undefined, 413);
  });
});

describe('Variables', () => {
  test('a variable nested as deeply as allowed is accepted', async () => {
    expectData((await post(withNestedVariable(operationLimitDefaults.maxVariableDepth))).result);
  });

  test('a variable nested 5,000 deep is refused with BAD_USER_INPUT / MAX_VARIABLE_DEPTH', async () => {
    await expectRefused(
      await post(withNestedVariable(5000), customerToken),
      ErrorCode.BadUserInput,
      OperationLimit.MaxVariableDepth,
    );
  });

  test('a variable nested 5,000 deep is refused under impersonation too', async () => {
    const staffToken = await app.signIn('mara');
    const { token } = await startSession(app, staffToken);
    await expectRefused(
      await post(withNestedVariable(5000), token),
      ErrorCode.BadUserInput,
      OperationLimit.MaxVariableDepth,
    );
  });

  test('a variable nested 5,000 deep is refused over graphql-ws, and the socket keeps serving', async () => {
    const socket = await rawGraphqlWs(customerToken);
    socket.send(`{"id":"deep","type":"subscribe","payload":${withNestedVariable(5000)}}`);
    expectError(await socket.next('deep'), ErrorCode.BadUserInput, OperationLimit.MaxVariableDepth);
    socket.send(JSON.stringify({ id: 'after', type: 'subscribe', payload: { query: SERVICES } }));
    expect(expectData(await socket.next('after')).services.length).toBeGreaterThan(0);
    socket.close();
  });
});

/**
 * A graphql-transport-ws connection that sends text as given: the graphql-ws client would
 * JSON.stringify the payload, which overflows the stack before anything is sent.
 */
async function rawGraphqlWs(token: string) {
  const socket = new WebSocket(app.wsUrl, 'graphql-transport-ws');
  const messages: { id?: string; type: string; payload?: unknown }[] = [];
  const waiters: (() => void)[] = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)));
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  const next = async (predicate: (message: (typeof messages)[number]) => boolean) => {
    for (;;) {
      const index = messages.findIndex(predicate);
      if (index >= 0) return messages.splice(index, 1)[0]!;
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  await next((message) => message.type === 'connection_ack');
  return {
    send: (text: string) => socket.send(text),
    /** The first `next` or `error` message of the operation, as a result. */
    async next(id: string): Promise<GqlResult> {
      const message = await next((candidate) => candidate.id === id && candidate.type !== 'complete');
      return (message.type === 'error' ? { errors: message.payload } : message.payload) as GqlResult;
    },
    close: () => socket.close(),
  };
}

describe('Suggestions', () => {
  const UNKNOWN_FIELD = '{ servics { id } }';
  const MISSPELT_ENUM = 'mutation AddPet($input: AddPetInput!) { addPet(input: $input) { id } }';
  const misspeltPet = { input: { name: 'Rex', species: 'dog', size: 'SMAL' } };

  test('outside production, "Did you mean" suggestions help the developer', async () => {
    expect((await app.gql(UNKNOWN_FIELD)).errors?.[0]?.message).toContain('Did you mean "services"?');
    expect((await app.gql(MISSPELT_ENUM, misspeltPet, customerToken)).errors?.[0]?.message).toContain(
      'Did you mean the enum value "SMALL"?',
    );
  });

  describe('in production (NODE_ENV=production)', () => {
    let production: TestApp;

    beforeAll(async () => {
      vi.stubEnv('NODE_ENV', 'production');
      try {
        production = await startTestApp({ config: { SEED_DEMO_DATA: true } });
      } finally {
        vi.unstubAllEnvs();
      }
    });

    afterAll(async () => {
      await production?.close();
    });

    test('an unknown field is refused without suggesting the field meant', async () => {
      const result = await production.gql(UNKNOWN_FIELD);
      expectError(result, 'GRAPHQL_VALIDATION_FAILED');
      expect(result.errors?.[0]?.message).not.toContain('Did you mean');
      expect(result.errors?.[0]?.message).not.toContain('services');
    });

    test('a misspelt enum value in a variable is refused without echoing it or suggesting the value meant', async () => {
      const result = await production.gql(MISSPELT_ENUM, misspeltPet, await production.signIn('chloe'));
      expectError(result, ErrorCode.BadUserInput);
      expect(result.errors?.[0]?.message).toContain('$input');
      expect(result.errors?.[0]?.message).not.toContain('SMAL');
      expect(result.errors?.[0]?.message).not.toContain('Did you mean');
      expect(result.errors?.[0]?.message).not.toContain('SMALL');
    });
  });
});
