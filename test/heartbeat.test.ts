// The WebSocket heartbeat (transport/heartbeat.ts): every socket of the app is pinged every
// WS_KEEPALIVE_MS from one shared timer; a socket that does not answer by its next turn is terminated
// (a peer gone without a close), one that answers stays open however long it lives. graphql-ws' own
// per-socket keep-alive is off: a socket gets one ping per interval, not two.
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from './harness.ts';

const KEEPALIVE_MS = 300;

let app: TestApp;
let token: string;

beforeAll(async () => {
  app = await startTestApp({ config: { WS_KEEPALIVE_MS: KEEPALIVE_MS } });
  token = await app.signIn('mara');
});

afterAll(async () => {
  await app?.close();
});

/** An initialised graphql-transport-ws socket; `autoPong: false` plays a peer that is gone. */
async function openSocket(autoPong: boolean) {
  const socket = new WebSocket(app.wsUrl, 'graphql-transport-ws', { autoPong });
  let pings = 0;
  socket.on('ping', () => pings++);
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise((resolve) => socket.once('open', resolve));
  const acked = new Promise((resolve) => socket.once('message', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  expect(JSON.parse(String(await acked))).toEqual({ type: 'connection_ack' });
  return { socket, closed, pings: () => pings };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a socket that answers its pings stays open, pinged once per interval', async () => {
  const { socket, pings } = await openSocket(true);
  await sleep(KEEPALIVE_MS * 5);
  expect(socket.readyState).toBe(WebSocket.OPEN);
  // Once per interval (4 or 5 in 5 intervals): not twice, as graphql-ws' keep-alive beside ours would.
  expect(pings()).toBeGreaterThanOrEqual(4);
  expect(pings()).toBeLessThanOrEqual(6);
  // It still serves operations.
  const answer = new Promise((resolve) => socket.on('message', (data) => resolve(JSON.parse(String(data)))));
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } }));
  expect(await answer).toMatchObject({ id: '1', type: 'next', payload: { data: { __typename: 'Query' } } });
  socket.close();
});

test('a socket that does not answer is terminated by its next turn', async () => {
  const started = Date.now();
  const { closed, pings } = await openSocket(false);
  // Terminated, not closed: the client sees the connection drop (1006) without a close frame.
  expect(await closed).toBe(1006);
  expect(pings()).toBe(1);
  // Pinged within one interval of opening, terminated one interval later.
  expect(Date.now() - started).toBeLessThan(KEEPALIVE_MS * 2 + 1000);
});
