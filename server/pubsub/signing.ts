// The authentication of every message sent through Redis: an HMAC-SHA256 with the deployment's
// PUBSUB_KEY over the channel (deployment prefix, topic and key), the send time and the payload, so
// that whoever can publish to Redis without the key cannot make an instance act on a message. A
// message without a MAC, with a wrong one, or sent more than PUBSUB_REPLAY_WINDOW_MS away from the
// receiver's clock is dropped before its payload is even parsed.
//
// node:crypto rather than a library: the whole scheme is one HMAC and one constant-time comparison,
// both in Node's standard library (createHmac, timingSafeEqual). The libraries that sign messages
// (JWS/JWT such as `jose`) wrap this same primitive in a header and encoding we would not use, and
// add algorithm negotiation, which is attack surface here. Receivers still decide nothing from a
// message (they read the row again), so a replay within the window changes nothing either.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';

/** How far a message's send time may be from the receiver's clock (either way), instances' clock skew included. */
export const PUBSUB_REPLAY_WINDOW_MS = 60_000;

/** The shortest PUBSUB_KEY accepted (characters): 32 random ones, e.g. `openssl rand -base64 32`. */
export const PUBSUB_KEY_MIN_LENGTH = 32;

/**
 * The key of development and test runs without PUBSUB_KEY. It is public (it is in this file), so
 * it authenticates nothing: it only lets instances of one machine talk. Production refuses to
 * start with REDIS_URL and no PUBSUB_KEY (config.ts).
 */
const DEVELOPMENT_KEY = createHash('sha256').update('salon pub/sub development key, not a secret').digest();

/** The key messages are signed and checked with: PUBSUB_KEY, or outside production the development key. */
export function pubsubKey(config: Pick<Config, 'PUBSUB_KEY'>): Buffer {
  return config.PUBSUB_KEY ? Buffer.from(config.PUBSUB_KEY, 'utf8') : DEVELOPMENT_KEY;
}

/** What travels on the wire: version, send time (ms since the epoch), MAC (base64url), payload (JSON text). */
interface Envelope {
  v: 1;
  ts: number;
  mac: string;
  payload: string;
}

/** Why a message was refused before its payload was looked at; stable, used as a metric label. */
export type RefusedMessage = 'unsigned' | 'bad_mac' | 'stale';

/** An opened message: its payload (JSON text, not yet checked against its topic), or why it was refused. */
export type OpenedMessage = { ok: true; payload: string } | { ok: false; reason: RefusedMessage };

/** The MAC over channel, send time and payload; JSON-encoded as a list so no field can bleed into another. */
function macOf(key: Buffer, channel: string, ts: number, payload: string): Buffer {
  return createHmac('sha256', key)
    .update(JSON.stringify([channel, ts, payload]))
    .digest();
}

/** The message to publish on `channel` (the full Redis channel, prefix included) for `payload` (JSON text). */
export function signPubSubMessage(key: Buffer, channel: string, payload: string, now = Date.now()): string {
  const envelope: Envelope = { v: 1, ts: now, mac: macOf(key, channel, now, payload).toString('base64url'), payload };
  return JSON.stringify(envelope);
}

/** Checks a message received on `channel`: signed with `key`, within the replay window of `now`. */
export function openPubSubMessage(key: Buffer, channel: string, message: string, now = Date.now()): OpenedMessage {
  let envelope: Partial<Envelope>;
  try {
    envelope = JSON.parse(message) as Partial<Envelope>;
  } catch {
    return { ok: false, reason: 'unsigned' };
  }
  if (
    typeof envelope !== 'object' ||
    envelope === null ||
    envelope.v !== 1 ||
    !Number.isSafeInteger(envelope.ts) ||
    typeof envelope.mac !== 'string' ||
    typeof envelope.payload !== 'string'
  ) {
    return { ok: false, reason: 'unsigned' };
  }
  const ts = envelope.ts!;
  const presented = Buffer.from(envelope.mac, 'base64url');
  const expected = macOf(key, channel, ts, envelope.payload);
  // timingSafeEqual throws on different lengths; the length of a SHA-256 MAC is no secret.
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return { ok: false, reason: 'bad_mac' };
  }
  if (Math.abs(now - ts) > PUBSUB_REPLAY_WINDOW_MS) return { ok: false, reason: 'stale' };
  return { ok: true, payload: envelope.payload };
}
