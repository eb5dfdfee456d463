// The events the app publishes, one schema per topic, and the check every message from Redis
// passes before a subscriber sees it (JSON, its topic's shape, and the key of a keyed topic), once
// its MAC was checked (signing.ts). An event names what changed, never the outcome: each receiver
// reads the row again and decides from it (docs/SECURITY.md).
import { z } from 'zod';

const SessionChangedEventSchema = z.object({
  sessionId: z.string().min(1),
  staffId: z.string().min(1),
  customerId: z.string().min(1),
  /** A hint of which receivers should look: whether the session ended is read from its row. */
  ended: z.boolean(),
});

/** An impersonation session started, changed or ended. */
export type SessionChangedEvent = z.infer<typeof SessionChangedEventSchema>;

/** At most this many sign-ins per event; more are announced in several events. */
export const SIGN_INS_PER_EVENT = 500;

const SignInsRevokedEventSchema = z.object({
  authSessionIds: z.array(z.string().min(1).max(100)).min(1).max(SIGN_INS_PER_EVENT),
  /**
   * Why, as the WebSocket close reason (at most 123 bytes on the wire) when the row says the
   * sign-in was revoked; one of the app's own reasons (auth/sign-ins.ts), any other is not used.
   */
  reason: z.string().min(1).max(120),
});

/** Sign-ins revoked: their sockets close on every instance where the rows confirm it. */
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

const GovernanceRequestChangedEventSchema = z.object({ requestId: z.string().min(1) });

/** A governance change was requested, approved, declined, cancelled or expired (the row is read again). */
export type GovernanceRequestChangedEvent = z.infer<typeof GovernanceRequestChangedEventSchema>;

const AlertChangedEventSchema = z.object({ alertId: z.string().min(1) });

/** An alert was raised or acknowledged (server/alerts/; the row is read again). */
export type AlertChangedEvent = z.infer<typeof AlertChangedEventSchema>;

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
  /** Managers' approvals list: governance requests (server/access/governance.ts). */
  'governance:request': [event: GovernanceRequestChangedEvent];
  /** Managers' alerts list and badge, and the notification worker (server/alerts/). */
  'alerts:changed': [event: AlertChangedEvent];
};

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
  'governance:request': { schema: GovernanceRequestChangedEventSchema },
  'alerts:changed': { schema: AlertChangedEventSchema },
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
