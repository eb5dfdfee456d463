// Consent (SPEC 7) against the real app: an ask-first customer's start becomes a request (not a
// token), the customer's answer (a grant for a period, or a no), grants and their revocation,
// expiry of requests in database time, the live pushes on both sides, the audit records, and
// every customer-side change refused to a staff member viewing as the customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireDueAccessRequests } from '../server/access/requests.ts';
import {
  APPROVE_AS_CUSTOMER,
  DECLINE_AS_CUSTOMER,
  END,
  GRANT,
  MY_ACCESS,
  REQUEST_FIELDS,
  REVOKE,
  SET_PREFERENCE,
  auditOf,
  refusal,
  start,
  startRequested,
  tryStart,
  type RequestView,
} from './access-helpers.ts';
import { DAY, HOUR, MINUTE, STEP_UP_AFTER_A_YEAR, expectData } from './factories.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { collect, customerId } from './impersonation-helpers.ts';

let app: TestApp;
let mara: string;
let chloe: string;
let chloeId: string;

beforeAll(async () => {
  app = await startTestApp({ config: { IMPERSONATION_STARTS_PER_WINDOW: 1000, ...STEP_UP_AFTER_A_YEAR } });
  mara = await app.signIn('mara');
  chloe = await app.signIn('chloe');
  chloeId = await customerId(app, mara, 'chloe@example.test');
});
afterAll(async () => {
  await app?.close();
});

/**
 * Chloe asks first and has no live grant and blocks nobody (her "no" blocks the requester:
 * test/customer-stop.test.ts); Mara has no session running; no request left from an
 * earlier test is past its expiry unrecorded (the background sweep may not have run since a test
 * moved the clock, and the Expiry test counts what one sweep records).
 */
async function askFirst() {
  expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, chloe));
  const now = app.clock.now();
  await app.services.prisma.accessGrant.updateMany({
    where: { customerId: chloeId, revokedAt: null },
    data: { revokedAt: now },
  });
  await app.services.prisma.impersonationSession.updateMany({
    where: { endedAt: null },
    data: { endedAt: now, endState: 'ENDED', endReason: 'test reset' },
  });
  await app.services.prisma.staffViewBlock.updateMany({ where: { liftedAt: null }, data: { liftedAt: now } });
  await expireDueAccessRequests(app.services);
}

describe('Preference', () => {
  it('is FREELY by default, and a start then gives a token', async () => {
    const me = expectData(await app.gql(MY_ACCESS, {}, chloe));
    expect(me.me.staffAccess).toBe('FREELY');
    const started = await start(app, mara, 'chloe@example.test');
    expect(started).toMatchObject({ status: 'STARTED', token: expect.any(String), accessRequest: null });
    await app.gql(END, { id: started.session!.id }, mara);
  });

  it('changing it is recorded, with before and after', async () => {
    await askFirst();
    const records = await auditOf(app, 'STAFF_ACCESS_PREFERENCE_CHANGED', chloeId);
    expect(records.at(-1)?.seen).toMatchObject({
      change: { before: { staffAccess: 'FREELY' }, after: { staffAccess: 'ASK_FIRST' } },
    });
  });
});

