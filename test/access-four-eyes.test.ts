// Four-eyes (SPEC 7) against the real app: managers mark a customer protected (recorded); a start
// on a protected customer becomes a request that a second, different manager approves or declines
// in the live approvals list; the approval is used once; the approver is on the session, in the
// audit record and in the staff-view summary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APPROVE_AS_CUSTOMER,
  APPROVE_AS_MANAGER,
  DECLINE_AS_MANAGER,
  END,
  PROTECT,
  REQUEST_FIELDS,
  SET_PREFERENCE,
  auditOf,
  refusal,
  start,
  startRequested,
  type RequestView,
} from './access-helpers.ts';
import { expectData } from './factories.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { collect, customerId } from './impersonation-helpers.ts';

let app: TestApp;
let mara: string;
let max: string;
let danId: string;

beforeAll(async () => {
  app = await startTestApp({ config: { IMPERSONATION_STARTS_PER_WINDOW: 1000 } });
  mara = await app.signIn('mara');
  max = await app.signIn('max');
  danId = await customerId(app, mara, 'dan@example.test');
  expectData(await app.gql(PROTECT, { id: danId, protected: true }, max));
});
afterAll(async () => {
  await app?.close();
});

/** No session running for anyone and no open request, so each test starts afresh. */
async function noSessions() {
  await app.services.prisma.accessRequest.updateMany({
    where: { sessionId: null, declinedAt: null },
    data: { expiresAt: app.clock.now() },
  });
  await app.services.prisma.impersonationSession.updateMany({
    where: { endedAt: null },
    data: { endedAt: app.clock.now(), endState: 'ENDED', endReason: 'test reset' },
  });
}

describe('Protected flag', () => {
  it('a manager marks a customer protected; the change is recorded with before and after', async () => {
    const doraId = await customerId(app, mara, 'dora@example.test');
    const set = expectData(await app.gql(PROTECT, { id: doraId, protected: true }, mara));
    expect(set.setCustomerProtected).toEqual({ id: doraId, protected: true });
    const records = await auditOf(app, 'CUSTOMER_PROTECTION_CHANGED', doraId);
    expect(records.at(-1)).toMatchObject({
      seen: { change: { before: { protected: false }, after: { protected: true } } },
    });
    expect(records.at(-1)?.staffId).not.toBeNull();
    // Removing it takes a second manager (test/governance.test.ts).
    expect(refusal(await app.gql(PROTECT, { id: doraId, protected: false }, mara))).toEqual({
      code: 'FORBIDDEN',
      reason: 'SECOND_MANAGER_REQUIRED',
    });
    await app.services.prisma.customer.update({ where: { id: doraId }, data: { protected: false } });
  });

  it('a manager marks a customer protected (unauthorized: receptionist)', async () => {
    const rita = await app.signIn('rita');
    expect(refusal(await app.gql(PROTECT, { id: danId, protected: false }, rita)).code).toBe('FORBIDDEN');
  });

  it('a manager marks a customer protected (unauthorized: a manager viewing as a customer)', async () => {
    await noSessions();
    const started = await start(app, mara, 'chloe@example.test');
    const result = await app.gql(PROTECT, { id: danId, protected: false }, started.token!);
    expect(refusal(result)).toEqual({ code: 'FORBIDDEN', reason: 'IMPERSONATION_READ_ONLY' });
    const dan = await app.services.prisma.customer.findUniqueOrThrow({ where: { id: danId } });
    expect(dan.protected).toBe(true);
    await app.gql(END, { id: started.session!.id }, mara);
  });
});

