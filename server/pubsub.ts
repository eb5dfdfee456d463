// Events the live parts publish: an impersonation session changed (extended or ended), the set of
// active sessions changed, and sign-ins were revoked (their sockets close). In-process by default; through Redis when REDIS_URL is set,
// so an end decided on one instance reaches sockets held by every other instance.
//
// The Redis event target below is ours, not @graphql-yoga/redis-event-target (3.0.4), because
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
import { ImpersonationEndState } from '@prisma/client';
import { createPubSub, type PubSubEventTarget } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { z } from 'zod';

const SessionChangedEventSchema = z.object({
  sessionId: z.string().min(1),
  staffId: z.string().min(1),
  customerId: z.string().min(1),
  ended: z.boolean(),
  /**
   * The end itself, when the change is the end: banners push it without reading the row again (an
   * end is final, so an event arriving late cannot undo a later change). Other changes are read
   * from the database, which always has the latest.
   */
  end: z
    .object({
      endedAt: z.iso.datetime(),
      endState: z.enum(ImpersonationEndState),
      endReason: z.string().max(2000).nullable(),
    })
    .optional(),
});

/** An impersonation session started, changed or ended. */
export type SessionChangedEvent = z.infer<typeof SessionChangedEventSchema>;

/** At most this many sign-ins per event; more are announced in several events. */
export const SIGN_INS_PER_EVENT = 500;

const SignInsRevokedEventSchema = z.object({
  authSessionIds: z.array(z.string().min(1).max(100)).min(1).max(SIGN_INS_PER_EVENT),
  /** Sent as the WebSocket close reason (at most 123 bytes on the wire). */
  reason: z.string().min(1).max(120),
});

/** Sign-ins revoked: their sockets close on every instance. */
export type SignInsRevokedEvent = z.infer<typeof SignInsRevokedEventSchema>;

const StaffViewsSwitchedEventSchema = z.object({ enabled: z.boolean() });

/** A manager turned staff views off or back on salon-wide (the state itself is read from the database). */
export type StaffViewsSwitchedEvent = z.infer<typeof StaffViewsSwitchedEventSchema>;
const AccessRequestChangedEventSchema = z.object({
  requestId: z.string().min(1),
  staffId: z.string().min(1),
  customerId: z.string().min(1),
});

/** An access request (consent, four-eyes) was created, answered, used or expired. */
export type AccessRequestChangedEvent = z.infer<typeof AccessRequestChangedEventSchema>;

const CustomerAccessChangedEventSchema = z.object({ customerId: z.string().min(1) });

/** Something the customer's staff-access section shows changed: a request, a grant, the preference. */
export type CustomerAccessChangedEvent = z.infer<typeof CustomerAccessChangedEventSchema>;

/** The topics the app publishes and their payloads. */
export type PubSubTopics = {
  /** Keyed by impersonation session id. */
  'impersonation:session': [sessionId: string, event: SessionChangedEvent];
  'impersonation:active': [event: SessionChangedEvent];
  /**
   * Sign-ins that no longer hold what their sockets were opened with: revoked (sign-out,
   * deactivation, disabled customer, password change) or stripped of the manager role.
   */
  'auth:revoked': [event: SignInsRevokedEvent];
  /** The salon-wide kill switch changed (server/access/kill-switch.ts). */
  'salon:staff-views': [event: StaffViewsSwitchedEvent];
  /** Staff side: the requester's dialog and the managers' approvals list. */
  'access:request': [event: AccessRequestChangedEvent];
  /** Keyed by customer id: the customer's open portal. */
  'access:customer': [customerId: string, event: CustomerAccessChangedEvent];
};

/** The app's typed pub/sub. */
export type AppPubSub = ReturnType<typeof createPubSub<PubSubTopics>>;

/**
 * `degraded` while Redis is unreachable or the subscriptions are not yet restored after a
 * reconnection: live pushes may be missed meanwhile. Session ends are still enforced on every
 * request, which reads the session from the database.
 */
export type PubSubStatus = 'ready' | 'degraded';

