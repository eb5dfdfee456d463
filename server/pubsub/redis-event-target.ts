// The Redis transport of the app's pub/sub: events on channels `<prefix>:<topic>`, each signed
// with the deployment's key and checked (signing.ts: its MAC and send time; messages.ts: its
// topic's shape) before a subscriber sees it, with Redis' health reported as it changes. A dropped
// message is counted (salon_pubsub_messages_dropped_total) and logged at most once a minute.
//
// This event target is ours, not @graphql-yoga/redis-event-target (3.0.4), because
// that one cannot be made safe by wrapping it; each point was reproduced against it:
// - it parses every message inside ioredis' 'message' emit, so one non-JSON message on a channel
//   we listen to is an uncaught SyntaxError that stops the process. Its `serializer` option may
//   catch that, but it does not see the channel, so it cannot check an event against its topic,
//   and whatever it returns is still handed to every subscriber;
// - it neither awaits nor catches PUBLISH and SUBSCRIBE: with Redis down, each publish becomes an
//   unhandled rejection, which ends a Node 20 process;
// - a SUBSCRIBE that fails during an outage is never sent again: ioredis only restores channels
//   Redis had confirmed, and the library subscribes once per topic. Such a subscriber stays deaf.
// Wrapping would mean handing it stand-in clients that reimplement all of the above.
import type { PubSubEventTarget } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { pubsubMessagesDropped } from '../observability/process-metrics.ts';
import { decodePubSubMessage, type PubSubTopics } from './messages.ts';
import { openPubSubMessage, signPubSubMessage, type RefusedMessage } from './signing.ts';

/** Dropped messages are logged once per this window (the first one, with how many followed the last log). */
const DROP_LOG_WINDOW_MS = 60_000;

/**
 * `degraded` while Redis is unreachable or the subscriptions are not yet restored after a
 * reconnection: live pushes may be missed meanwhile. Session ends are still enforced on every
 * request, which reads the session from the database.
 */
export type PubSubStatus = 'ready' | 'degraded';

/** One structured record per pub/sub incident or Redis status change. */
export interface PubSubLogEntry {
  level: 'info' | 'warn';
  event:
    | 'pubsub.message_dropped'
    | 'pubsub.listener_failed'
    | 'pubsub.publish_failed'
    | 'pubsub.subscribe_failed'
    | 'pubsub.redis_error'
    | 'pubsub.redis_status';
  [detail: string]: unknown;
}

/** Where pub/sub incidents are reported. */
export type PubSubLog = (entry: PubSubLogEntry) => void;

type Listener = (event: CustomEvent) => void;
type ListenerOrObject = Listener | { handleEvent: Listener } | null;

/**
 * Events on channels `<prefix>:<type>`, delivered (to this instance too) only through Redis.
 * A failed publish is logged and lost; subscriptions are restored by us on every reconnection,
 * including those asked for while Redis was down.
 */
