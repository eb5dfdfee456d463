// String limits (server/schema/string-limits.ts): every String and ID argument and input field
// declares its longest value in the schema (`extensions.maxLength`), and a value one over is
// refused with BAD_USER_INPUT before any resolver, over HTTP and over graphql-ws, while a value at
// the limit is not refused for its length.
import {
  getNamedType,
  isInputObjectType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputField,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REASON_MAX } from '../server/impersonation/policy.ts';
import { NOTES_MAX_LENGTH } from '../server/schema/appointments.ts';
import { schema } from '../server/schema/index.ts';
import { MAX_LENGTH_EXTENSION } from '../server/schema/string-limits-plugin.ts';
import {
  EMAIL_MAX_LENGTH,
  ID_MAX_LENGTH,
  MESSAGE_MAX_LENGTH,
  SEARCH_MAX_LENGTH,
  STRING_LIMITS,
} from '../server/schema/string-limits.ts';
import { ErrorCode } from '../server/errors.ts';
import { DAY, expectError } from './factories.ts';
import { errorCode, startTestApp, type DemoAccount, type GqlResult, type TestApp } from './harness.ts';

/** Every String or ID argument and input field of the schema, by coordinate. */
function textInputs(): Map<string, GraphQLArgument | GraphQLInputField> {
  const found = new Map<string, GraphQLArgument | GraphQLInputField>();
  const isText = (input: GraphQLArgument | GraphQLInputField) => {
    const named = getNamedType(input.type);
    return isScalarType(named) && (named.name === 'String' || named.name === 'ID');
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        for (const arg of field.args) if (isText(arg)) found.set(`${type.name}.${field.name}(${arg.name}:)`, arg);
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        if (isText(field)) found.set(`${type.name}.${field.name}`, field);
    }
  }
  return found;
}

describe('The schema', () => {
  test('every String and ID argument and input field declares its maximum length', () => {
    const undeclared = [...textInputs()]
      .filter(([, input]) => !Number.isInteger(input.extensions[MAX_LENGTH_EXTENSION]))
      .map(([coordinate]) => coordinate);
    expect(undeclared).toEqual([]);
  });

  test('every declared limit names a String argument or input field of the schema, and is the one it carries', () => {
    const inputs = textInputs();
    for (const [coordinate, max] of Object.entries(STRING_LIMITS)) {
      expect(inputs.get(coordinate)?.extensions[MAX_LENGTH_EXTENSION], coordinate).toBe(max);
    }
  });

  test('a list of strings bounds each of its strings', () => {
    expect(textInputs().get('AddPetInput.healthAlerts')?.extensions[MAX_LENGTH_EXTENSION]).toBe(200);
  });

  test('an ID without an entry of its own has the ID limit', () => {
    expect(textInputs().get('Mutation.cancelAppointment(id:)')?.extensions[MAX_LENGTH_EXTENSION]).toBe(ID_MAX_LENGTH);
  });
});

let app: TestApp;
const tokens = {} as Record<DemoAccount, string>;

beforeAll(async () => {
  app = await startTestApp({ config: { SEED_DEMO_DATA: true } });
  for (const account of ['mara', 'rita', 'chloe'] as const) tokens[account] = await app.signIn(account);
});

afterAll(async () => {
  await app?.close();
});

