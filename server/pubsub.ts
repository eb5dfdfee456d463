// Events the live parts publish: an impersonation session changed (extended or ended), the set of
// active sessions changed, sign-ins were revoked (their sockets close), and the access controls
// changed. In-process by default; through Redis when REDIS_URL is set, so an end decided on one
// instance reaches sockets held by every other instance. The topics and the check of each message
// are pubsub/messages.ts, the MAC every message through Redis carries pubsub/signing.ts, the Redis
// transport pubsub/redis-event-target.ts. An event only says what to read again: every receiver
// takes its decision from the database (banner-hub.ts, session-sockets.ts).
import { createPubSub } from 'graphql-yoga';
import type { PubSubTopics } from './pubsub/messages.ts';
import { redisEventTarget, type PubSubLog, type PubSubStatus } from './pubsub/redis-event-target.ts';
import { pubsubKey } from './pubsub/signing.ts';

export { SIGN_INS_PER_EVENT, decodePubSubMessage, type SessionChangedEvent } from './pubsub/messages.ts';
export { PUBSUB_REPLAY_WINDOW_MS, openPubSubMessage, pubsubKey, signPubSubMessage } from './pubsub/signing.ts';
export type { PubSubLog, PubSubLogEntry, PubSubStatus } from './pubsub/redis-event-target.ts';

/** The app's typed pub/sub. */
export type AppPubSub = ReturnType<typeof createPubSub<PubSubTopics>>;

/** The pub/sub of one instance, its health and how to close it. */
export interface PubSubHandle {
  pubsub: AppPubSub;
  /** Always `ready` in-process. Meant for a readiness endpoint. */
  status(): PubSubStatus;
  close(): Promise<void>;
}

const jsonLine: PubSubLog = (entry) => {
  const line = JSON.stringify({ time: new Date().toISOString(), ...entry });
  if (entry.level === 'warn') console.warn(line);
  else console.log(line);
};

/** Options of {@link createAppPubSub}. */
export interface PubSubOptions {
  /**
   * Receives every incident: dropped messages, failed publishes, Redis going down and back.
   * @default one JSON line on stdout (info) or stderr (warn)
   */
  log?: PubSubLog;
  /**
   * Signs and checks every message through Redis (pubsub/signing.ts).
   * @default the public development key: authenticates nothing (production requires PUBSUB_KEY)
   */
  key?: Buffer;
}

/**
 * @param redisUrl when given, events go through Redis pub/sub on this server.
 * @param channelPrefix isolates deployments (REDIS_PREFIX) and test runs that share one Redis.
 */
export function createAppPubSub(
  redisUrl: string | undefined,
  channelPrefix: string,
  options: PubSubOptions = {},
): PubSubHandle {
  if (!redisUrl) {
    return { pubsub: createPubSub<PubSubTopics>(), status: () => 'ready', close: async () => undefined };
  }
  const key = options.key ?? pubsubKey({ PUBSUB_KEY: undefined });
  const target = redisEventTarget(redisUrl, channelPrefix, options.log ?? jsonLine, key);
  return { pubsub: createPubSub<PubSubTopics>({ eventTarget: target.eventTarget }), ...target.lifecycle };
}