export function redisEventTarget(redisUrl: string, prefix: string, log: PubSubLog, key: Buffer) {
  // A publish waits through two reconnection attempts at most, then fails rather than piles up.
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  // Subscriptions are sent only on a ready connection and restored from `listeners` on 'ready'.
  const subscribeClient = new Redis(redisUrl, { autoResubscribe: false, enableOfflineQueue: false });
  const listeners = new Map<string, Set<Listener>>();
  let subscriptionsRestored = false;
  let reported: PubSubStatus = 'ready';
  let reportedError: string | undefined;
  let closed = false;
  let dropLogQuietUntil = 0;
  let droppedUnlogged = 0;

  const channelOf = (type: string) => `${prefix}:${type}`;
  const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
  const callbackOf = (listener: ListenerOrObject) =>
    listener && ('handleEvent' in listener ? listener.handleEvent : listener);

  function status(): PubSubStatus {
    const connected = publishClient.status === 'ready' && subscribeClient.status === 'ready';
    return connected && subscriptionsRestored ? 'ready' : 'degraded';
  }

  // Only a lost connection is news: 'degraded' while the clients first connect is not reported.
  function reportDown() {
    if (closed || reported === 'degraded') return;
    reported = 'degraded';
    log({ level: 'warn', event: 'pubsub.redis_status', status: reported, prefix });
  }

  function reportUp() {
    if (closed || reported === 'ready' || status() !== 'ready') return;
    reported = 'ready';
    reportedError = undefined;
    log({ level: 'info', event: 'pubsub.redis_status', status: reported, prefix });
  }

  function subscribe(channels: string[]) {
    return subscribeClient.subscribe(...channels).then(
      () => true,
      (error: unknown) => {
        log({
          level: 'warn',
          event: 'pubsub.subscribe_failed',
          command: 'subscribe',
          channels,
          error: messageOf(error),
        });
        return false;
      },
    );
  }

  function restoreSubscriptions() {
    const channels = [...listeners.keys()];
    void (channels.length > 0 ? subscribe(channels) : Promise.resolve(true)).then((restored) => {
      subscriptionsRestored = restored;
      if (restored) reportUp();
      else reportDown();
    });
  }

  /** Counts a dropped message; logs it unless one was logged less than DROP_LOG_WINDOW_MS ago. */
  function drop(channel: string, message: string, label: RefusedMessage | 'invalid', reason: string) {
    pubsubMessagesDropped.inc({ reason: label });
    const now = Date.now();
    if (now < dropLogQuietUntil) {
      droppedUnlogged += 1;
      return;
    }
    dropLogQuietUntil = now + DROP_LOG_WINDOW_MS;
    const since = droppedUnlogged;
    droppedUnlogged = 0;
    const bytes = Buffer.byteLength(message);
    log({ level: 'warn', event: 'pubsub.message_dropped', channel, reason, bytes, droppedUnloggedBefore: since });
  }

  function onMessage(channel: string, message: string) {
    const callbacks = listeners.get(channel);
    if (!callbacks) return;
    const opened = openPubSubMessage(key, channel, message);
    if (!opened.ok) return drop(channel, message, opened.reason, opened.reason);
    const type = channel.slice(prefix.length + 1);
    const decoded = decodePubSubMessage(type, opened.payload);
    if (!decoded.ok) return drop(channel, message, 'invalid', decoded.reason);
    const event = new CustomEvent(type, { detail: decoded.event });
    for (const callback of callbacks) {
      // A subscriber that cannot take more (its buffer overflowed) must not stop the others.
      try {
        callback(event);
      } catch (error) {
        log({ level: 'warn', event: 'pubsub.listener_failed', channel, error: messageOf(error) });
      }
    }
  }

  for (const client of [publishClient, subscribeClient]) {
    client.on('error', (error: unknown) => {
      const message = messageOf(error);
      if (closed || message === reportedError) return;
      reportedError = message;
      log({ level: 'warn', event: 'pubsub.redis_error', error: message });
    });
  }
  publishClient.on('ready', reportUp);
  publishClient.on('close', reportDown);
  subscribeClient.on('ready', restoreSubscriptions);
  subscribeClient.on('close', () => {
    subscriptionsRestored = false;
    reportDown();
  });
  subscribeClient.on('message', onMessage);

  const eventTarget: PubSubEventTarget<PubSubTopics> = {
    addEventListener(type: string, listener: ListenerOrObject) {
      const callback = callbackOf(listener);
      if (!callback) return;
      const channel = channelOf(type);
      let callbacks = listeners.get(channel);
      if (!callbacks) {
        callbacks = new Set();
        listeners.set(channel, callbacks);
        if (subscribeClient.status === 'ready') void subscribe([channel]);
      }
      callbacks.add(callback);
    },
    removeEventListener(type: string, listener: ListenerOrObject) {
      const callback = callbackOf(listener);
      const channel = channelOf(type);
      const callbacks = listeners.get(channel);
      if (!callback || !callbacks?.delete(callback) || callbacks.size > 0) return;
      listeners.delete(channel);
      if (subscribeClient.status === 'ready') {
        subscribeClient.unsubscribe(channel).catch((error: unknown) => {
          const entry = { command: 'unsubscribe', channels: [channel], error: messageOf(error) };
          log({ level: 'warn', event: 'pubsub.subscribe_failed', ...entry });
        });
      }
    },
    dispatchEvent(event: CustomEvent) {
      const channel = channelOf(event.type);
      const message = signPubSubMessage(key, channel, JSON.stringify(event.detail));
      publishClient.publish(channel, message).catch((error: unknown) => {
        log({ level: 'warn', event: 'pubsub.publish_failed', channel, error: messageOf(error) });
      });
      return true;
    },
  };

  return {
    eventTarget,
    lifecycle: {
      status,
      async close() {
        closed = true;
        publishClient.disconnect();
        subscribeClient.disconnect();
      },
    },
  };
}
