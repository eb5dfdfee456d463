// Break-glass (issue 24, item 2) against the real app: an emergency start on an ask-first or
// protected customer goes through the one start pipeline without her yes or a second manager's,
// for the shortest limit, raises an alert, tells her at once ("emergency access", in her words),
// and waits for a different manager's review, escalated once when left past its deadline. Her Stop
// or "no" refuses it; it is rate limited per manager, read-only and scoped like any other view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalateOverdueBreakGlass } from '../server/access/break-glass.ts';
import { DECLINE_AS_CUSTOMER, END, PROTECT, SET_PREFERENCE, refusal, startRequested } from './access-helpers.ts';
import { HOUR, MINUTE, STEP_UP_AFTER_A_YEAR, expectData } from './factories.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { REASON, customerId } from './impersonation-helpers.ts';

const JUSTIFICATION = 'Vet on the phone, owner abroad and unreachable, allergy list needed now';

const BREAK_GLASS = `mutation BreakGlass($customerId: ID!, $reason: String!, $scope: StaffViewScopeInput!, $emergency: EmergencyAccessInput) {
  startImpersonation(customerId: $customerId, reason: $reason, scope: $scope, emergency: $emergency) {
    status token session { id expiresAt startedAt canExtend }
  }
}`;
const REVIEWS = `{ breakGlassReviews { id sessionId category customerWords justification bypassedConsent bypassedFourEyes usedBy
  customer { id } overdue dueAt escalatedAt reviewedAt decision note reviewer { name } canReview } }`;
const REVIEW = `mutation Review($id: ID!, $decision: BreakGlassDecision!, $note: String!) {
  reviewBreakGlass(id: $id, decision: $decision, note: $note) { id decision note reviewer { name } reviewedAt canReview }
}`;
const EXTEND = 'mutation E($id: ID!) { extendImpersonation(sessionId: $id) { extendedAt } }';
const STOP = 'mutation Stop($id: ID!) { stopStaffView(sessionId: $id) { staffName } }';
const ACCESS_LOG = '{ me { staffAccessLog { id reason emergency } } }';

interface Review {
  id: string;
  sessionId: string;
  overdue: boolean;
  canReview: boolean;
  escalatedAt: string | null;
  [field: string]: unknown;
}

/** A scope input: the sections, with a need for the whole portal. */
const scopeOf = (sections: string[]) =>
  sections.includes('WHOLE_PORTAL') ? { sections, need: 'Emergency: every section may matter' } : { sections };

const emergency = (category = 'PET_HEALTH', reason = JUSTIFICATION) => ({ category, reason });

function breakGlass(app: TestApp, token: string, customer: string, sections = ['WHOLE_PORTAL'], input = emergency()) {
  return app.gql<{ startImpersonation: { status: string; token: string; session: Record<string, any> } }>(
    BREAK_GLASS,
    { customerId: customer, reason: REASON, scope: scopeOf(sections), emergency: input },
    token,
  );
}

const reviews = async (app: TestApp, token: string) =>
  expectData(await app.gql<{ breakGlassReviews: Review[] }>(REVIEWS, {}, token)).breakGlassReviews;

