// What a message from Redis must be before a subscriber sees it, and the channel prefix setting.
// No Redis needed.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.ts';
import { decodePubSubMessage } from '../server/pubsub.ts';

const event = { sessionId: 's-1', staffId: 'staff-1', customerId: 'customer-1', ended: false };

describe('decodePubSubMessage', () => {
  it('accepts a session event on the active-sessions topic', () => {
    expect(decodePubSubMessage('impersonation:active', JSON.stringify(event))).toEqual({ ok: true, event });
  });

  it('accepts a session event on the channel of its own session', () => {
    expect(decodePubSubMessage('impersonation:session:s-1', JSON.stringify(event))).toEqual({ ok: true, event });
  });

  it('refuses a message that is not JSON', () => {
    expect(decodePubSubMessage('impersonation:active', 'not json {')).toEqual({ ok: false, reason: 'not JSON' });
  });

  it('refuses an empty message', () => {
    expect(decodePubSubMessage('impersonation:active', '')).toEqual({ ok: false, reason: 'not JSON' });
  });

  it('refuses an event without a sessionId', () => {
    const { sessionId: _, ...withoutSession } = event;
    const decoded = decodePubSubMessage('impersonation:active', JSON.stringify(withoutSession));
    expect(decoded).toEqual({ ok: false, reason: expect.stringMatching(/^not a valid event: sessionId/) });
  });

  it('refuses an event whose fields have the wrong types', () => {
    const decoded = decodePubSubMessage('impersonation:active', JSON.stringify({ ...event, ended: 'yes' }));
    expect(decoded).toEqual({ ok: false, reason: expect.stringMatching(/^not a valid event: ended/) });
  });

  it('refuses JSON that is not an object', () => {
    for (const message of ['null', '42', '"s-1"', '[]']) {
      expect(decodePubSubMessage('impersonation:active', message)).toMatchObject({ ok: false });
    }
  });

  it("refuses another session's event on a session's channel", () => {
    expect(decodePubSubMessage('impersonation:session:s-2', JSON.stringify(event))).toEqual({
      ok: false,
      reason: 'event does not belong to its channel',
    });
  });

  it('refuses a session topic without a session id, and unknown topics', () => {
    for (const type of ['impersonation:session', 'impersonation:session:', 'impersonation:other', 'audit']) {
      expect(decodePubSubMessage(type, JSON.stringify(event))).toEqual({ ok: false, reason: 'unknown topic' });
    }
  });

  it('drops fields an event does not have', () => {
    const decoded = decodePubSubMessage('impersonation:active', JSON.stringify({ ...event, admin: true }));
    expect(decoded).toEqual({ ok: true, event });
  });
});

describe('REDIS_PREFIX', () => {
  it("defaults to 'salon'", () => {
    expect(loadConfig({}).REDIS_PREFIX).toBe('salon');
  });

  it('takes a deployment name', () => {
    expect(loadConfig({ REDIS_PREFIX: 'salon-staging.eu_1' }).REDIS_PREFIX).toBe('salon-staging.eu_1');
  });

  it('refuses a prefix with separators or spaces', () => {
    for (const REDIS_PREFIX of ['salon:prod', 'salon prod', 'salon*', 'x'.repeat(65)]) {
      expect(() => loadConfig({ REDIS_PREFIX })).toThrow(/REDIS_PREFIX/);
    }
  });
});