/** The pub/sub of one instance, its health and how to close it. */
export interface PubSubHandle {
  pubsub: AppPubSub;
  /** Always `ready` in-process. Meant for a readiness endpoint. */
  status(): PubSubStatus;
  close(): Promise<void>;
}

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
  const target = redisEventTarget(redisUrl, channelPrefix, options.log ?? jsonLine);
  return { pubsub: createPubSub<PubSubTopics>({ eventTarget: target.eventTarget }), ...target.lifecycle };
}

type TopicEvent<Topic extends keyof PubSubTopics> = PubSubTopics[Topic] extends [unknown, infer Event]
  ? Event
  : PubSubTopics[Topic][0];

interface TopicRule<Event> {
  schema: z.ZodType<Event>;
  /** Keyed topics only: the key an event must carry to be valid on channel `<topic>:<key>`. */
  key?(event: Event): string;
}

const topicRules: { [Topic in keyof PubSubTopics]: TopicRule<TopicEvent<Topic>> } = {
  'impersonation:session': { schema: SessionChangedEventSchema, key: (event) => event.sessionId },
  'impersonation:active': { schema: SessionChangedEventSchema },
  'auth:revoked': { schema: SignInsRevokedEventSchema },
  'salon:staff-views': { schema: StaffViewsSwitchedEventSchema },
  'access:request': { schema: AccessRequestChangedEventSchema },
  'access:customer': { schema: CustomerAccessChangedEventSchema, key: (event) => event.customerId },
};

/** A Redis message checked against its topic: the event, or why it was dropped. */
export type DecodedMessage = { ok: true; event: unknown } | { ok: false; reason: string };

/**
 * Checks a message that arrived from Redis before anyone sees it: JSON, the shape of its topic's
 * event, and for a keyed topic that the event belongs to the key in the channel name.
 * @param type the channel without the deployment prefix: `impersonation:active`,
 * `impersonation:session:<sessionId>`, `auth:revoked`
 */
export function decodePubSubMessage(type: string, message: string): DecodedMessage {
  const topic = matchTopic(type);
  if (!topic) return { ok: false, reason: 'unknown topic' };
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = topic.rule.schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    return { ok: false, reason: `not a valid event: ${issues.join('; ')}` };
  }
  if (topic.key !== undefined && topic.rule.key?.(parsed.data) !== topic.key) {
    return { ok: false, reason: 'event does not belong to its channel' };
  }
  return { ok: true, event: parsed.data };
}

function matchTopic(type: string): { rule: TopicRule<unknown>; key?: string } | undefined {
  for (const [topic, rule] of Object.entries(topicRules) as [string, TopicRule<unknown>][]) {
    if (!rule.key && type === topic) return { rule };
    if (rule.key && type.startsWith(`${topic}:`) && type.length > topic.length + 1) {
      return { rule, key: type.slice(topic.length + 1) };
    }
  }
  return undefined;
}

type Listener = (event: CustomEvent) => void;
type ListenerOrObject = Listener | { handleEvent: Listener } | null;

/**
 * Events on channels `<prefix>:<type>`, delivered (to this instance too) only through Redis.
 * A failed publish is logged and lost; subscriptions are restored by us on every reconnection,
 * including those asked for while Redis was down.
 */
function redisEventTarget(redisUrl: string, prefix: string, log: PubSubLog) {
  // A publish waits through two reconnection attempts at most, then fails rather than piles up.
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  // Subscriptions are sent only on a ready connection and restored from `listeners` on 'ready'.
  const subscribeClient = new Redis(redisUrl, { autoResubscribe: false, enableOfflineQueue: false });
  const listeners = new Map<string, Set<Listener>>();
  let subscriptionsRestored = false;
  let reported: PubSubStatus = 'ready';
  let reportedError: string | undefined;
  let closed = false;

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

  function onMessage(channel: string, message: string) {
    const callbacks = listeners.get(channel);
    if (!callbacks) return;
    const type = channel.slice(prefix.length + 1);
    const decoded = decodePubSubMessage(type, message);
    if (!decoded.ok) {
      log({
        level: 'warn',
        event: 'pubsub.message_dropped',
        channel,
        reason: decoded.reason,
        bytes: Buffer.byteLength(message),
      });
      return;
    }
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
      publishClient.publish(channel, JSON.stringify(event.detail)).catch((error: unknown) => {
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