describe('Break-glass start, notice and review', () => {
  let app: TestApp;
  let mara: string;
  let max: string;
  let chloe: string;
  let chloeId: string;

  beforeAll(async () => {
    app = await startTestApp({ config: { ...STEP_UP_AFTER_A_YEAR, BREAK_GLASS_STARTS_PER_WINDOW: 100 } });
    mara = await app.signIn('mara');
    max = await app.signIn('max');
    chloe = await app.signIn('chloe');
    chloeId = await customerId(app, mara, 'chloe@example.test');
    expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, chloe));
  });
  afterAll(async () => {
    await app?.close();
  });

  async function endAll() {
    await app.services.prisma.impersonationSession.updateMany({
      where: { endedAt: null },
      data: { endedAt: app.clock.now(), endState: 'ENDED', endReason: 'test reset' },
    });
  }

  it('starts at once on an ask-first customer, tells her, alerts, and waits for another manager; escalates after 24 h', async () => {
    const started = expectData(await breakGlass(app, mara, chloeId)).startImpersonation;
    expect(started.status).toBe('STARTED');
    const { session } = started;
    expect(new Date(session.expiresAt).getTime() - new Date(session.startedAt).getTime()).toBe(15 * MINUTE);
    expect(session.canExtend).toBe(false);

    const alerts = await app.services.prisma.alert.findMany({ where: { sessionId: session.id, rule: 'BREAK_GLASS' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ staffId: expect.any(String), customerId: chloeId });

    // Told at once: the notice was queued in the start's transaction; sent, it says emergency access in her words.
    await app.app.notifications()!.drain();
    const message = await app.services.prisma.message.findFirstOrThrow({
      where: { customerId: chloeId, sender: 'SALON' },
      orderBy: { sentAt: 'desc' },
    });
    expect(message.body).toContain('emergency access');
    expect(message.body).toContain('an urgent question about your pet’s health');
    expect(message.body).not.toContain(JUSTIFICATION);
    const log = expectData(await app.gql(ACCESS_LOG, {}, chloe)).me.staffAccessLog;
    expect(log[0]).toMatchObject({
      id: session.id,
      emergency: 'Emergency access: an urgent question about your pet’s health',
    });

    const forMax = (await reviews(app, max)).find((review) => review.sessionId === session.id)!;
    expect(forMax).toMatchObject({
      category: 'PET_HEALTH',
      justification: JUSTIFICATION,
      bypassedConsent: true,
      bypassedFourEyes: false,
      usedBy: 'Mara Quinn',
      customer: { id: chloeId },
      overdue: false,
      canReview: true,
      reviewedAt: null,
    });
    expect((await reviews(app, mara)).find((review) => review.id === forMax.id)!.canReview).toBe(false);
    await app.gql(END, { id: session.id }, mara);

    app.clock.advance(24 * HOUR - MINUTE);
    expect(await escalateOverdueBreakGlass(app.services)).toBe(0);
    app.clock.advance(2 * MINUTE);
    expect(await escalateOverdueBreakGlass(app.services)).toBe(1);
    expect(await escalateOverdueBreakGlass(app.services)).toBe(0);
    // A day later every sign-in has run out (AUTH_SESSION_HOURS): everyone signs in again.
    [mara, max, chloe] = await Promise.all([app.signIn('mara'), app.signIn('max'), app.signIn('chloe')]);
    const escalated = await app.services.prisma.alert.findMany({
      where: { sessionId: session.id, rule: 'BREAK_GLASS_UNREVIEWED' },
    });
    expect(escalated).toHaveLength(1);
    expect((await reviews(app, max)).find((review) => review.id === forMax.id)).toMatchObject({
      overdue: true,
      escalatedAt: expect.any(String),
    });
    const records = await app.services.prisma.auditEvent.findMany({
      where: { sessionId: session.id, action: { in: ['SESSION_STARTED', 'BREAK_GLASS_ESCALATED'] } },
      orderBy: { id: 'asc' },
    });
    expect(records.map((record) => record.action)).toEqual(['SESSION_STARTED', 'BREAK_GLASS_ESCALATED']);
    expect(records[0]!.seen).toMatchObject({
      breakGlass: { reviewId: forMax.id, category: 'PET_HEALTH', bypassed: { consent: true, fourEyes: false } },
    });

    const reviewed = expectData(
      await app.gql(REVIEW, { id: forMax.id, decision: 'APPROVE', note: 'Vet confirmed the call; justified' }, max),
    ).reviewBreakGlass;
    expect(reviewed).toMatchObject({ decision: 'APPROVE', reviewer: { name: 'Max Okafor' }, canReview: false });
    const again = await app.gql(REVIEW, { id: forMax.id, decision: 'FLAG', note: 'Changing my mind here' }, max);
    expect(refusal(again)).toEqual({ code: 'CONFLICT', reason: 'BREAK_GLASS_REVIEWED' });
    const review = await app.services.prisma.auditEvent.findFirstOrThrow({
      where: { action: 'BREAK_GLASS_REVIEWED', sessionId: session.id },
    });
    expect(review.seen).toMatchObject({ change: { after: { decision: 'APPROVE', overdue: true } } });
  });

  it('is never reviewed by the manager who used it', async () => {
    await endAll();
    const { session } = expectData(await breakGlass(app, mara, chloeId)).startImpersonation;
    const own = (await reviews(app, mara)).find((review) => review.sessionId === session.id)!;
    const result = await app.gql(REVIEW, { id: own.id, decision: 'APPROVE', note: 'I was right to do it' }, mara);
    expect(refusal(result)).toEqual({ code: 'FORBIDDEN', reason: 'OWN_BREAK_GLASS' });
    const row = await app.services.prisma.breakGlassReview.findUniqueOrThrow({ where: { id: own.id } });
    expect(row.reviewedAt).toBeNull();
    const flagged = await app.gql(REVIEW, { id: own.id, decision: 'FLAG', note: 'Her pet was not at the salon' }, max);
    expect(expectData(flagged).reviewBreakGlass).toMatchObject({ decision: 'FLAG' });
  });

  it('is read-only and scoped like any other view, and never extended', async () => {
    await endAll();
    const { token, session } = expectData(await breakGlass(app, max, chloeId, ['PETS'])).startImpersonation;
    const send = await app.gql('mutation { sendMessage(body: "Hello from staff") { id } }', {}, token);
    expect(refusal(send)).toEqual({ code: 'FORBIDDEN', reason: 'IMPERSONATION_READ_ONLY' });
    const profile = await app.gql('{ me { name address pets { id } } }', {}, token);
    expect(profile.data?.me.pets.length).toBeGreaterThan(0);
    expect(profile.errors?.[0]).toMatchObject({
      path: ['me', 'address'],
      extensions: { code: 'FORBIDDEN', reason: 'OUTSIDE_SCOPE' },
    });
    app.clock.advance(12 * MINUTE);
    const extended = await app.gql(EXTEND, { id: session.id }, token);
    expect(refusal(extended).code).toBe('CONFLICT');
    expect(extended.errors?.[0]?.message).toBe('Emergency access cannot be extended');
    app.clock.advance(4 * MINUTE);
    expect(app.services.prisma.authSession).toBeDefined();
    const after = await app.gql('{ me { name } }', {}, token);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('is refused when her settings already allow a view, and without a justification', async () => {
    await endAll();
    const danId = await customerId(app, mara, 'dan@example.test');
    expect(refusal(await breakGlass(app, mara, danId))).toEqual({ code: 'CONFLICT', reason: 'BREAK_GLASS_NOT_NEEDED' });
    const short = await breakGlass(app, mara, chloeId, ['WHOLE_PORTAL'], emergency('SAFETY', 'urgent'));
    expect(refusal(short).code).toBe('BAD_USER_INPUT');
    const rita = await app.signIn('rita');
    expect(refusal(await breakGlass(app, rita, chloeId)).code).toBe('FORBIDDEN');
    expect(await app.services.prisma.impersonationSession.count({ where: { endedAt: null } })).toBe(0);
  });

  it('bypasses four-eyes on a protected customer, and says so in the review', async () => {
    await endAll();
    const danId = await customerId(app, mara, 'dan@example.test');
    expectData(await app.gql(PROTECT, { id: danId, protected: true }, max));
    const { session } = expectData(
      await breakGlass(app, mara, danId, ['PETS'], emergency('SAFETY')),
    ).startImpersonation;
    const review = (await reviews(app, max)).find((row) => row.sessionId === session.id)!;
    expect(review).toMatchObject({ bypassedConsent: false, bypassedFourEyes: true, category: 'SAFETY' });
    const row = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.approvedByStaffId).toBeNull();
  });

  it('is refused after she stopped a view, even for another manager', async () => {
    await endAll();
    expectData(await app.gql(SET_PREFERENCE, { preference: 'FREELY' }, chloe));
    const started = expectData(
      await app.gql(
        BREAK_GLASS,
        { customerId: chloeId, reason: REASON, scope: scopeOf(['PETS']), emergency: null },
        max,
      ),
    ).startImpersonation;
    expectData(await app.gql(STOP, { id: started.session.id }, chloe));
    expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, chloe));
    const result = await breakGlass(app, mara, chloeId);
    expect(refusal(result)).toEqual({ code: 'FORBIDDEN', reason: 'BREAK_GLASS_BLOCKED' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ cause: 'STOPPED' });
  });

  it('is refused after she declined a request', async () => {
    await endAll();
    const dan = await app.signIn('dan');
    const danId = await customerId(app, mara, 'dan@example.test');
    expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, dan));
    const reviewsBefore = await app.services.prisma.breakGlassReview.count();
    const request = await startRequested(app, max, 'dan@example.test');
    expectData(await app.gql(DECLINE_AS_CUSTOMER, { id: request.id }, dan));
    const result = await breakGlass(app, mara, danId);
    expect(refusal(result)).toEqual({ code: 'FORBIDDEN', reason: 'BREAK_GLASS_BLOCKED' });
    expect(result.errors?.[0]?.extensions).toMatchObject({ cause: 'DECLINED' });
    expect(await app.services.prisma.breakGlassReview.count()).toBe(reviewsBefore);
  });
});