describe('Ask first', () => {
  it('a start becomes a request (no token, no session) that the customer sees with a portal message', async () => {
    await askFirst();
    const sessionsBefore = await app.services.prisma.impersonationSession.count();
    const request = await startRequested(app, mara, 'chloe@example.test');
    expect(request).toMatchObject({
      state: 'PENDING',
      needsCustomer: true,
      needsManager: false,
      awaitingCustomer: true,
    });
    expect(await app.services.prisma.impersonationSession.count()).toBe(sessionsBefore);
    const me = expectData(await app.gql(MY_ACCESS, {}, chloe)).me;
    expect(me.accessRequests[0]).toMatchObject({ id: request.id, staffName: 'Mara Quinn', awaitingCustomer: true });
    // Among the salon's messages (the staff-access notices of earlier views come too).
    const message = await app.services.prisma.message.findFirst({
      where: { customerId: chloeId, sender: 'SALON', body: { contains: 'asks to view your account' } },
      orderBy: { sentAt: 'desc' },
    });
    expect(message?.body).toContain('Mara Quinn from Tidy Tails asks to view your account');
    expect(message?.staffId).toBeNull();
    expect(await auditOf(app, 'ACCESS_REQUEST_CREATED', chloeId)).toContainEqual(
      expect.objectContaining({ staffId: request.staff.id, reason: expect.any(String) }),
    );
  });

  it('starting again with the same reason returns the same pending request', async () => {
    await askFirst();
    const first = await startRequested(app, mara, 'chloe@example.test');
    const second = await startRequested(app, mara, 'chloe@example.test');
    expect(second.id).toBe(first.id);
  });

  it('the customer approves for a period: a grant, and the start then goes through', async () => {
    await askFirst();
    const request = await startRequested(app, mara, 'chloe@example.test');
    const approved = expectData(await app.gql(APPROVE_AS_CUSTOMER, { id: request.id, duration: 'ONE_DAY' }, chloe));
    expect(approved.approveAccessRequest).toMatchObject({ state: 'APPROVED', awaitingCustomer: false });
    const me = expectData(await app.gql(MY_ACCESS, {}, chloe)).me;
    expect(me.accessGrants).toHaveLength(1);
    expect(new Date(me.accessGrants[0].expiresAt).getTime()).toBe(app.clock.now().getTime() + DAY);
    const started = await start(app, mara, 'chloe@example.test');
    expect(started).toMatchObject({ status: 'STARTED', token: expect.any(String) });
    const used = await app.services.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(used.sessionId).toBe(started.session!.id);
    expect(await auditOf(app, 'ACCESS_REQUEST_APPROVED', chloeId)).toContainEqual(
      expect.objectContaining({ staffId: null, reason: 'The customer allowed staff access for 1 day' }),
    );
    expect(await auditOf(app, 'ACCESS_GRANTED', chloeId)).not.toHaveLength(0);
    await app.gql(END, { id: started.session!.id }, mara);
  });

  it('a grant given in Settings lets a start through without a request', async () => {
    await askFirst();
    expectData(await app.gql(GRANT, { duration: 'ONE_HOUR' }, chloe));
    const started = await start(app, mara, 'chloe@example.test');
    expect(started.status).toBe('STARTED');
    await app.gql(END, { id: started.session!.id }, mara);
  });

  it('a revoked grant does not let a start through', async () => {
    await askFirst();
    const grant = expectData(await app.gql(GRANT, { duration: 'SEVEN_DAYS' }, chloe)).grantStaffAccess;
    const revoked = expectData(await app.gql(REVOKE, { id: grant.id }, chloe)).revokeStaffAccess;
    expect(revoked).toMatchObject({ active: false, revokedAt: expect.any(String) });
    expect((await start(app, mara, 'chloe@example.test')).status).toBe('REQUESTED');
    expect(await auditOf(app, 'ACCESS_GRANT_REVOKED', chloeId)).not.toHaveLength(0);
  });

  it('an expired grant does not let a start through', async () => {
    await askFirst();
    expectData(await app.gql(GRANT, { duration: 'ONE_HOUR' }, chloe));
    app.clock.advance(HOUR + 1000);
    expect((await start(app, mara, 'chloe@example.test')).status).toBe('REQUESTED');
  });

  it('another customer’s grant does not count, and another customer cannot revoke it', async () => {
    await askFirst();
    const dan = await app.signIn('dan');
    const grant = expectData(await app.gql(GRANT, { duration: 'ONE_HOUR' }, dan)).grantStaffAccess;
    expect((await start(app, mara, 'chloe@example.test')).status).toBe('REQUESTED');
    expect(refusal(await app.gql(REVOKE, { id: grant.id }, chloe)).code).toBe('NOT_FOUND');
  });

  it('the customer declines: the request is closed and the requester cannot ask again at once', async () => {
    await askFirst();
    const request = await startRequested(app, mara, 'chloe@example.test');
    const declined = expectData(await app.gql(DECLINE_AS_CUSTOMER, { id: request.id }, chloe));
    expect(declined.declineAccessRequest.state).toBe('DECLINED');
    const again = await tryStart(app, mara, 'chloe@example.test');
    expect(refusal(again)).toEqual({ code: 'FORBIDDEN', reason: 'STAFF_VIEW_BLOCKED' });
    expect(await auditOf(app, 'ACCESS_REQUEST_DECLINED', chloeId)).toContainEqual(
      expect.objectContaining({ reason: 'Declined by the customer' }),
    );
  });

  it('a declined request cannot be approved afterwards', async () => {
    await askFirst();
    const request = await startRequested(app, mara, 'chloe@example.test');
    await app.gql(DECLINE_AS_CUSTOMER, { id: request.id }, chloe);
    const late = await app.gql(APPROVE_AS_CUSTOMER, { id: request.id, duration: 'ONE_HOUR' }, chloe);
    expect(refusal(late)).toEqual({ code: 'CONFLICT', reason: 'ACCESS_REQUEST_CLOSED' });
  });

  it('another customer cannot answer the request', async () => {
    await askFirst();
    const request = await startRequested(app, mara, 'chloe@example.test');
    const dan = await app.signIn('dan');
    const answer = await app.gql(APPROVE_AS_CUSTOMER, { id: request.id, duration: 'ONE_HOUR' }, dan);
    expect(refusal(answer).code).toBe('NOT_FOUND');
  });
});

