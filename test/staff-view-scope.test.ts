// Scoped staff views (SPEC 10, issue 23 item 1): a start names its sections, or the whole portal with
// a stated need; the scope is stored on the session, returned with it, recorded in the start's audit
// record and counted by scope; narrowing is free, widening is a new start (and a new request where
// four-eyes applies).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROTECT, APPROVE_AS_MANAGER, END } from './access-helpers.ts';
import { expectData } from './factories.ts';
import { errorCode, startTestApp, type TestApp } from './harness.ts';
import { REASON, customerId } from './impersonation-helpers.ts';

const START = `mutation Start($customerId: ID!, $reason: String!, $scope: StaffViewScopeInput) {
  startImpersonation(customerId: $customerId, reason: $reason, scope: $scope) {
    status token session { id scope scopeNeed } accessRequest { id }
  }
}`;
const NARROW = `mutation Narrow($id: ID!, $sections: [PortalSection!]!) {
  narrowImpersonationScope(sessionId: $id, sections: $sections) { id scope scopeNeed }
}`;
const NEED = 'Account-wide question about everything she sees';

let app: TestApp;
let max: string;
let mara: string;
let chloe: string;

beforeAll(async () => {
  app = await startTestApp({ config: { IMPERSONATION_STARTS_PER_WINDOW: 10_000 } });
  [max, mara] = [await app.signIn('max'), await app.signIn('mara')];
  chloe = await customerId(app, max, 'chloe@example.test');
});
afterAll(async () => {
  await app?.close();
});
beforeEach(async () => {
  // Each test starts from no live view (one per manager).
  await app.services.prisma.impersonationSession.updateMany({
    where: { endedAt: null },
    data: { endedAt: app.clock.now(), endState: 'ENDED', endReason: 'test reset' },
  });
});

const start = (scope: unknown, token = max, reason = REASON) =>
  app.gql(START, { customerId: chloe, reason, scope }, token);

describe('Start', () => {
  it('stores and returns the sections a view names, in the portal’s order', async () => {
    const started = expectData(await start({ sections: ['BILLING', 'APPOINTMENTS', 'BILLING'] })).startImpersonation;
    expect(started.session).toMatchObject({ scope: ['APPOINTMENTS', 'BILLING'], scopeNeed: null });
    const row = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: started.session.id } });
    expect(row.scope).toEqual(['APPOINTMENTS', 'BILLING']);
  });

  it('records the scope in the start’s audit record and counts it apart from whole-portal views', async () => {
    const before = await metric('sections');
    const started = expectData(await start({ sections: ['PETS'] })).startImpersonation;
    const record = await app.services.prisma.auditEvent.findFirstOrThrow({
      where: { sessionId: started.session.id, action: 'SESSION_STARTED' },
    });
    expect(record.seen).toMatchObject({ scope: { sections: ['PETS'], wholePortal: false, need: null } });
    expect(await metric('sections')).toBe(before + 1);
  });

  it('starts a whole-portal view with a stated need, recorded and counted as such', async () => {
    const before = await metric('whole_portal');
    const started = expectData(await start({ sections: ['WHOLE_PORTAL'], need: `  ${NEED} ` })).startImpersonation;
    expect(started.session).toMatchObject({ scope: ['WHOLE_PORTAL'], scopeNeed: NEED });
    const record = await app.services.prisma.auditEvent.findFirstOrThrow({
      where: { sessionId: started.session.id, action: 'SESSION_STARTED' },
    });
    expect(record.seen).toMatchObject({ scope: { sections: ['WHOLE_PORTAL'], wholePortal: true, need: NEED } });
    expect(await metric('whole_portal')).toBe(before + 1);
  });

  it.each([
    ['no scope (unauthorized)', null, 'SCOPE_REQUIRED'],
    ['no section (unauthorized)', { sections: [] }, 'SCOPE_INVALID'],
    [
      'the whole portal with sections (unauthorized)',
      { sections: ['WHOLE_PORTAL', 'PETS'], need: NEED },
      'SCOPE_INVALID',
    ],
    ['the whole portal without a need (unauthorized)', { sections: ['WHOLE_PORTAL'] }, 'SCOPE_NEED_REQUIRED'],
    [
      'the whole portal with a need of 9 letters (unauthorized)',
      { sections: ['WHOLE_PORTAL'], need: 'abcdefghi !!!!' },
      'SCOPE_NEED_REQUIRED',
    ],
    ['a need given for sections (unauthorized)', { sections: ['PETS'], need: NEED }, 'SCOPE_NEED_REQUIRED'],
  ])('refuses a start with %s: BAD_USER_INPUT, no session', async (_name, scope, reason) => {
    const result = await start(scope);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.reason).toBe(reason);
    expect(await app.services.prisma.impersonationSession.count({ where: { endedAt: null } })).toBe(0);
  });
});

