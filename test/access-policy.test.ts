// The pure rules of consent and four-eyes (server/access/policy.ts), with explicit `now`.
import { describe, expect, it } from 'vitest';
import {
  accessRequestState,
  assertMayAnswerAsManager,
  awaitsCustomer,
  grantExpiry,
  isGrantLive,
  approvedStartExpiry,
  requestExpiry,
  startGate,
} from '../server/access/policy.ts';
import { loadConfig } from '../server/config.ts';

const config = loadConfig({});
const now = new Date('2026-03-01T10:00:00.000Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);
const request = (overrides: Partial<Parameters<typeof accessRequestState>[0]> = {}) => ({
  needsCustomer: true,
  needsManager: false,
  customerApprovedAt: null,
  managerApprovedAt: null,
  declinedAt: null,
  sessionId: null,
  expiresAt: requestExpiry(now, config),
  staffId: 'mara',
  ...overrides,
});
const manager = (id: string) => ({ id, active: true, role: 'MANAGER' as const });

describe('Start gate', () => {
  it('lets a start through for a customer who lets staff in freely and is not protected', () => {
    const gate = startGate({
      customer: { staffAccess: 'FREELY', protected: false },
      hasLiveGrant: false,
      hasManagerApproval: false,
    });
    expect(gate).toEqual({ needsCustomer: false, needsManager: false });
  });

  it('needs the customer when they ask first and no grant is live, not when one is', () => {
    const customer = { staffAccess: 'ASK_FIRST' as const, protected: false };
    expect(startGate({ customer, hasLiveGrant: false, hasManagerApproval: false }).needsCustomer).toBe(true);
    expect(startGate({ customer, hasLiveGrant: true, hasManagerApproval: false }).needsCustomer).toBe(false);
  });

  it('needs a second manager for a protected customer, even with a live grant', () => {
    const customer = { staffAccess: 'FREELY' as const, protected: true };
    expect(startGate({ customer, hasLiveGrant: true, hasManagerApproval: false }).needsManager).toBe(true);
    expect(startGate({ customer, hasLiveGrant: true, hasManagerApproval: true }).needsManager).toBe(false);
  });
});

describe('Request state', () => {
  it('is pending for a day by default (long enough to answer the email), then expired', () => {
    expect(accessRequestState(request(), minutes(24 * 60 - 1))).toBe('PENDING');
    expect(accessRequestState(request(), minutes(24 * 60))).toBe('EXPIRED');
  });

  it('leaves the requester at most 15 minutes to start once approved, never more than the wait', () => {
    expect(approvedStartExpiry(now, config)).toEqual(minutes(15));
    expect(approvedStartExpiry(now, loadConfig({ ACCESS_REQUEST_MINUTES: '5' }))).toEqual(minutes(5));
  });

  it('waits as long as ACCESS_REQUEST_MINUTES says', () => {
    const shorter = loadConfig({ ACCESS_REQUEST_MINUTES: '5' });
    expect(accessRequestState(request({ expiresAt: requestExpiry(now, shorter) }), minutes(5))).toBe('EXPIRED');
  });

  it('is approved once every needed answer is given, and used once its session started', () => {
    expect(accessRequestState(request({ customerApprovedAt: now }), now)).toBe('APPROVED');
    const both = request({ needsManager: true, customerApprovedAt: now });
    expect(accessRequestState(both, now)).toBe('PENDING');
    expect(accessRequestState({ ...both, managerApprovedAt: now }, now)).toBe('APPROVED');
    expect(accessRequestState({ ...both, managerApprovedAt: now, sessionId: 's1' }, minutes(60))).toBe('USED');
  });

  it('is declined whatever the time', () => {
    expect(accessRequestState(request({ declinedAt: now }), minutes(60))).toBe('DECLINED');
    expect(awaitsCustomer(request({ declinedAt: now }), now)).toBe(false);
  });
});

describe('Grants', () => {
  it('last 1 hour, 1 day or 7 days, and not once revoked', () => {
    expect(grantExpiry(now, 'ONE_HOUR')).toEqual(minutes(60));
    expect(grantExpiry(now, 'SEVEN_DAYS')).toEqual(minutes(7 * 24 * 60));
    const grant = { createdAt: now, expiresAt: grantExpiry(now, 'ONE_DAY'), revokedAt: null };
    expect(isGrantLive(grant, minutes(60))).toBe(true);
    expect(isGrantLive(grant, minutes(24 * 60))).toBe(false);
    expect(isGrantLive({ ...grant, revokedAt: minutes(1) }, minutes(2))).toBe(false);
  });
});

describe('Second approval', () => {
  it('may come from another manager', () => {
    expect(() =>
      assertMayAnswerAsManager(request({ needsManager: true, needsCustomer: false }), manager('max'), now),
    ).not.toThrow();
  });

  it('may come from another manager (unauthorized: the requester)', () => {
    expect(() =>
      assertMayAnswerAsManager(request({ needsManager: true, needsCustomer: false }), manager('mara'), now),
    ).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ reason: 'OWN_ACCESS_REQUEST' }) }));
  });

  it('may come from another manager (unauthorized: a receptionist)', () => {
    const rita = { id: 'rita', active: true, role: 'RECEPTIONIST' as const };
    expect(() => assertMayAnswerAsManager(request({ needsManager: true }), rita, now)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) }),
    );
  });

  it('is refused once the request is approved, declined or expired', () => {
    const approved = request({ needsManager: true, needsCustomer: false, managerApprovedAt: now });
    expect(() => assertMayAnswerAsManager(approved, manager('max'), now)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ reason: 'ACCESS_REQUEST_CLOSED' }) }),
    );
    const pending = request({ needsManager: true, needsCustomer: false });
    expect(() => assertMayAnswerAsManager(pending, manager('max'), minutes(24 * 60))).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ state: 'EXPIRED' }) }),
    );
  });
});