/** The result over graphql-ws: the first result, or the errors the server sent. */
async function overSocket(token: string, query: string, variables: Record<string, unknown>): Promise<GqlResult> {
  const client = app.wsClient(token);
  try {
    return await new Promise<GqlResult>((resolve, reject) => {
      let first: GqlResult | undefined;
      client.subscribe(
        { query, variables },
        {
          next: (value) => {
            first ??= value as GqlResult;
          },
          error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
          complete: () => resolve(first ?? {}),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

/** Whether the operation was refused for a value longer than `max`. */
const refusedForLength = (result: GqlResult, max: number) =>
  (result.errors ?? []).some(
    (error) =>
      error.extensions?.code === ErrorCode.BadUserInput &&
      (error.extensions.issues as { message: string }[] | undefined)?.some(
        (issue) => issue.message === `at most ${max} characters`,
      ),
  );

interface LimitCase {
  coordinate: string;
  max: number;
  who: DemoAccount;
  query: string;
  /** The operation's variables with a value of this length in place. */
  variables(length: number): Record<string, unknown>;
}

const text = (length: number) => 'x'.repeat(length);
const EMAIL_DOMAIN = '@example.test';

const CASES: LimitCase[] = [
  {
    coordinate: 'Query.customers(search:)',
    max: SEARCH_MAX_LENGTH,
    who: 'rita',
    query: 'query Find($search: String) { customers(search: $search) { id } }',
    variables: (length) => ({ search: text(length) }),
  },
  {
    coordinate: 'Mutation.terminateImpersonation(reason:)',
    max: REASON_MAX,
    who: 'mara',
    query:
      'mutation End($id: ID!, $reason: String!) { terminateImpersonation(sessionId: $id, reason: $reason) { id } }',
    variables: (length) => ({ id: 'no-such-session', reason: text(length) }),
  },
  {
    coordinate: 'Mutation.signIn(email:)',
    max: EMAIL_MAX_LENGTH,
    who: 'chloe',
    query: 'mutation In($email: String!) { signIn(email: $email, password: "not-the-password") { token } }',
    variables: (length) => ({ email: text(length - EMAIL_DOMAIN.length) + EMAIL_DOMAIN }),
  },
  {
    coordinate: 'Mutation.sendMessage(body:)',
    max: MESSAGE_MAX_LENGTH,
    who: 'chloe',
    query: 'mutation Send($body: String!) { sendMessage(body: $body) { id } }',
    variables: (length) => ({ body: text(length) }),
  },
  {
    coordinate: 'Mutation.updateAppointmentNotes(id:)',
    max: ID_MAX_LENGTH,
    who: 'chloe',
    query: 'mutation Notes($id: ID!) { updateAppointmentNotes(id: $id, notes: "") { id } }',
    variables: (length) => ({ id: text(length) }),
  },
  {
    coordinate: 'BookAppointmentInput.customerNotes',
    max: NOTES_MAX_LENGTH,
    who: 'chloe',
    query: `mutation Book($at: DateTime!, $notes: String) {
      bookAppointment(input: { petId: "no-pet", serviceId: "no-service", startsAt: $at, customerNotes: $notes }) { id }
    }`,
    variables: (length) => ({ at: new Date(app.clock.now().getTime() + 7 * DAY).toISOString(), notes: text(length) }),
  },
  {
    coordinate: 'AuditEventFilter.customerId',
    max: ID_MAX_LENGTH,
    who: 'mara',
    query: 'query Audit($filter: AuditEventFilter) { auditEvents(filter: $filter) { edges { cursor } } }',
    variables: (length) => ({ filter: { customerId: text(length) } }),
  },
  {
    coordinate: 'AddPetInput.healthAlerts',
    max: 200,
    who: 'chloe',
    query:
      'mutation Add($alerts: [String!]) { addPet(input: { name: "Rex", species: "dog", size: SMALL, healthAlerts: $alerts }) { id } }',
    variables: (length) => ({ alerts: ['Allergic to oats', text(length)] }),
  },
];

describe.each(CASES)('$coordinate', ({ coordinate, max, who, query, variables }) => {
  test('declares the limit the table tests', () => {
    expect(textInputs().get(coordinate)?.extensions[MAX_LENGTH_EXTENSION]).toBe(max);
  });

  test('a value one over the limit is refused with BAD_USER_INPUT', async () => {
    const result = await app.gql(query, variables(max + 1), tokens[who]);
    expectError(result, ErrorCode.BadUserInput);
    expect(refusedForLength(result, max), JSON.stringify(result)).toBe(true);
  });

  test('a value at the limit is not refused for its length (unauthorized to refuse)', async () => {
    const result = await app.gql(query, variables(max), tokens[who]);
    expect(refusedForLength(result, max), JSON.stringify(result)).toBe(false);
  });
});

describe('Over graphql-ws', () => {
  const SEARCH = 'query Find($search: String) { customers(search: $search) { id } }';
  const WATCH = 'subscription Watch($id: ID!) { accessRequest(id: $id) { id } }';

  test('a search one over the limit is refused with BAD_USER_INPUT', async () => {
    const result = await overSocket(tokens.rita, SEARCH, { search: text(SEARCH_MAX_LENGTH + 1) });
    expectError(result, ErrorCode.BadUserInput);
  });

  test('a search at the limit is served (unauthorized to refuse)', async () => {
    const result = await overSocket(tokens.rita, SEARCH, { search: text(SEARCH_MAX_LENGTH) });
    expect(result).toEqual({ data: { customers: [] } });
  });

  test('a subscription with an ID one over the limit is refused with BAD_USER_INPUT', async () => {
    const result = await overSocket(tokens.mara, WATCH, { id: text(ID_MAX_LENGTH + 1) });
    expectError(result, ErrorCode.BadUserInput);
  });

  test('a subscription with an ID at the limit is not refused for its length (unauthorized to refuse)', async () => {
    const result = await overSocket(tokens.mara, WATCH, { id: text(ID_MAX_LENGTH) });
    expect(errorCode(result)).toBe(ErrorCode.NotFound);
  });
});

describe('Who is told about limits', () => {
  test('an over-long search from staff is refused for its length', async () => {
    const result = await app.gql(
      'query Find($search: String) { customers(search: $search) { id } }',
      { search: text(SEARCH_MAX_LENGTH + 1) },
      tokens.rita,
    );
    expectError(result, ErrorCode.BadUserInput);
  });

  test('an over-long search from a customer is refused for who they are, not its length (unauthorized)', async () => {
    const result = await app.gql(
      'query Find($search: String) { customers(search: $search) { id } }',
      { search: text(SEARCH_MAX_LENGTH + 1) },
      tokens.chloe,
    );
    expectError(result, ErrorCode.Forbidden);
  });
});