describe('What the customer is shown', () => {
  it('her live notice and her access log name the view’s scope', async () => {
    const started = expectData(await start({ sections: ['BILLING'] })).startImpersonation;
    const chloeToken = await app.signIn('chloe');
    const seen = expectData(
      await app.gql('{ staffPresence { id scope } me { staffAccessLog { id scope } } }', {}, chloeToken),
    );
    expect(seen.staffPresence).toEqual([{ id: started.session.id, scope: ['BILLING'] }]);
    expect(seen.me.staffAccessLog).toContainEqual({ id: started.session.id, scope: ['BILLING'] });
  });
});

describe('Narrowing', () => {
  it('narrows the caller’s own view at once, recorded with before and after', async () => {
    const started = expectData(await start({ sections: ['WHOLE_PORTAL'], need: NEED })).startImpersonation;
    const narrowed = expectData(
      await app.gql(NARROW, { id: started.session.id, sections: ['BILLING'] }, started.token),
    );
    expect(narrowed.narrowImpersonationScope).toMatchObject({ scope: ['BILLING'], scopeNeed: null });
    const record = await app.services.prisma.auditEvent.findFirstOrThrow({
      where: { sessionId: started.session.id, action: 'SESSION_SCOPE_NARROWED' },
    });
    expect(record.seen).toMatchObject({
      change: { before: { scope: ['WHOLE_PORTAL'] }, after: { scope: ['BILLING'] } },
    });
    // The next request of the view reads the narrower scope.
    const read = await app.gql('{ me { name pets { name } } }', {}, started.token);
    expect(read.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OUTSIDE_SCOPE', section: 'PETS' });
  });

  it.each([
    ['a wider scope (unauthorized)', ['BILLING', 'PETS']],
    ['the same scope (unauthorized)', ['BILLING', 'MESSAGES']],
    ['the whole portal (unauthorized)', ['WHOLE_PORTAL']],
    ['no section (unauthorized)', []],
  ])('refuses narrowing to %s: SCOPE_NOT_NARROWER, scope unchanged', async (_name, sections) => {
    const started = expectData(await start({ sections: ['BILLING', 'MESSAGES'] })).startImpersonation;
    const result = await app.gql(NARROW, { id: started.session.id, sections }, started.token);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SCOPE_NOT_NARROWER' });
    const row = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: started.session.id } });
    expect(row.scope).toEqual(['BILLING', 'MESSAGES']);
  });

  it('refuses narrowing another manager’s view (unauthorized)', async () => {
    const started = expectData(await start({ sections: ['BILLING', 'MESSAGES'] })).startImpersonation;
    const result = await app.gql(NARROW, { id: started.session.id, sections: ['BILLING'] }, mara);
    expect(errorCode(result)).toBe('NOT_FOUND');
  });
});

describe('Widening is a new start', () => {
  it('an approval for Billing lets a Billing start through, and a whole-portal start becomes a new request', async () => {
    expectData(await app.gql(PROTECT, { id: chloe, protected: true }, mara));
    try {
      const reason = 'Why is INV-1010 still pending after payment';
      const requested = expectData(await start({ sections: ['BILLING'] }, max, reason)).startImpersonation;
      expect(requested.status).toBe('REQUESTED');
      expectData(await app.gql(APPROVE_AS_MANAGER, { id: requested.accessRequest.id }, mara));
      const wider = expectData(await start({ sections: ['WHOLE_PORTAL'], need: NEED }, max, reason)).startImpersonation;
      expect(wider.status).toBe('REQUESTED');
      expect(wider.accessRequest.id).not.toBe(requested.accessRequest.id);
      const billing = expectData(await start({ sections: ['BILLING'] }, max, reason)).startImpersonation;
      expect(billing).toMatchObject({ status: 'STARTED', session: { scope: ['BILLING'] } });
      expectData(await app.gql(END, { id: billing.session.id }, max));
    } finally {
      await app.services.prisma.customer.update({ where: { id: chloe }, data: { protected: false } });
    }
  });
});

/** The count of started views of `scope` at /metrics. */
async function metric(scope: 'sections' | 'whole_portal'): Promise<number> {
  const text = await (await app.app.yoga.fetch('http://test/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(`salon_staff_view_starts_total{scope="${scope}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
