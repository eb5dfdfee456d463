// Scoped consent (SPEC 10, issue 23 item 5): an ask-first customer's grant carries the sections she
// allows ("Billing only for 1 day"). A start within a live grant's scope needs nothing more; a start
// outside it (another section, or the whole portal) is a new request; narrowing a view stays free.
// Her answer to a request may allow less than was asked: the grant and the request keep what she
// allowed, and her words (her audit records, her request notice) name the sections.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expireDueAccessRequests } from '../server/access/requests.ts';
import { END, SET_PREFERENCE, auditOf } from './access-helpers.ts';
import { STEP_UP_AFTER_A_YEAR, expectData } from './factories.ts';
import { errorCode, startTestApp, type GqlResult, type TestApp } from './harness.ts';
import { REASON, customerId } from './impersonation-helpers.ts';

const START = `mutation Start($customerId: ID!, $reason: String!, $scope: StaffViewScopeInput!) {
  startImpersonation(customerId: $customerId, reason: $reason, scope: $scope) {
    status session { id scope } accessRequest { id state scope }
  }
}`;
const GRANT = `mutation Grant($duration: AccessGrantDuration!, $sections: [PortalSection!]) {
  grantStaffAccess(duration: $duration, sections: $sections) { id scope active }
}`;
const APPROVE = `mutation Approve($id: ID!, $duration: AccessGrantDuration!, $sections: [PortalSection!]) {
  approveAccessRequest(requestId: $id, duration: $duration, sections: $sections) { id state scope }
}`;
const NARROW = `mutation Narrow($id: ID!, $sections: [PortalSection!]!) {
  narrowImpersonationScope(sessionId: $id, sections: $sections) { id scope }
}`;
const MY_GRANTS = '{ me { accessGrants { id scope active } accessRequests { id scope } } }';
const WHOLE = { sections: ['WHOLE_PORTAL'], need: 'Tests read every section of the portal' };

interface Started {
  status: 'STARTED' | 'REQUESTED';
  session: { id: string; scope: string[] } | null;
  accessRequest: { id: string; state: string; scope: string[] } | null;
}

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

/** Chloe asks first, with no live grant, no block and no open request; no view is running. */
beforeEach(async () => {
  expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, chloe));
  const now = app.clock.now();
  await app.services.prisma.accessGrant.updateMany({ where: { revokedAt: null }, data: { revokedAt: now } });
  await app.services.prisma.impersonationSession.updateMany({
    where: { endedAt: null },
    data: { endedAt: now, endState: 'ENDED', endReason: 'test reset' },
  });
  await app.services.prisma.accessRequest.updateMany({
    where: { sessionId: null, declinedAt: null, expiredAt: null },
    data: { expiresAt: now },
  });
  await expireDueAccessRequests(app.services);
});

const start = async (scope: unknown, reason = REASON): Promise<Started> =>
  expectData(await app.gql<{ startImpersonation: Started }>(START, { customerId: chloeId, reason, scope }, mara))
    .startImpersonation;
const grant = async (sections?: string[]) =>
  expectData(await app.gql(GRANT, { duration: 'ONE_DAY', ...(sections ? { sections } : {}) }, chloe)).grantStaffAccess;
const requestCount = () => app.services.prisma.accessRequest.count({ where: { customerId: chloeId } });

describe('A grant with a scope', () => {
  it('lets a start within its sections through with no request', async () => {
    expect(await grant(['BILLING'])).toMatchObject({ scope: ['BILLING'], active: true });
    const before = await requestCount();
    const started = await start({ sections: ['BILLING'] });
    expect(started).toMatchObject({ status: 'STARTED', session: { scope: ['BILLING'] }, accessRequest: null });
    expect(await requestCount()).toBe(before);
  });

  it('makes a start outside its sections a new request (unauthorized)', async () => {
    await grant(['BILLING']);
    const before = await requestCount();
    const started = await start({ sections: ['BILLING', 'PETS'] });
    expect(started).toMatchObject({
      status: 'REQUESTED',
      session: null,
      accessRequest: { state: 'PENDING', scope: ['PETS', 'BILLING'] },
    });
    expect(await requestCount()).toBe(before + 1);
  });

  it('makes a whole-portal start a new request (unauthorized)', async () => {
    await grant(['BILLING', 'MESSAGES']);
    expect(await start(WHOLE)).toMatchObject({ status: 'REQUESTED', session: null });
  });

  it('allows the whole account when she names no sections, as grants always did', async () => {
    expect(await grant()).toMatchObject({ scope: ['WHOLE_PORTAL'] });
    expect(await start(WHOLE)).toMatchObject({ status: 'STARTED' });
  });

  it('lets a view within it narrow freely, with no request', async () => {
    await grant(['BILLING', 'MESSAGES']);
    const started = await start({ sections: ['BILLING', 'MESSAGES'] });
    const before = await requestCount();
    const narrowed = expectData(await app.gql(NARROW, { id: started.session!.id, sections: ['BILLING'] }, mara));
    expect(narrowed.narrowImpersonationScope.scope).toEqual(['BILLING']);
    expect(await requestCount()).toBe(before);
  });

  it('records the sections in her words', async () => {
    const granted = await grant(['BILLING', 'PETS']);
    const record = (await auditOf(app, 'ACCESS_GRANTED', chloeId)).at(-1);
    expect(record?.reason).toBe('Staff may view My Pets and Billing for 1 day');
    expect(record?.seen).toMatchObject({
      change: { target: `AccessGrant:${granted.id}`, after: { scope: ['PETS', 'BILLING'] } },
    });
    const mine = expectData(await app.gql(MY_GRANTS, {}, chloe)).me.accessGrants;
    expect(mine).toContainEqual({ id: granted.id, scope: ['PETS', 'BILLING'], active: true });
  });

  it.each([
    ['no section (unauthorized)', []],
    ['the whole portal with a section (unauthorized)', ['WHOLE_PORTAL', 'BILLING']],
  ])('refuses a grant of %s', async (_case, sections) => {
    const result = await app.gql(GRANT, { duration: 'ONE_DAY', sections }, chloe);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.reason).toBe('SCOPE_INVALID');
  });
});