describe('Expiry', () => {
  it('a request expires after a day of database time, is recorded once, and cannot be approved', async () => {
    await askFirst();
    const request = await startRequested(app, mara, 'chloe@example.test');
    expect(app.services.config.ACCESS_REQUEST_MINUTES).toBe(24 * 60);
    app.clock.advance(24 * 60 * MINUTE - 1000);
    expect(await expireDueAccessRequests(app.services)).toBe(0);
    app.clock.advance(1000);
    // A day outlasts every sign-in (AUTH_SESSION_HOURS): both sign in again.
    [mara, chloe] = await Promise.all([app.signIn('mara'), app.signIn('chloe')]);
    await expireDueAccessRequests(app.services);
    expect(await expireDueAccessRequests(app.services)).toBe(0);
    const me = expectData(await app.gql(MY_ACCESS, {}, chloe)).me;
    expect(me.accessRequests.find((r: { id: string }) => r.id === request.id)).toMatchObject({
      state: 'EXPIRED',
      awaitingCustomer: false,
    });
    const late = await app.gql(APPROVE_AS_CUSTOMER, { id: request.id, duration: 'ONE_HOUR' }, chloe);
    expect(refusal(late)).toEqual({ code: 'CONFLICT', reason: 'ACCESS_REQUEST_CLOSED' });
    const expired = (await auditOf(app, 'ACCESS_REQUEST_EXPIRED', chloeId)).filter((r) =>
      JSON.stringify(r.seen).includes(request.id),
    );
    expect(expired).toHaveLength(1);
  });
});

describe('Live', () => {
  it('the customer’s open portal is pushed the request, and the manager’s dialog the approval', async () => {
    await askFirst();
    const portal = collect<{ myStaffAccess: { accessRequests: { id: string; awaitingCustomer: boolean }[] } }>(
      app.wsClient(chloe),
      'subscription { myStaffAccess { accessRequests { id awaitingCustomer } } }',
    );
    await portal.until(() => true);
    const request = await startRequested(app, mara, 'chloe@example.test');
    await portal.until((v) => v.myStaffAccess.accessRequests.some((r) => r.id === request.id && r.awaitingCustomer));
    const dialog = collect<{ accessRequest: RequestView }>(
      app.wsClient(mara),
      `subscription { accessRequest(id: "${request.id}") { ${REQUEST_FIELDS} } }`,
    );
    await dialog.until((v) => v.accessRequest.state === 'PENDING');
    await app.gql(APPROVE_AS_CUSTOMER, { id: request.id, duration: 'ONE_HOUR' }, chloe);
    await dialog.until((v) => v.accessRequest.state === 'APPROVED');
    const started = await start(app, mara, 'chloe@example.test');
    await dialog.until((v) => v.accessRequest.state === 'USED');
    await dialog.done;
    await app.gql(END, { id: started.session!.id }, mara);
  });

  it('the manager’s dialog is pushed the expiry', async () => {
    await askFirst();
    const request = await startRequested(app, mara, 'chloe@example.test');
    const dialog = collect<{ accessRequest: RequestView }>(
      app.wsClient(mara),
      `subscription { accessRequest(id: "${request.id}") { id state } }`,
    );
    await dialog.until((v) => v.accessRequest.state === 'PENDING');
    // Its time is up (moving the clock a day would end the manager's sign-in and so her socket).
    await app.services.prisma.accessRequest.update({ where: { id: request.id }, data: { expiresAt: app.clock.now() } });
    await expireDueAccessRequests(app.services);
    await dialog.until((v) => v.accessRequest.state === 'EXPIRED');
  });

  it('the customer’s live feed is refused to a staff member viewing as the customer', async () => {
    expectData(await app.gql(SET_PREFERENCE, { preference: 'FREELY' }, chloe));
    const started = await start(app, mara, 'chloe@example.test');
    const feed = collect(app.wsClient(started.token!), 'subscription { myStaffAccess { id } }');
    await feed.done;
    expect(feed.values).toHaveLength(0);
    expect(JSON.stringify(feed.errors)).toContain('FORBIDDEN');
    await app.gql(END, { id: started.session!.id }, mara);
  });

  it('the request feed is for managers only (unauthorized: the customer)', async () => {
    await askFirst();
    const request = await startRequested(app, mara, 'chloe@example.test');
    const feed = collect(app.wsClient(chloe), `subscription { accessRequest(id: "${request.id}") { id } }`);
    await feed.done;
    expect(feed.values).toHaveLength(0);
  });
});

