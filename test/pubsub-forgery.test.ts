// Forged pub/sub messages decide nothing. Two defences, each tested on its own: every message
// through Redis carries an HMAC with PUBSUB_KEY and a send time (server/pubsub/signing.ts), and
// every receiver reads the row again and acts on what it says (banner-hub.ts, socket-rereads.ts),
// so even a message that passes the MAC (or an in-process one) cannot end a banner, close a socket
// or put words in a banner. The MAC and the setting need no Redis; the two instances do.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../server/config.ts';
import { pubsubMessagesDropped } from '../server/observability/process-metrics.ts';
import { PUBSUB_REPLAY_WINDOW_MS, openPubSubMessage, pubsubKey, signPubSubMessage } from '../server/pubsub.ts';
import { errorCode, startTestApp, startTestAppBeside, TEST_PUBSUB_KEY, type TestApp } from './harness.ts';
import { collect, startSession } from './impersonation-helpers.ts';

const redisUrl = process.env.REDIS_URL;
const KEY = pubsubKey({ PUBSUB_KEY: TEST_PUBSUB_KEY });
const CHANNEL = 'salon:auth:revoked';
const PAYLOAD = JSON.stringify({ authSessionIds: ['a-1'], reason: 'Signed out' });
const BANNER = 'subscription { impersonationSession { state endReason } }';
type Banner = { impersonationSession: { state: string; endReason: string | null } };

describe('The MAC of a pub/sub message', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  const signed = signPubSubMessage(KEY, CHANNEL, PAYLOAD, now);

  it('opens a message signed with the key, on its channel, within the window (authorized)', () => {
    expect(openPubSubMessage(KEY, CHANNEL, signed, now + PUBSUB_REPLAY_WINDOW_MS)).toEqual({
      ok: true,
      payload: PAYLOAD,
    });
  });

  it('refuses a message without a MAC: a bare event, text that is not JSON, an envelope missing a field', () => {
    for (const message of [PAYLOAD, 'not json {', 'null', '42', JSON.stringify({ v: 1, ts: now, payload: PAYLOAD })]) {
      expect(openPubSubMessage(KEY, CHANNEL, message, now)).toEqual({ ok: false, reason: 'unsigned' });
    }
  });

  it('refuses a wrong MAC: another key, another channel or deployment, a changed payload or time, a cut MAC', () => {
    const envelope = JSON.parse(signed) as { ts: number; mac: string; payload: string };
    const forged = [
      signPubSubMessage(pubsubKey({ PUBSUB_KEY: 'another-key-of-at-least-32-characters!!' }), CHANNEL, PAYLOAD, now),
      signPubSubMessage(pubsubKey({ PUBSUB_KEY: undefined }), CHANNEL, PAYLOAD, now),
      signPubSubMessage(KEY, 'other:auth:revoked', PAYLOAD, now),
      JSON.stringify({ ...envelope, payload: PAYLOAD.replace('a-1', 'a-2') }),
      JSON.stringify({ ...envelope, ts: now + 1 }),
      JSON.stringify({ ...envelope, mac: envelope.mac.slice(0, 20) }),
      JSON.stringify({ ...envelope, mac: '' }),
    ];
    for (const message of forged) {
      expect(openPubSubMessage(KEY, CHANNEL, message, now)).toEqual({ ok: false, reason: 'bad_mac' });
    }
  });

  it('refuses a message signed with the right key outside the replay window, either way', () => {
    for (const sentAt of [now - PUBSUB_REPLAY_WINDOW_MS - 1, now + PUBSUB_REPLAY_WINDOW_MS + 1]) {
      const message = signPubSubMessage(KEY, CHANNEL, PAYLOAD, sentAt);
      expect(openPubSubMessage(KEY, CHANNEL, message, now)).toEqual({ ok: false, reason: 'stale' });
    }
  });
});