describe('Break-glass limits', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ config: { ...STEP_UP_AFTER_A_YEAR, BREAK_GLASS_STARTS_PER_WINDOW: 2 } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('allows BREAK_GLASS_STARTS_PER_WINDOW per manager, then RATE_LIMITED; other managers keep theirs', async () => {
    const mara = await app.signIn('mara');
    const max = await app.signIn('max');
    const chloe = await app.signIn('chloe');
    const chloeId = await customerId(app, mara, 'chloe@example.test');
    expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, chloe));
    for (let i = 0; i < 2; i += 1) {
      const { session } = expectData(await breakGlass(app, mara, chloeId)).startImpersonation;
      expectData(await app.gql(END, { id: session.id }, mara));
    }
    const third = await breakGlass(app, mara, chloeId);
    expect(refusal(third).code).toBe('RATE_LIMITED');
    expect(third.errors?.[0]?.extensions?.retryAfter).toBeGreaterThan(0);
    const byMax = expectData(await breakGlass(app, max, chloeId)).startImpersonation;
    expect(byMax.status).toBe('STARTED');
    expectData(await app.gql(END, { id: byMax.session.id }, max));
  });

  it('is refused while staff views are off (the kill switch holds)', async () => {
    const max = await app.signIn('max');
    const chloeId = await customerId(app, max, 'chloe@example.test');
    expectData(
      await app.gql(
        'mutation D($reason: String!) { disableStaffViews(reason: $reason) { enabled } }',
        {
          reason: 'Incident drill for the salon',
        },
        max,
      ),
    );
    expect(refusal(await breakGlass(app, max, chloeId)).code).toBe('IMPERSONATION_DISABLED');
  });
});