describe('Her answer to a request', () => {
  it('allows what was asked by default: the grant carries the request’s sections', async () => {
    const asked = (await start({ sections: ['BILLING', 'MESSAGES'] })).accessRequest!;
    const approved = expectData(await app.gql(APPROVE, { id: asked.id, duration: 'ONE_DAY' }, chloe));
    expect(approved.approveAccessRequest).toMatchObject({ state: 'APPROVED', scope: ['BILLING', 'MESSAGES'] });
    const grants = await app.services.prisma.accessGrant.findMany({ where: { customerId: chloeId, revokedAt: null } });
    expect(grants.map((g) => g.scope)).toEqual([['BILLING', 'MESSAGES']]);
    expect(await start({ sections: ['BILLING', 'MESSAGES'] })).toMatchObject({ status: 'STARTED' });
  });

  it('may allow less than was asked: Billing only; a start of Billing goes ahead, the rest is a new request', async () => {
    const asked = (await start({ sections: ['BILLING', 'PETS'] })).accessRequest!;
    const approved = expectData(
      await app.gql(APPROVE, { id: asked.id, duration: 'ONE_DAY', sections: ['BILLING'] }, chloe),
    );
    expect(approved.approveAccessRequest).toMatchObject({ state: 'APPROVED', scope: ['BILLING'] });
    expect((await auditOf(app, 'ACCESS_REQUEST_APPROVED', chloeId)).at(-1)?.reason).toBe(
      'The customer allowed staff access to Billing for 1 day',
    );
    const again = await start({ sections: ['BILLING', 'PETS'] });
    expect(again).toMatchObject({ status: 'REQUESTED', accessRequest: { state: 'PENDING' } });
    expect(again.accessRequest!.id).not.toBe(asked.id);
    const billing = await start({ sections: ['BILLING'] });
    expect(billing).toMatchObject({ status: 'STARTED', session: { scope: ['BILLING'] } });
    const used = await app.services.prisma.accessRequest.findUniqueOrThrow({ where: { id: asked.id } });
    expect(used.sessionId).toBe(billing.session!.id);
  });

  it('narrows a whole-portal request to the sections she allows', async () => {
    const asked = (await start(WHOLE)).accessRequest!;
    const approved = expectData(
      await app.gql(APPROVE, { id: asked.id, duration: 'ONE_HOUR', sections: ['SETTINGS'] }, chloe),
    );
    expect(approved.approveAccessRequest.scope).toEqual(['SETTINGS']);
    const row = await app.services.prisma.accessRequest.findUniqueOrThrow({ where: { id: asked.id } });
    expect(row.scopeNeed).toBeNull();
    expect(await start(WHOLE)).toMatchObject({ status: 'REQUESTED' });
  });

  it('refuses a yes that allows none of what was asked: that is a "no" (unauthorized)', async () => {
    const asked = (await start({ sections: ['BILLING'] })).accessRequest!;
    const result: GqlResult = await app.gql(APPROVE, { id: asked.id, duration: 'ONE_DAY', sections: ['PETS'] }, chloe);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.reason).toBe('SCOPE_INVALID');
    const row = await app.services.prisma.accessRequest.findUniqueOrThrow({ where: { id: asked.id } });
    expect(row.customerApprovedAt).toBeNull();
    expect(await app.services.prisma.accessGrant.count({ where: { customerId: chloeId, revokedAt: null } })).toBe(0);
  });

  it('tells her which sections are asked for, in her request notice', async () => {
    const asked = (await start({ sections: ['BILLING', 'PETS'] })).accessRequest!;
    const message = await app.services.prisma.message.findFirstOrThrow({
      where: { customerId: chloeId, body: { contains: 'asks to view your account' } },
      orderBy: { sentAt: 'desc' },
    });
    expect(message.body).toContain('asks to view your account (only My Pets and Billing), read-only.');
    const mine = expectData(await app.gql(MY_GRANTS, {}, chloe)).me.accessRequests;
    expect(mine).toContainEqual({ id: asked.id, scope: ['PETS', 'BILLING'] });
  });

  it('lets a view started on her scoped yes be extended (the grant still covers it)', async () => {
    await grant(['BILLING']);
    const started = await start({ sections: ['BILLING'] });
    app.clock.advance(26 * 60_000);
    const extended = await app.gql(
      'mutation X($id: ID!) { extendImpersonation(sessionId: $id) { id extendedAt } }',
      { id: started.session!.id },
      mara,
    );
    expect(extended.errors).toBeUndefined();
    expectData(await app.gql(END, { id: started.session!.id }, mara));
  });
});