describe('PUBSUB_KEY', () => {
  const production = { NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:6379' };

  it('is required in production with Redis', () => {
    expect(() => loadConfig(production)).toThrow(/PUBSUB_KEY is required in production when REDIS_URL is set/);
  });

  it('is refused when shorter than 32 characters', () => {
    expect(() => loadConfig({ ...production, PUBSUB_KEY: 'short' })).toThrow(/PUBSUB_KEY/);
  });

  it('is not needed in production without Redis, nor in development (authorized)', () => {
    expect(loadConfig(production, { PUBSUB_KEY: TEST_PUBSUB_KEY }).PUBSUB_KEY).toBe(TEST_PUBSUB_KEY);
    expect(loadConfig({ NODE_ENV: 'production' }).PUBSUB_KEY).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'development', REDIS_URL: production.REDIS_URL }).PUBSUB_KEY).toBeUndefined();
  });
});

/** A raw graphql-ws socket that only connects: tracked by the registry, closes as it decides. */
async function openSocket(app: TestApp, token: string) {
  const socket = new WebSocket(app.wsUrl, 'graphql-transport-ws');
  let code: number | null = null;
  socket.on('close', (closeCode) => (code = closeCode));
  await new Promise<void>((resolve, reject) => {
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    );
    socket.on('message', (data) => (JSON.parse(data.toString()).type === 'connection_ack' ? resolve() : undefined));
    socket.on('error', reject);
  });
  return { closeCode: () => code, close: () => socket.close(1000) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

async function authSessionOf(app: TestApp, email: string) {
  return app.services.prisma.authSession.findFirstOrThrow({
    where: { revokedAt: null, OR: [{ customer: { email } }, { staff: { email } }] },
    orderBy: { createdAt: 'desc' },
  });
}

describe('Receivers decide from the database (in-process: as if a message had passed the MAC)', () => {
  let app: TestApp;
  beforeAll(async () => (app = await startTestApp()));
  afterAll(async () => app?.close());

  it('a forged revocation of a live customer sign-in closes nothing; her real sign-out closes the socket', async () => {
    const chloe = await app.signIn('chloe');
    const signIn = await authSessionOf(app, 'chloe@example.test');
    const socket = await openSocket(app, chloe);
    app.services.pubsub.publish('auth:revoked', { authSessionIds: [signIn.id], reason: 'Call 555-0100 now' });
    await settle();
    expect(socket.closeCode()).toBeNull();
    expect(errorCode(await app.gql('{ me { name } }', {}, chloe))).toBeUndefined();

    await app.gql('mutation { signOut }', {}, chloe);
    await vi.waitFor(() => expect(socket.closeCode()).toBe(4403));
  });

  it("a forged 'lost the manager role' leaves a manager's socket open; once the row says so, it closes", async () => {
    const mara = await app.signIn('mara');
    const signIn = await authSessionOf(app, 'mara@salon.test');
    const socket = await openSocket(app, mara);
    const announce = () =>
      app.services.pubsub.publish('auth:revoked', {
        authSessionIds: [signIn.id],
        reason: 'Staff member lost the manager role',
      });
    announce();
    await settle();
    expect(socket.closeCode()).toBeNull();

    await app.services.prisma.staff.update({ where: { id: signIn.staffId! }, data: { role: 'RECEPTIONIST' } });
    try {
      announce();
      await vi.waitFor(() => expect(socket.closeCode()).toBe(4403));
    } finally {
      await app.services.prisma.staff.update({ where: { id: signIn.staffId! }, data: { role: 'MANAGER' } });
    }
  });
});

/** The drop counter of one reason (process-wide: both instances of this file count into it). */
async function dropped(reason: string): Promise<number> {
  const metric = await pubsubMessagesDropped.get();
  return metric.values.find((value) => value.labels.reason === reason)?.value ?? 0;
}

describe.skipIf(!redisUrl)('Forged messages on Redis, two instances', () => {
  let first: TestApp;
  let second: TestApp;
  let raw: Redis;
  const prefix = `forgery-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    first = await startTestApp({ redisChannelPrefix: prefix, config: { IMPERSONATION_TICK_MS: 60_000 } });
    second = await startTestAppBeside(first, { redisChannelPrefix: prefix, config: { IMPERSONATION_TICK_MS: 60_000 } });
    raw = new Redis(redisUrl!);
  });
  afterAll(async () => {
    raw?.disconnect();
    await second?.close();
    await first?.close();
  });

  it('no MAC, a wrong MAC, a stale MAC, a signed end and a signed revocation: banner, socket, session and token stay live', async () => {
    const mara = await first.signIn('mara');
    const chloe = await first.signIn('chloe');
    const chloeSignIn = await authSessionOf(first, 'chloe@example.test');
    const { token, session } = await startSession(first, mara);
    let bannerClosed: number | null = null;
    const banner = collect<Banner>(
      first.wsClient(token, (code) => (bannerClosed = code)),
      BANNER,
    );
    await banner.until((value) => value.impersonationSession.state === 'ACTIVE');
    const customerSocket = await openSocket(first, chloe);
    const sessionChannel = `${prefix}:impersonation:session:${session.id}`;
    const live = await first.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    const event = {
      sessionId: session.id,
      staffId: live.staffId,
      customerId: live.customerId,
      ended: true,
      end: { endedAt: new Date().toISOString(), endState: 'TERMINATED', endReason: 'Security: call 555-0100 now' },
    };
    const revoked = { authSessionIds: [chloeSignIn.id], reason: 'Signed out' };
    const signed = (channel: string, payload: unknown, at = Date.now()) =>
      signPubSubMessage(KEY, channel, JSON.stringify(payload), at);
    const invalid = await dropped('invalid');
    const before = {
      unsigned: await dropped('unsigned'),
      bad: await dropped('bad_mac'),
      stale: await dropped('stale'),
    };

    for (const [channel, payload] of [
      [sessionChannel, event],
      [`${prefix}:impersonation:active`, event],
      [`${prefix}:auth:revoked`, revoked],
    ] as const) {
      await raw.publish(channel, JSON.stringify(payload));
      await raw.publish(channel, signPubSubMessage(pubsubKey({}), channel, JSON.stringify(payload)));
      await raw.publish(channel, signed(channel, payload, Date.now() - PUBSUB_REPLAY_WINDOW_MS - 5_000));
    }
    // Dropped (and counted) by every instance that listens: both on the shared channels, the first on the banner's.
    await vi.waitFor(async () => {
      expect(await dropped('unsigned')).toBe(before.unsigned + 5);
      expect(await dropped('bad_mac')).toBe(before.bad + 5);
      expect(await dropped('stale')).toBe(before.stale + 5);
    });
    // Signed with the key (an insider, or a replay within the window): read again, decided by the rows.
    const seen = banner.values.length;
    await raw.publish(sessionChannel, signed(sessionChannel, event));
    await raw.publish(`${prefix}:impersonation:active`, signed(`${prefix}:impersonation:active`, event));
    await raw.publish(`${prefix}:auth:revoked`, signed(`${prefix}:auth:revoked`, revoked));
    await vi.waitFor(() => expect(banner.values.length).toBeGreaterThan(seen));
    await settle();
    expect(await dropped('invalid')).toBe(invalid);

    expect(banner.values.map((value) => value.impersonationSession)).toEqual(
      banner.values.map(() => ({ state: 'ACTIVE', endReason: null })),
    );
    expect(bannerClosed).toBeNull();
    expect(customerSocket.closeCode()).toBeNull();
    expect(errorCode(await first.gql('{ me { name } }', {}, token))).toBeUndefined();
    expect(errorCode(await second.gql('{ me { name } }', {}, chloe))).toBeUndefined();
    const row = await first.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.endedAt).toBeNull();

    // A real termination on the other instance reaches the banner with the database's text.
    const max = await second.signIn('max');
    await second.gql(
      'mutation T($id: ID!) { terminateImpersonation(sessionId: $id, reason: "Ticket closed, thanks") { id } }',
      { id: session.id },
      max,
    );
    const end = await banner.until((value) => value.impersonationSession.state !== 'ACTIVE', 5_000);
    const ended = await first.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(end.impersonationSession).toEqual({ state: 'TERMINATED', endReason: ended.endReason });
    await vi.waitFor(() => expect(bannerClosed).toBe(4403));
    customerSocket.close();
  });
});
