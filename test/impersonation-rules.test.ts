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

const limits = impersonationLimits(loadConfig({}));
const minute = 60_000;
const start = new Date('2026-01-01T10:00:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * minute);
const session = (overrides = {}) => ({
  startedAt: start,
  expiresAt: at(30),
  extendedAt: null,
  endedAt: null,
  endState: null,
  ...overrides,
});
const manager = { active: true, role: 'MANAGER' as const };

describe('starting', () => {
  it('allows an active manager to view an active customer', () => {
    expect(() => assertCanStart({ actor: manager, customer: { status: 'ACTIVE' }, activeSession: null })).not.toThrow();
  });
  it('refuses a receptionist', () => {
    expect(() =>
      assertCanStart({
        actor: { active: true, role: 'RECEPTIONIST' },
        customer: { status: 'ACTIVE' },
        activeSession: null,
      }),
    ).toThrow(/managers/);
  });
  it('refuses a deactivated manager', () => {
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
    expect(remainingSeconds(session(), at(29.5))).toBe(30);
    expect(sessionState(session(), at(30))).toBe('EXPIRED');
    expect(remainingSeconds(session(), at(31))).toBe(0);
  });
  it('reports how an ended session ended', () => {
    expect(sessionState(session({ endedAt: at(5), endState: 'TERMINATED' }), at(6))).toBe('TERMINATED');
  });
});

describe('extending', () => {
  it('refuses before the last five minutes and says when it opens', () => {
    const decision = extensionDecision(session(), at(24), limits);
    expect(decision.allowed).toBe(false);
    expect(decision.availableAt).toEqual(at(25));
  });
  it('allows one extension of 30 minutes in the last five minutes', () => {
    const decision = extensionDecision(session(), at(26), limits);
    expect(decision).toMatchObject({ allowed: true, newExpiresAt: at(60) });
  });
  it('refuses a second extension', () => {
    expect(extensionDecision(session({ expiresAt: at(60), extendedAt: at(26) }), at(57), limits).allowed).toBe(false);
  });
  it('never goes past 60 minutes in total', () => {
    const longer = { ...limits, extensionMs: 45 * minute };
    expect(extensionDecision(session(), at(26), longer).newExpiresAt).toEqual(at(60));
  });
  it('refuses an ended session', () => {
    expect(extensionDecision(session({ endedAt: at(10), endState: 'ENDED' }), at(27), limits).allowed).toBe(false);
  });
});
