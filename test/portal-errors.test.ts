// What the client sees when an operation fails: a stable `extensions.code` and nothing else, no
// stack trace, no internal exception, nothing the database said.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectError, type PortalIds } from './factories.ts';
import type { GqlResult, TestApp } from './harness.ts';
import { startPortalApp, type PortalApp } from './portal-helpers.ts';

const SendMessage = 'mutation SendMessage($body: String!) { sendMessage(body: $body) { id } }';
const Cancel = 'mutation Cancel($id: ID!) { cancelAppointment(id: $id) { id } }';
const Reschedule =
  'mutation Reschedule($id: ID!, $startsAt: DateTime!) { rescheduleAppointment(id: $id, startsAt: $startsAt) { id } }';

let app: TestApp;
let factories: PortalApp['factories'];
let chloeIds: PortalIds;
let asChloe: PortalApp['asChloe'];

beforeAll(async () => {
  ({ app, factories, chloeIds, asChloe } = await startPortalApp());
});

afterAll(async () => {
  await app?.close();
});

describe('errors the client sees', () => {
  /** No error carries a stack trace, an internal exception, or what the database said. */
  function expectNothingLeaked(result: GqlResult) {
    expect(result.errors?.length).toBeGreaterThan(0);
    for (const error of result.errors ?? []) {
      const text = JSON.stringify(error);
      expect(text).not.toMatch(/\bat .+\.(ts|js|mjs):\d+/);
      expect(text).not.toMatch(/prisma|postgres|pglite|invalid byte sequence|DriverAdapterError/i);
      expect(error.extensions ?? {}).not.toHaveProperty('stack');
      expect(error.extensions ?? {}).not.toHaveProperty('exception');
      expect(error.extensions ?? {}).not.toHaveProperty('originalError');
    }
  }

  test('a syntax error is GRAPHQL_PARSE_FAILED', async () => {
    const result = await asChloe('mutation { sendMessage(body: "hi") { id ');
    expectError(result, 'GRAPHQL_PARSE_FAILED');
    expectNothingLeaked(result);
  });

  test('a field that does not exist is GRAPHQL_VALIDATION_FAILED', async () => {
    const result = await asChloe('{ me { passwordHash } }');
    expectError(result, 'GRAPHQL_VALIDATION_FAILED');
    expectNothingLeaked(result);
  });

  test('an unexpected database failure is masked: no database message, no stack trace', async () => {
    const pool = app.services.pool;
    await pool.query(
      `CREATE FUNCTION message_outage() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'secret internal detail'; END $$ LANGUAGE plpgsql`,
    );
    await pool.query(
      `CREATE TRIGGER message_outage BEFORE INSERT ON "Message" FOR EACH ROW EXECUTE FUNCTION message_outage()`,
    );
    try {
      const result = await asChloe(SendMessage, { body: 'hello' });
      expectError(result, 'INTERNAL_SERVER_ERROR');
      expectNothingLeaked(result);
      expect(JSON.stringify(result)).not.toContain('secret internal detail');
    } finally {
      await pool.query('DROP TRIGGER message_outage ON "Message"');
      await pool.query('DROP FUNCTION message_outage()');
    }
  });

  test.each([
    ['BAD_USER_INPUT', () => asChloe(SendMessage, { body: '' })],
    ['NOT_FOUND', () => asChloe(Cancel, { id: 'no-such-appointment' })],
    [
      'CONFLICT',
      () =>
        asChloe(Reschedule, {
          id: chloeIds.appointments.find((a) => a.status === 'COMPLETED')!.id,
          startsAt: factories.nextSlot().toISOString(),
        }),
    ],
    ['UNAUTHENTICATED', () => app.gql('{ me { id } }')],
  ])('a %s error carries its code and no stack trace', async (code, run) => {
    const result = await run();
    expectError(result, code);
    expectNothingLeaked(result);
  });
});
