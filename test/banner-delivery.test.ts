// The banner's end and the socket's close, in order: an ended session's socket closes only after
// its banner delivered the end (close after delivery, session-sockets.ts), with 4403 and a reason;
// banner feeds of one session share one cached row and one pub/sub subscription, and nothing is
// kept once the clients leave (live.ts).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { liveBannerCounts } from '../server/impersonation/live.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { startSession } from './impersonation-helpers.ts';

let app: TestApp;

beforeAll(async () => {
  // Ticks every minute: the events seen here are the first status and the end.
  app = await startTestApp({ config: { IMPERSONATION_TICK_MS: 60_000 } });
});
afterAll(async () => {
  await app?.close();
});

const BANNER = 'subscription Banner { impersonationSession { sessionId state endReason remainingSeconds } }';
const TERMINATE = 'mutation T($id: ID!) { terminateImpersonation(sessionId: $id, reason: "Ticket closed") { id } }';

type Frame =
  | { kind: 'next'; id: string; state: string; endReason: string | null }
  | { kind: 'other'; type: string; id?: string }
  | { kind: 'close'; code: number; reason: string };

/** A raw graphql-ws socket recording every frame and the close, in the order they arrived. */
function rawSocket(token: string) {
  const frames: Frame[] = [];
  const socket = new WebSocket(app.wsUrl, 'graphql-transport-ws');
  let onAck!: () => void;
  const acked = new Promise<void>((resolve) => (onAck = resolve));
  const closed = new Promise<Frame>((resolve) =>
    socket.on('close', (code, reason) => {
      const frame: Frame = { kind: 'close', code, reason: reason.toString() };
      frames.push(frame);
      resolve(frame);
    }),
  );
  socket.on('open', () =>
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
  );
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.type === 'connection_ack') onAck();
    const status = message.payload?.data?.impersonationSession;
    if (message.type === 'next' && status) frames.push({ kind: 'next', id: message.id, ...status });
    else frames.push({ kind: 'other', type: message.type, id: message.id });
  });
  return {
    frames,
    closed,
    async subscribe(id: string, query = BANNER) {
      await acked;
      socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
    },
    nexts: (id: string) =>
      frames.filter((frame): frame is Extract<Frame, { kind: 'next' }> => frame.kind === 'next' && frame.id === id),
    close: () => socket.close(1000),
  };
}

describe('Forced termination: the end event, then the close', () => {
  it('delivers the banner’s end (with its reason) before the socket closes with 4403', async () => {
    const [mara, max] = [await app.signIn('mara'), await app.signIn('max')];
    const { token, session } = await startSession(app, mara);
    const socket = rawSocket(token);
    await socket.subscribe('banner');
    await vi.waitFor(() => expect(socket.nexts('banner')).toHaveLength(1));

    await app.gql(TERMINATE, { id: session.id }, max);
    const close = await socket.closed;

    expect(close).toEqual({ kind: 'close', code: 4403, reason: 'Impersonation session ended' });
    const endAt = socket.frames.findIndex((frame) => frame.kind === 'next' && frame.state === 'TERMINATED');
    expect(endAt).toBeGreaterThan(0);
    expect(socket.frames[endAt]).toMatchObject({ endReason: 'Ticket closed' });
    expect(socket.frames.indexOf(close)).toBeGreaterThan(endAt);
  });

  it('waits for every banner of the socket: two subscriptions both deliver the end before the close', async () => {
    const [mara, max] = [await app.signIn('mara'), await app.signIn('max')];
    const { token, session } = await startSession(app, mara);
    const socket = rawSocket(token);
    await socket.subscribe('first');
    await socket.subscribe('second');
    await vi.waitFor(() => expect(socket.nexts('second')).toHaveLength(1));
    await vi.waitFor(() => expect(socket.nexts('first')).toHaveLength(1));

    await app.gql(TERMINATE, { id: session.id }, max);
    const close = await socket.closed;

    expect(close).toMatchObject({ code: 4403 });
    for (const id of ['first', 'second']) {
      const end = socket.frames.findIndex(
        (frame) => frame.kind === 'next' && frame.id === id && frame.state !== 'ACTIVE',
      );
      expect(end, id).toBeGreaterThan(0);
      expect(socket.frames.indexOf(close)).toBeGreaterThan(end);
    }
  });

  it('closes a socket of the ended session that has no banner too, with 4403', async () => {
    const [mara, max] = [await app.signIn('mara'), await app.signIn('max')];
    const { token, session } = await startSession(app, mara);
    const socket = rawSocket(token);
    await socket.subscribe('me', '{ me { name } }');
    await vi.waitFor(() =>
      expect(socket.frames.some((frame) => frame.kind === 'other' && frame.type === 'complete')).toBe(true),
    );

    await app.gql(TERMINATE, { id: session.id }, max);
    expect(await socket.closed).toEqual({ kind: 'close', code: 4403, reason: 'Impersonation session ended' });
  });

  it('closes a socket of the ended session that has no banner too (unauthorized: another session’s socket stays open)', async () => {
    const [mara, max] = [await app.signIn('mara'), await app.signIn('max')];
    const ended = await startSession(app, mara);
    // A second manager's session on another customer: its banner keeps its socket.
    const other = await startSession(app, max, 'dan@example.test');
    const socket = rawSocket(other.token);
    await socket.subscribe('banner');
    await vi.waitFor(() => expect(socket.nexts('banner')).toHaveLength(1));

    await app.gql(TERMINATE, { id: ended.session.id }, max);
    await app.gql(
      'mutation E($id: ID!) { endImpersonation(sessionId: $id) { id } }',
      { id: other.session.id },
      other.token,
    );
    const close = await socket.closed;
    // The only end this socket saw is its own session's.
    expect(socket.nexts('banner').at(-1)).toMatchObject({ state: 'ENDED' });
    expect(close).toMatchObject({ code: 4403 });
  });
});

describe('Banner feeds share one entry per session and leave nothing behind', () => {
  it('two sockets on one session: one session watched, two feeds; none after they leave', async () => {
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    const before = liveBannerCounts(app.services);
    const sockets = [rawSocket(token), rawSocket(token)];
    for (const socket of sockets) await socket.subscribe('banner');
    await vi.waitFor(() => sockets.forEach((socket) => expect(socket.nexts('banner')).toHaveLength(1)));
    expect(liveBannerCounts(app.services)).toEqual({ sessions: before.sessions + 1, feeds: before.feeds + 2 });

    for (const socket of sockets) socket.close();
    await Promise.all(sockets.map((socket) => socket.closed));
    await vi.waitFor(() => expect(liveBannerCounts(app.services)).toEqual(before));
    await app.gql('mutation E($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, mara);
  });
});
