// Events the live parts publish: an impersonation session changed (extended or ended) and the
// set of active sessions changed. In-process by default; through Redis when REDIS_URL is set,
// so an end decided on one instance reaches sockets held by every other instance.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';

export interface SessionChangedEvent {
  sessionId: string;
  staffId: string;
  customerId: string;
  ended: boolean;
}

export type PubSubTopics = {
  /** Keyed by impersonation session id. */
  'impersonation:session': [sessionId: string, event: SessionChangedEvent];
  'impersonation:active': [event: SessionChangedEvent];
};

export type AppPubSub = ReturnType<typeof createPubSub<PubSubTopics>>;

export interface PubSubHandle {
  pubsub: AppPubSub;
  close(): Promise<void>;
}

/**
 * @param redisUrl when given, events go through Redis pub/sub on this server.
 * @param channelPrefix isolates instances that share one Redis (tests give each run its own).
 */
export function createAppPubSub(redisUrl?: string, channelPrefix = 'salon'): PubSubHandle {
  if (!redisUrl) return { pubsub: createPubSub<PubSubTopics>(), close: async () => undefined };
  const publishClient = new Redis(redisUrl, { keyPrefix: undefined, maxRetriesPerRequest: 2 });
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  const pubsub = createPubSub<PubSubTopics>({ eventTarget });
  const prefixed: AppPubSub = {
    publish: ((topic: string, ...args: unknown[]) =>
      (pubsub.publish as (...a: unknown[]) => void)(`${channelPrefix}:${topic}`, ...args)) as AppPubSub['publish'],
    subscribe: ((topic: string, ...args: unknown[]) =>
      (pubsub.subscribe as (...a: unknown[]) => unknown)(
        `${channelPrefix}:${topic}`,
        ...args,
      )) as AppPubSub['subscribe'],
  };
  return {
    pubsub: prefixed,
    async close() {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
