// The customer's conversation with the salon: sending a message, and the bodies it refuses.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectData, expectError } from './factories.ts';
import type { TestApp } from './harness.ts';
import { startPortalApp, type PortalApp } from './portal-helpers.ts';

const SendMessage = 'mutation SendMessage($body: String!) { sendMessage(body: $body) { id sender body sentAt } }';

let app: TestApp;
let prisma: PortalApp['prisma'];
let factories: PortalApp['factories'];
let chloe: string;
let asChloe: PortalApp['asChloe'];

beforeAll(async () => {
  ({ app, prisma, factories, chloe, asChloe } = await startPortalApp());
});

afterAll(async () => {
  await app?.close();
});

describe('sendMessage', () => {
  test('a message is added to the conversation as the customer’s, trimmed, at the current time', async () => {
    const message = expectData(await asChloe(SendMessage, { body: '  Is Saturday morning free?  ' })).sendMessage;

    expect(message).toEqual({
      id: expect.any(String),
      sender: 'CUSTOMER',
      body: 'Is Saturday morning free?',
      sentAt: app.clock.now().toISOString(),
    });
    const thread = (await factories.me(chloe)).messages;
    expect(thread.at(-1)!.id).toBe(message.id);
  });

  test.each([
    ['an empty message', ''],
    ['a message of spaces only', '   \n '],
  ])('%s is refused with BAD_USER_INPUT and nothing is sent', async (_case, body) => {
    const messagesBefore = await prisma.message.count();

    expectError(await asChloe(SendMessage, { body }), 'BAD_USER_INPUT');

    expect(await prisma.message.count()).toBe(messagesBefore);
  });

  test('a message containing a NUL character is refused with BAD_USER_INPUT', async () => {
    expectError(await asChloe(SendMessage, { body: 'null byte \u0000 inside' }), 'BAD_USER_INPUT');
  });
});