describe('Under impersonation (read-only)', () => {
  /** Mara views Chloe (who lets staff in freely for this), with a request of Max's waiting for Chloe. */
  async function viewWithPendingRequest() {
    await askFirst();
    const max = await app.signIn('max');
    const request = await startRequested(app, max, 'chloe@example.test');
    expectData(await app.gql(GRANT, { duration: 'ONE_HOUR' }, chloe));
    const started = await start(app, mara, 'chloe@example.test');
    expect(started.status).toBe('STARTED');
    return { token: started.token!, sessionId: started.session!.id, request };
  }

  it('a staff member viewing as the customer cannot approve a request', async () => {
    const { token, sessionId, request } = await viewWithPendingRequest();
    const result = await app.gql(APPROVE_AS_CUSTOMER, { id: request.id, duration: 'SEVEN_DAYS' }, token);
    expect(refusal(result)).toEqual({ code: 'FORBIDDEN', reason: 'IMPERSONATION_READ_ONLY' });
    const row = await app.services.prisma.accessRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(row.customerApprovedAt).toBeNull();
    await app.gql(END, { id: sessionId }, mara);
  });

  it('a staff member viewing as the customer cannot approve their own request', async () => {
    await askFirst();
    const own = await startRequested(app, mara, 'chloe@example.test', 'Checking the booking the customer asked about');
    expectData(await app.gql(GRANT, { duration: 'ONE_HOUR' }, chloe));
    const started = await start(app, mara, 'chloe@example.test');
    const result = await app.gql(APPROVE_AS_CUSTOMER, { id: own.id, duration: 'SEVEN_DAYS' }, started.token!);
    expect(refusal(result)).toEqual({ code: 'FORBIDDEN', reason: 'IMPERSONATION_READ_ONLY' });
    await app.gql(END, { id: started.session!.id }, mara);
  });

  it('a staff member viewing as the customer cannot decline a request, change the preference, grant or revoke', async () => {
    const { token, sessionId, request } = await viewWithPendingRequest();
    const grant = await app.services.prisma.accessGrant.findFirstOrThrow({
      where: { customerId: chloeId, revokedAt: null },
    });
    const attempts = [
      await app.gql(DECLINE_AS_CUSTOMER, { id: request.id }, token),
      await app.gql(SET_PREFERENCE, { preference: 'FREELY' }, token),
      await app.gql(GRANT, { duration: 'SEVEN_DAYS' }, token),
      await app.gql(REVOKE, { id: grant.id }, token),
    ];
    for (const attempt of attempts) {
      expect(refusal(attempt)).toEqual({ code: 'FORBIDDEN', reason: 'IMPERSONATION_READ_ONLY' });
    }
    const customer = await app.services.prisma.customer.findUniqueOrThrow({ where: { id: chloeId } });
    expect(customer.staffAccess).toBe('ASK_FIRST');
    expect(await app.services.prisma.accessGrant.count({ where: { customerId: chloeId, revokedAt: null } })).toBe(1);
    await app.gql(END, { id: sessionId }, mara);
  });

  it('the customer’s own changes work (authorized pair of the above)', async () => {
    await askFirst();
    const grant = expectData(await app.gql(GRANT, { duration: 'ONE_HOUR' }, chloe)).grantStaffAccess;
    expect(expectData(await app.gql(REVOKE, { id: grant.id }, chloe)).revokeStaffAccess.active).toBe(false);
    expect(
      expectData(await app.gql(SET_PREFERENCE, { preference: 'FREELY' }, chloe)).setStaffAccessPreference,
    ).toMatchObject({ staffAccess: 'FREELY' });
  });
});
