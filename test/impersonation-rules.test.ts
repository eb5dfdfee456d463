// The session rules as pure functions: no database, explicit `now`.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config.ts';
import {
  assertCanStart,
  assertValidReason,
  extensionDecision,
  impersonationLimits,
  remainingSeconds,
  sessionState,
} from '../server/impersonation/policy.ts';
import { MINUTE } from './factories.ts';

const limits = impersonationLimits(loadConfig({}));
const start = new Date('2026-01-01T10:00:00Z');
/** The moment `ms` after the session started. */
const at = (ms: number) => new Date(start.getTime() + ms);
const expiry = limits.durationMs;
const windowOpens = limits.durationMs - limits.extensionWindowMs;
const extendedExpiry = Math.min(limits.durationMs + limits.extensionMs, limits.maxTotalMs);
const session = (overrides = {}) => ({
  startedAt: start,
  expiresAt: at(expiry),
  extendedAt: null,
  endedAt: null,
  endState: null,
  ...overrides,
});
const manager = { active: true, role: 'MANAGER' as const };

describe('starting', () => {
  it('an active manager may start a session', () => {
    expect(() => assertCanStart({ actor: manager, customer: { status: 'ACTIVE' }, activeSession: null })).not.toThrow();
  });
  it('an active manager may start a session (unauthorized: receptionist)', () => {
    expect(() =>
      assertCanStart({
        actor: { active: true, role: 'RECEPTIONIST' },
        customer: { status: 'ACTIVE' },
        activeSession: null,
      }),
    ).toThrow(/managers/);
  });
  it('an active manager may start a session (unauthorized: deactivated manager)', () => {
    expect(() =>
      assertCanStart({
        actor: { active: false, role: 'MANAGER' },
        customer: { status: 'ACTIVE' },
        activeSession: null,
      }),
    ).toThrow(/managers/);
  });
  it('refuses a disabled customer', () => {
    expect(() => assertCanStart({ actor: manager, customer: { status: 'DISABLED' }, activeSession: null })).toThrow(
      /disabled/,
    );
  });
  it('refuses a second session and names the active one', () => {
    try {
      assertCanStart({ actor: manager, customer: { status: 'ACTIVE' }, activeSession: { id: 's1' } });
      expect.unreachable();
    } catch (error) {
      expect((error as { extensions: Record<string, unknown> }).extensions).toMatchObject({
        code: 'CONFLICT',
        activeSessionId: 's1',
      });
    }
  });
  it('requires a reason of 10 to 500 characters', () => {
    expect(() => assertValidReason('too short')).toThrow(/10 to 500/);
    expect(() => assertValidReason('x'.repeat(501))).toThrow(/10 to 500/);
    expect(assertValidReason('  billing question  ')).toBe('billing question');
  });
});

describe('time', () => {
  it('counts down to the expiry and then reports EXPIRED', () => {
    expect(remainingSeconds(session(), at(expiry - 30_000))).toBe(30);
    expect(sessionState(session(), at(expiry))).toBe('EXPIRED');
    expect(remainingSeconds(session(), at(expiry + MINUTE))).toBe(0);
  });
  it('reports how an ended session ended', () => {
    expect(sessionState(session({ endedAt: at(5 * MINUTE), endState: 'TERMINATED' }), at(6 * MINUTE))).toBe(
      'TERMINATED',
    );
  });
});

describe('extending', () => {
  it('refuses before the extension window and says when it opens', () => {
    const decision = extensionDecision(session(), at(windowOpens - MINUTE), limits);
    expect(decision.allowed).toBe(false);
    expect(decision.availableAt).toEqual(at(windowOpens));
  });
  it('allows one extension by the configured length inside the extension window', () => {
    const decision = extensionDecision(session(), at(windowOpens + MINUTE), limits);
    expect(decision).toMatchObject({ allowed: true, newExpiresAt: at(extendedExpiry) });
  });
  it('refuses a second extension', () => {
    const extended = session({ expiresAt: at(extendedExpiry), extendedAt: at(windowOpens + MINUTE) });
    const insideSecondWindow = at(extendedExpiry - limits.extensionWindowMs + MINUTE);
    expect(extensionDecision(extended, insideSecondWindow, limits).allowed).toBe(false);
  });
  it('never goes past the maximum total length', () => {
    const longer = { ...limits, extensionMs: limits.maxTotalMs };
    expect(extensionDecision(session(), at(windowOpens + MINUTE), longer).newExpiresAt).toEqual(at(limits.maxTotalMs));
  });
  it('refuses an ended session', () => {
    const ended = session({ endedAt: at(10 * MINUTE), endState: 'ENDED' });
    expect(extensionDecision(ended, at(windowOpens + 2 * MINUTE), limits).allowed).toBe(false);
  });
});
