// Pub/sub through a real Redis under attack and outage: malformed messages on the app's channels,
// two deployments on one Redis, and Redis going away and coming back. Needs REDIS_URL; each test
// uses its own channel prefix.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestApp } from './harness.ts';
import { startTcpProxy, throughProxy } from './tcp-proxy.ts';
import {
  createAppPubSub,
  pubsubKey,
  signPubSubMessage,
  type PubSubHandle,
  type PubSubLogEntry,
  type SessionChangedEvent,
} from '../server/pubsub.ts';

const redisUrl = process.env.REDIS_URL;
/** Signed as an instance signs it (createAppPubSub's default key): these tests reach the topic's check. */
const signed = (channel: string, payload: string) => signPubSubMessage(pubsubKey({}), channel, payload);

const event = (sessionId: string, ended = false): SessionChangedEvent => ({
  sessionId,
  staffId: 'staff-1',
  customerId: 'customer-1',
  ended,
});

/** Resolves with the next value, or fails the test after `ms`. */
function within<T>(promise: Promise<IteratorResult<T>>, ms = 2_000): Promise<T> {
  return Promise.race([
    promise.then((result) => result.value as T),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms)),
  ]);
}

describe.skipIf(!redisUrl)('Redis pub/sub', () => {
  const opened: { close(): unknown }[] = [];
  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(opened.splice(0).map((resource) => resource.close()));
  });

  function rawClient() {
    const client = new Redis(redisUrl!);
    opened.push({ close: () => client.disconnect() });
    return client;
  }

  function openPubSub(url = redisUrl!, prefix = `pubsub-${randomBytes(6).toString('hex')}`) {
    const log: PubSubLogEntry[] = [];
    const handle = createAppPubSub(url, prefix, { log: (entry) => log.push(entry) });
    opened.push(handle);
    return { handle, prefix, log };
  }

  /** Starts listening and resolves once Redis has confirmed the channel's subscription. */
  async function listen(handle: Pick<PubSubHandle, 'pubsub'>, channel: string, raw: Redis) {
    const events = handle.pubsub.subscribe('impersonation:active');
    const next = () => events.next();
    const first = next();
    await vi.waitFor(async () => expect(await raw.pubsub('NUMSUB', channel)).toEqual([channel, 1]));
    return { first, next };
  }

  describe('Malformed messages', () => {
    it('drops a non-JSON message, logs it, and still delivers the next valid event', async () => {
      const raw = rawClient();
      const { handle, prefix, log } = openPubSub();
      const channel = `${prefix}:impersonation:active`;
      const { first } = await listen(handle, channel, raw);

      const message = signed(channel, 'not json {');
      await raw.publish(channel, message);
      handle.pubsub.publish('impersonation:active', event('s-1'));

      expect(await within(first)).toEqual(event('s-1'));
      expect(log).toContainEqual(
        expect.objectContaining({
          event: 'pubsub.message_dropped',
          channel,
          reason: 'not JSON',
          bytes: Buffer.byteLength(message),
        }),
      );
    });

    it('drops JSON that is not an event of the topic (no sessionId) and still delivers the next', async () => {
      const raw = rawClient();
      const { handle, prefix, log } = openPubSub();
      const channel = `${prefix}:impersonation:active`;
      const { first } = await listen(handle, channel, raw);

      await raw.publish(
        channel,
        signed(channel, JSON.stringify({ staffId: 'staff-1', customerId: 'customer-1', ended: true })),
      );
      handle.pubsub.publish('impersonation:active', event('s-2'));

      expect(await within(first)).toEqual(event('s-2'));
      const dropped = log.filter((entry) => entry.event === 'pubsub.message_dropped');
      expect(dropped).toEqual([
        expect.objectContaining({ channel, reason: expect.stringMatching(/^not a valid event: sessionId/) }),
      ]);
    });
  });

  describe('Deployments sharing one Redis', () => {
    it('keeps the events of two prefixes apart', async () => {
      const raw = rawClient();
      const salonA = openPubSub();
      const salonB = openPubSub();
      const onA = await listen(salonA.handle, `${salonA.prefix}:impersonation:active`, raw);
      const onB = await listen(salonB.handle, `${salonB.prefix}:impersonation:active`, raw);

      salonB.handle.pubsub.publish('impersonation:active', event('from-b'));
      // B's own listener has it, so Redis has delivered it to every subscriber of its channel.
      expect(await within(onB.first)).toEqual(event('from-b'));
      salonA.handle.pubsub.publish('impersonation:active', event('from-a'));

      expect(await within(onA.first)).toEqual(event('from-a'));
    });

    it('the app publishes on the REDIS_PREFIX channels', async () => {
      const raw = rawClient();
      const prefix = `pubsub-env-${randomBytes(6).toString('hex')}`;
      const app = await startTestApp({ config: { REDIS_PREFIX: prefix }, redisChannelPrefix: null });
      opened.push(app);
      const { first } = await listen(app.services, `${prefix}:impersonation:active`, raw);

      app.services.pubsub.publish('impersonation:active', event('s-env'));

      expect(await within(first)).toEqual(event('s-env'));
    });
  });

  describe('Redis down and back', () => {
    it('fails publishes without throwing while down, then delivers again after reconnecting', async () => {
      const raw = rawClient();
      const target = new URL(redisUrl!);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
      opened.push({ close: () => proxy.close().catch(() => undefined) });
      const { handle, prefix, log } = openPubSub(throughProxy(redisUrl!, proxy));
      const activeChannel = `${prefix}:impersonation:active`;
      const active = await listen(handle, activeChannel, raw);
      await vi.waitFor(() => expect(handle.status()).toBe('ready'));

      await proxy.cut();
      await vi.waitFor(() => expect(handle.status()).toBe('degraded'));
      expect(() => handle.pubsub.publish('impersonation:active', event('lost'))).not.toThrow();
      await vi.waitFor(() => expect(log).toContainEqual(expect.objectContaining({ event: 'pubsub.publish_failed' })));
      // Asked for while Redis is unreachable: must be subscribed once it is back.
      const session = handle.pubsub.subscribe('impersonation:session', 's-3');
      const sessionEvent = session.next();

      await proxy.restore();
      await vi.waitFor(() => expect(handle.status()).toBe('ready'), { timeout: 5_000 });
      expect(await raw.pubsub('NUMSUB', activeChannel, `${prefix}:impersonation:session:s-3`)).toEqual([
        activeChannel,
        1,
        `${prefix}:impersonation:session:s-3`,
        1,
      ]);
      handle.pubsub.publish('impersonation:session', 's-3', event('s-3', true));
      handle.pubsub.publish('impersonation:active', event('s-3', true));

      expect(await within(sessionEvent)).toEqual(event('s-3', true));
      expect(await within(active.first)).toEqual(event('s-3', true));
      expect(log.filter((entry) => entry.event === 'pubsub.redis_status')).toEqual([
        expect.objectContaining({ status: 'degraded' }),
        expect.objectContaining({ status: 'ready' }),
      ]);
    });
  });
});
