// A socket's origin (client address, user agent) is read once from its upgrade request, as it opens;
// the request itself is not kept for the socket's life (issue 26: heap per banner socket). A staff
// view's records of what it did over the socket, and of the socket's refusal, still carry that origin,
// each socket its own.
import { AuditAction } from '@prisma/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from './harness.ts';
import { startSession } from './impersonation-helpers.ts';

let app: TestApp;
let mara: string;

beforeAll(async () => {
  app = await startTestApp();
  mara = await app.signIn('mara');
});

afterAll(async () => {
  await app?.close();
});

const END = 'mutation End($sessionId: ID!) { endImpersonation(sessionId: $sessionId) { id } }';

/** A graphql-transport-ws socket opened with `userAgent` and initialised with `token`. */
async function openSocket(token: string, userAgent: string) {
  const socket = new WebSocket(app.wsUrl, 'graphql-transport-ws', { headers: { 'user-agent': userAgent } });
  const messages: { id?: string; type: string }[] = [];
  const arrived: (() => void)[] = [];
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as { id?: string; type: string });
    for (const wake of arrived.splice(0)) wake();
  });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  const until = async (predicate: () => boolean) => {
    while (!predicate()) await new Promise<void>((resolve) => arrived.push(resolve));
  };
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await until(() => messages.some((message) => message.type === 'connection_ack'));
  return {
    socket,
    closed,
    /** Runs `query` over the socket and waits for its completion. */
    async run(id: string, query: string) {
      socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
      await until(() => messages.some((message) => message.id === id && message.type === 'complete'));
    },
  };
}

/** The staff view's first record matching `where`, once it is written. */
async function recordOf(where: Record<string, unknown>) {
  const find = () => app.services.prisma.auditEvent.findFirst({ where });
  let row = await find();
  while (!row) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    row = await find();
  }
  return row;
}

test('a staff view’s query over a socket is recorded with the socket’s address and user agent', async () => {
  const { token, session } = await startSession(app, mara);
  const client = await openSocket(token, 'socket-origin-test');
  await client.run('1', '{ me { name } }');
  const row = await recordOf({ sessionId: session.id, action: AuditAction.OPERATION, operationType: 'query' });
  expect(row.ip).toMatch(/127\.0\.0\.1$/);
  expect(row.userAgent).toBe('socket-origin-test');
  client.socket.close();
  await app.gql(END, { sessionId: session.id }, mara);
});

test('a socket refused for a message over the limit is recorded with its own user agent, not another socket’s (unauthorized)', async () => {
  const { token, session } = await startSession(app, mara);
  const other = await openSocket(token, 'the-other-socket');
  const client = await openSocket(token, 'socket-over-the-limit');
  client.socket.send(
    JSON.stringify({
      id: '1',
      type: 'subscribe',
      payload: { query: '{ me { name } }', variables: { s: 'x'.repeat(200_000) } },
    }),
  );
  expect(await client.closed).toBe(1009);
  const row = await recordOf({ sessionId: session.id, errorCode: 'REQUEST_ENTITY_TOO_LARGE' });
  expect(row).toMatchObject({ outcome: 'DENIED', operationType: 'connection', userAgent: 'socket-over-the-limit' });
  expect(row.ip).toMatch(/127\.0\.0\.1$/);
  other.socket.close();
  await app.gql(END, { sessionId: session.id }, mara);
});