describe('Second approval', () => {
  it('a start on a protected customer becomes a request needing a manager, not a token', async () => {
    await noSessions();
    const request = await startRequested(app, mara, 'dan@example.test');
    expect(request).toMatchObject({ state: 'PENDING', needsManager: true, needsCustomer: false, canAnswer: false });
  });

  it('the requester cannot approve their own request', async () => {
    await noSessions();
    const request = await startRequested(app, mara, 'dan@example.test');
    const own = await app.gql(APPROVE_AS_MANAGER, { id: request.id }, mara);
    expect(refusal(own)).toEqual({ code: 'FORBIDDEN', reason: 'OWN_ACCESS_REQUEST' });
    expect((await start(app, mara, 'dan@example.test')).status).toBe('REQUESTED');
  });

  it('another manager approves; the requester starts; the approver is on the session, its record and summary', async () => {
    await noSessions();
    const request = await startRequested(app, mara, 'dan@example.test');
    const approved = expectData(await app.gql(APPROVE_AS_MANAGER, { id: request.id }, max)).approveStaffViewRequest;
    expect(approved).toMatchObject({ state: 'APPROVED', approvedBy: { name: 'Max Okafor' } });
    const started = await start(app, mara, 'dan@example.test');
    expect(started).toMatchObject({ status: 'STARTED', session: { approvedBy: { name: 'Max Okafor' } } });
    const record = await app.services.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'SESSION_STARTED', sessionId: started.session!.id },
    });
    expect(record.seen).toMatchObject({
      approval: { accessRequestId: request.id, approvedByStaffId: approved.approvedBy.id },
    });
    expect(await auditOf(app, 'ACCESS_REQUEST_APPROVED', danId)).toContainEqual(
      expect.objectContaining({ staffId: approved.approvedBy.id }),
    );
    const summary = expectData(
      await app.gql('query S($id: ID!) { auditSession(id: $id) { approvedByName } }', { id: started.session!.id }, max),
    );
    expect(summary.auditSession.approvedByName).toBe('Max Okafor');
    await app.gql(END, { id: started.session!.id }, mara);
  });

  it('an approval is used once: the next start on the customer needs a new one', async () => {
    await noSessions();
    const request = await startRequested(app, mara, 'dan@example.test');
    expectData(await app.gql(APPROVE_AS_MANAGER, { id: request.id }, max));
    const first = await start(app, mara, 'dan@example.test');
    expect(first.status).toBe('STARTED');
    await app.gql(END, { id: first.session!.id }, mara);
    const second = await start(app, mara, 'dan@example.test');
    expect(second.status).toBe('REQUESTED');
    expect(second.accessRequest!.id).not.toBe(request.id);
    const late = await app.gql(APPROVE_AS_MANAGER, { id: request.id }, max);
    expect(refusal(late)).toEqual({ code: 'CONFLICT', reason: 'ACCESS_REQUEST_CLOSED' });
  });

  it('an approval is for its reason: a start with another reason asks again', async () => {
    await noSessions();
    const request = await startRequested(app, mara, 'dan@example.test');
    expectData(await app.gql(APPROVE_AS_MANAGER, { id: request.id }, max));
    const other = await start(app, mara, 'dan@example.test', 'A different reason than the one approved');
    expect(other.status).toBe('REQUESTED');
  });

  it('another manager declines: the request is closed and cannot be used', async () => {
    await noSessions();
    const request = await startRequested(app, mara, 'dan@example.test');
    const declined = expectData(await app.gql(DECLINE_AS_MANAGER, { id: request.id }, max)).declineStaffViewRequest;
    expect(declined).toMatchObject({ state: 'DECLINED', declinedByCustomer: false });
    const again = await start(app, mara, 'dan@example.test');
    expect(again.accessRequest!.id).not.toBe(request.id);
    expect(await auditOf(app, 'ACCESS_REQUEST_DECLINED', danId)).not.toHaveLength(0);
  });

  it('a receptionist cannot approve (unauthorized)', async () => {
    await noSessions();
    const request = await startRequested(app, mara, 'dan@example.test');
    const rita = await app.signIn('rita');
    expect(refusal(await app.gql(APPROVE_AS_MANAGER, { id: request.id }, rita)).code).toBe('FORBIDDEN');
  });

  it('a manager viewing as a customer cannot approve (unauthorized: impersonation)', async () => {
    await noSessions();
    const request = await startRequested(app, mara, 'dan@example.test');
    const viewing = await start(app, max, 'chloe@example.test');
    const result = await app.gql(APPROVE_AS_MANAGER, { id: request.id }, viewing.token!);
    expect(refusal(result)).toEqual({ code: 'FORBIDDEN', reason: 'IMPERSONATION_READ_ONLY' });
    await app.gql(END, { id: viewing.session!.id }, max);
  });

  it('a protected, ask-first customer needs both answers', async () => {
    await noSessions();
    const dan = await app.signIn('dan');
    expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, dan));
    const request = await startRequested(app, mara, 'dan@example.test', 'Both gates apply to this start');
    expect(request).toMatchObject({ needsCustomer: true, needsManager: true });
    expectData(await app.gql(APPROVE_AS_MANAGER, { id: request.id }, max));
    expect((await start(app, mara, 'dan@example.test', 'Both gates apply to this start')).status).toBe('REQUESTED');
    expectData(await app.gql(APPROVE_AS_CUSTOMER, { id: request.id, duration: 'ONE_HOUR' }, dan));
    const started = await start(app, mara, 'dan@example.test', 'Both gates apply to this start');
    expect(started.status).toBe('STARTED');
    await app.gql(END, { id: started.session!.id }, mara);
    expectData(await app.gql(SET_PREFERENCE, { preference: 'FREELY' }, dan));
  });
});

describe('Live approvals list', () => {
  it('other managers are pushed the request and its approval', async () => {
    await noSessions();
    const list = collect<{ staffViewApprovals: RequestView[] }>(
      app.wsClient(max),
      `subscription { staffViewApprovals { ${REQUEST_FIELDS} } }`,
    );
    await list.until(() => true);
    const request = await startRequested(app, mara, 'dan@example.test', 'Pushed to the other managers now');
    const shown = await list.until((v) => v.staffViewApprovals.some((r) => r.id === request.id));
    expect(shown.staffViewApprovals.find((r) => r.id === request.id)).toMatchObject({ canAnswer: true });
    const dialog = collect<{ accessRequest: RequestView }>(
      app.wsClient(mara),
      `subscription { accessRequest(id: "${request.id}") { id state approvedBy { name } } }`,
    );
    await dialog.until((v) => v.accessRequest.state === 'PENDING');
    await app.gql(APPROVE_AS_MANAGER, { id: request.id }, max);
    await list.until((v) => !v.staffViewApprovals.some((r) => r.id === request.id));
    const approved = await dialog.until((v) => v.accessRequest.state === 'APPROVED');
    expect(approved.accessRequest.approvedBy).toEqual({ name: 'Max Okafor' });
  });

  it('the list is for managers only (unauthorized: receptionist)', async () => {
    const rita = await app.signIn('rita');
    const list = collect(app.wsClient(rita), 'subscription { staffViewApprovals { id } }');
    await list.done;
    expect(list.values).toHaveLength(0);
  });
});
