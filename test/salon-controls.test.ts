// The customer in control and the salon's controls (SPEC 7, issue 14), on one instance: the
// customer's live presence notice and "Stop this view", the salon-wide kill switch, and step-up
// before a start. Over HTTP in-process and graphql-ws, against the real app and database.
import { AuditAction } from '@prisma/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectData, expectError, MINUTE } from './factories.ts';
import { demo, errorCode, startTestApp, type TestApp } from './harness.ts';
import { endSessionsWhileStaffViewsOff } from '../server/access/kill-switch.ts';
import { collect, customerId, START, startSession } from './impersonation-helpers.ts';
import { tryRequest, turnStaffViewsBackOn } from './governance-helpers.ts';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({
    config: { IMPERSONATION_TICK_MS: MINUTE, IMPERSONATION_STARTS_PER_WINDOW: 500 },
  });
});
afterAll(async () => {
  await app?.close();
});
afterEach(async () => {
  // Every test leaves staff views on, no session running and nobody blocked by a customer's Stop
  // (test/customer-stop.test.ts tests the blocks).
  await app.services.prisma.salonSettings.update({ where: { id: 1 }, data: { staffViewsEnabled: true } });
  await app.services.prisma.staffViewBlock.updateMany({
    where: { liftedAt: null },
    data: { liftedAt: app.clock.now() },
  });
  await app.services.prisma.impersonationSession.updateMany({
    where: { endedAt: null },
    data: { endedAt: app.clock.now(), endState: 'ENDED', endReason: 'test cleanup' },
  });
});

interface Presence {
  staffPresence: { id: string; staffName: string; salonName: string; reason: string }[];
}
const PRESENCE = 'subscription Presence { staffPresence { id staffName salonName reason startedAt expiresAt } }';
const STOP =
  'mutation Stop($id: ID!, $message: String) { stopStaffView(sessionId: $id, message: $message) { staffName } }';
const BANNER = 'subscription Banner { impersonationSession { state endReason } }';
const DISABLE =
  'mutation Off($reason: String!) { disableStaffViews(reason: $reason) { enabled reason changedByName } }';
const SESSION =
  'query S($id: ID!) { impersonationSession(id: $id) { state endReason customerWords endedBy { name } } }';

interface Banner {
  impersonationSession: { state: string; endReason: string | null };
}

function closedWith(): { promise: Promise<number>; onClose: (code: number) => void } {
  let onClose!: (code: number) => void;
  const promise = new Promise<number>((resolve) => (onClose = resolve));
  return { promise, onClose };
}

const auditOf = (action: AuditAction, sessionId?: string) =>
  app.services.prisma.auditEvent.findMany({ where: { action, ...(sessionId ? { sessionId } : {}) } });

describe('Live presence', () => {
  it("pushes to the customer's own portal who is viewing and why, for each session, and drops each as it ends", async () => {
    const chloe = await app.signIn('chloe');
    const presence = collect<Presence>(app.wsClient(chloe), PRESENCE);
    await presence.until((value) => value.staffPresence.length === 0);

    const mara = await startSession(app, await app.signIn('mara'), demo.chloe.email, 'Chloe asked about her invoice');
    const seen = await presence.until((value) => value.staffPresence.length === 1);
    expect(seen.staffPresence[0]).toMatchObject({
      id: mara.session.id,
      staffName: 'Mara Quinn',
      salonName: 'Tidy Tails',
      reason: 'Chloe asked about her invoice',
    });
    const max = await startSession(app, await app.signIn('max'));
    await presence.until((value) => value.staffPresence.length === 2);

    await app.gql(
      'mutation E($id: ID!) { endImpersonation(sessionId: $id) { id } }',
      { id: mara.session.id },
      mara.token,
    );
    // Only max's view is left (the earlier list of one held mara's).
    await presence.until((value) => value.staffPresence.length === 1 && value.staffPresence[0]!.id === max.session.id);
  });

  it('tells no other customer', async () => {
    const dan = await app.signIn('dan');
    const presence = collect<Presence>(app.wsClient(dan), PRESENCE);
    await presence.until((value) => value.staffPresence.length === 0);
    await startSession(app, await app.signIn('mara'));
    const query = await app.gql<Presence>('{ staffPresence { id } }', {}, dan);
    expect(expectData(query).staffPresence).toEqual([]);
    expect(presence.values.every((value) => value.staffPresence.length === 0)).toBe(true);
  });

  it("pushes to the customer's own portal who is viewing (unauthorized: the staff view itself and staff)", async () => {
    const { token } = await startSession(app, await app.signIn('mara'));
    const underView = collect<Presence>(app.wsClient(token), PRESENCE);
    await underView.done;
    expect(underView.values).toHaveLength(0);
    expect(JSON.stringify(underView.errors)).toContain('FORBIDDEN');
    expect(errorCode(await app.gql('{ staffPresence { id } }', {}, await app.signIn('max')))).toBe('FORBIDDEN');
  });
});

describe('Stop this view', () => {
  it("ends the session at once with the customer's words: banner told, socket closed, token refused, audited", async () => {
    const chloe = await app.signIn('chloe');
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    const closed = closedWith();
    const banner = collect<Banner>(app.wsClient(token, closed.onClose), BANNER);
    await banner.until((value) => value.impersonationSession.state === 'ACTIVE');

    const stopped = await app.gql(STOP, { id: session.id, message: 'I did not ask for this' }, chloe);
    expect(expectData(stopped)).toEqual({ stopStaffView: { staffName: 'Mara Quinn' } });

    const end = await banner.until((value) => value.impersonationSession.state !== 'ACTIVE');
    expect(end.impersonationSession).toEqual({ state: 'STOPPED_BY_CUSTOMER', endReason: 'I did not ask for this' });
    expect(await closed.promise).toBe(4403);
    expect(errorCode(await app.gql('{ me { name } }', {}, token))).toBe('UNAUTHENTICATED');
    const record = expectData(await app.gql(SESSION, { id: session.id }, mara)).impersonationSession;
    expect(record).toEqual({
      state: 'STOPPED_BY_CUSTOMER',
      endReason: 'I did not ask for this',
      customerWords: 'I did not ask for this',
      endedBy: null,
    });
    const [audit] = await auditOf(AuditAction.SESSION_STOPPED_BY_CUSTOMER, session.id);
    expect(audit).toMatchObject({ reason: 'I did not ask for this', customerId: expect.any(String) });
  });

  it('records a plain reason when the customer gives no words, and shows the staff member none', async () => {
    const chloe = await app.signIn('chloe');
    const mara = await app.signIn('mara');
    const { session } = await startSession(app, mara);
    expectData(await app.gql(STOP, { id: session.id }, chloe));
    const record = expectData(await app.gql(SESSION, { id: session.id }, mara)).impersonationSession;
    expect(record).toMatchObject({
      state: 'STOPPED_BY_CUSTOMER',
      endReason: 'Stopped by the customer',
      customerWords: null,
    });
  });

  it('ends the session at once (unauthorized: under the staff view itself, read-only refusal)', async () => {
    const { token, session } = await startSession(app, await app.signIn('mara'));
    expectError(await app.gql(STOP, { id: session.id }, token), 'FORBIDDEN', 'IMPERSONATION_READ_ONLY');
    const live = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(live.endedAt).toBeNull();
  });

  it("ends the session at once (unauthorized: another customer's view is not found, staff are refused)", async () => {
    const { session } = await startSession(app, await app.signIn('mara'));
    expectError(await app.gql(STOP, { id: session.id }, await app.signIn('dan')), 'NOT_FOUND');
    expectError(await app.gql(STOP, { id: session.id }, await app.signIn('max')), 'FORBIDDEN');
    const live = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(live.endedAt).toBeNull();
  });

  it('refuses to stop a view that has already ended (CONFLICT)', async () => {
    const chloe = await app.signIn('chloe');
    const { session } = await startSession(app, await app.signIn('mara'));
    expectData(await app.gql(STOP, { id: session.id }, chloe));
    expectError(await app.gql(STOP, { id: session.id }, chloe), 'CONFLICT');
    expect(await auditOf(AuditAction.SESSION_STOPPED_BY_CUSTOMER, session.id)).toHaveLength(1);
  });
});

describe('Kill switch', () => {
  it('ends every running session at once, telling each banner why, and closes their sockets', async () => {
    const max = await app.signIn('max');
    const sessions = [await startSession(app, await app.signIn('mara')), await startSession(app, max, demo.dan.email)];
    const watched = sessions.map(({ token }) => {
      const closed = closedWith();
      return { closed, banner: collect<Banner>(app.wsClient(token, closed.onClose), BANNER) };
    });
    for (const { banner } of watched) await banner.until((value) => value.impersonationSession.state === 'ACTIVE');

    const off = await app.gql(DISABLE, { reason: 'Suspected account takeover' }, max);
    expect(expectData(off).disableStaffViews).toEqual({
      enabled: false,
      reason: 'Suspected account takeover',
      changedByName: 'Max Okafor',
    });
    for (const { banner, closed } of watched) {
      const end = await banner.until((value) => value.impersonationSession.state !== 'ACTIVE');
      expect(end.impersonationSession).toEqual({
        state: 'STAFF_VIEWS_DISABLED',
        endReason: 'Staff views were turned off salon-wide: Suspected account takeover',
      });
      expect(await closed.promise).toBe(4403);
    }
    for (const { session } of sessions)
      expect(await auditOf(AuditAction.SESSION_STAFF_VIEWS_DISABLED, session.id)).toHaveLength(1);
    const [switched] = await auditOf(AuditAction.STAFF_VIEWS_DISABLED);
    expect(switched).toMatchObject({ reason: 'Suspected account takeover' });
  });

  it('ends within a sweep the sessions a switch did not reach (its process stopped after saving it)', async () => {
    const { token, session } = await startSession(app, await app.signIn('mara'));
    const max = await app.services.prisma.staff.findFirstOrThrow({ where: { email: demo.max.email } });
    // The switch saved, then nothing more: as if its process died before ending the sessions.
    await app.services.prisma.salonSettings.update({
      where: { id: 1 },
      data: {
        staffViewsEnabled: false,
        staffViewsReason: 'Switched just before a crash',
        staffViewsChangedAt: app.clock.now(),
        staffViewsChangedById: max.id,
      },
    });
    await expect
      .poll(
        async () =>
          (await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } })).endState,
        { timeout: 10_000 },
      )
      .toBe('STAFF_VIEWS_DISABLED');
    const ended = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(ended).toMatchObject({
      endReason: 'Staff views were turned off salon-wide: Switched just before a crash',
      endedByStaffId: max.id,
    });
    expect(errorCode(await app.gql('{ me { name } }', {}, token))).toBe('UNAUTHENTICATED');
    expect(await auditOf(AuditAction.SESSION_STAFF_VIEWS_DISABLED, session.id)).toHaveLength(1);
  });

  it('ends nothing while staff views are on', async () => {
    const { session } = await startSession(app, await app.signIn('mara'));
    expect(await endSessionsWhileStaffViewsOff(app.services)).toBe(0);
    const row = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.endedAt).toBeNull();
  });

  it('refuses starts with IMPERSONATION_DISABLED until a manager turns staff views back on', async () => {
    const mara = await app.signIn('mara');
    const max = await app.signIn('max');
    const chloeId = await customerId(app, mara, demo.chloe.email);
    expectData(await app.gql(DISABLE, { reason: 'Audit in progress' }, max));

    const refused = await app.gql(START, { customerId: chloeId, reason: 'Customer called about a bill' }, mara);
    expectError(refused, 'IMPERSONATION_DISABLED');
    expect(refused.errors![0]!.extensions!.reason).toBe('Audit in progress');
    expect(await app.services.prisma.impersonationSession.count({ where: { endedAt: null } })).toBe(0);

    // Back on only through a governance request another manager approves (test/governance.test.ts).
    const on = await turnStaffViewsBackOn(app, mara, max, 'Audit finished, all clear');
    expect(on).toEqual({ enabled: true, reason: 'Audit finished, all clear', changedByName: 'Max Okafor' });
    expect(await auditOf(AuditAction.STAFF_VIEWS_ENABLED)).not.toHaveLength(0);
    await startSession(app, mara);
  });

  it('turns staff views off (unauthorized: a receptionist, a staff view, a short reason)', async () => {
    const { token } = await startSession(app, await app.signIn('mara'));
    expectError(await app.gql(DISABLE, { reason: 'Because' }, await app.signIn('rita')), 'FORBIDDEN');
    expectError(await app.gql(DISABLE, { reason: 'Because' }, token), 'FORBIDDEN', 'IMPERSONATION_READ_ONLY');
    expectError(await app.gql(DISABLE, { reason: ' x ' }, await app.signIn('max')), 'BAD_USER_INPUT');
    expect((await app.services.prisma.salonSettings.findUniqueOrThrow({ where: { id: 1 } })).staffViewsEnabled).toBe(
      true,
    );
  });

  it('says CONFLICT when staff views are already in that position', async () => {
    const max = await app.signIn('max');
    expectError(await tryRequest(app, max, { kind: 'ENABLE_STAFF_VIEWS' }), 'CONFLICT', 'GOVERNANCE_TARGET_CHANGED');
    expectData(await app.gql(DISABLE, { reason: 'Maintenance window' }, max));
    expectError(await app.gql(DISABLE, { reason: 'Maintenance window' }, max), 'CONFLICT');
  });

  it('pushes its position live to the admin app', async () => {
    const max = await app.signIn('max');
    const live = collect<{ staffViewControls: { enabled: boolean; reason: string | null } }>(
      app.wsClient(await app.signIn('rita')),
      'subscription C { staffViewControls { enabled reason } }',
    );
    await live.until((value) => value.staffViewControls.enabled);
    await app.gql(DISABLE, { reason: 'Fire drill' }, max);
    await live.until((value) => !value.staffViewControls.enabled && value.staffViewControls.reason === 'Fire drill');
    await turnStaffViewsBackOn(app, max, await app.signIn('mara'), 'Drill over, all clear');
    await live.until(
      (value) => value.staffViewControls.enabled && value.staffViewControls.reason === 'Drill over, all clear',
    );
  });
});

describe('Step-up', () => {
  const STEP_UP_MS = () => app.services.config.STEP_UP_MINUTES * MINUTE;
  const startWith = async (token: string, password?: string) =>
    app.gql(
      'mutation Start($customerId: ID!, $reason: String!, $password: String) { startImpersonation(customerId: $customerId, reason: $reason, scope: { sections: [WHOLE_PORTAL], need: "Tests read every section of the portal" }, password: $password) { session { id } } }',
      { customerId: await customerId(app, token, demo.chloe.email), reason: 'Customer called about a bill', password },
      token,
    );
  const controls = async (token: string) =>
    expectData(await app.gql('{ staffViewControls { stepUpRequired stepUpMinutes } }', {}, token)).staffViewControls;

  it('refuses a start with STEP_UP_REQUIRED once the sign-in is older than STEP_UP_MINUTES', async () => {
    const mara = await app.signIn('mara');
    expect(await controls(mara)).toEqual({ stepUpRequired: false, stepUpMinutes: 10 });
    app.clock.advance(STEP_UP_MS() + 1000);
    expect((await controls(mara)).stepUpRequired).toBe(true);
    const refused = await startWith(mara);
    expectError(refused, 'STEP_UP_REQUIRED');
    expect(refused.errors![0]!.extensions!.stepUpMinutes).toBe(10);
  });

  it("starts with the right password, renews that sign-in's step-up, and redacts the password in the audit", async () => {
    const mara = await app.signIn('mara');
    app.clock.advance(STEP_UP_MS() + 1000);
    const started = expectData(await startWith(mara, demo.mara.password)).startImpersonation;
    expect(await controls(mara)).toMatchObject({ stepUpRequired: false });
    const passed = await app.services.prisma.auditEvent.findFirstOrThrow({
      where: { action: AuditAction.STEP_UP_PASSED },
      orderBy: { id: 'desc' },
    });
    expect(JSON.stringify(passed.variables)).not.toContain(demo.mara.password);
    await app.gql('mutation E($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: started.session.id }, mara);
    expectData(await startWith(mara));
  });

  it('refuses a wrong password (STEP_UP_REQUIRED, INVALID_CREDENTIALS), audits it, and starts nothing', async () => {
    const max = await app.signIn('max');
    app.clock.advance(STEP_UP_MS() + 1000);
    const before = await auditOf(AuditAction.STEP_UP_FAILED);
    expectError(await startWith(max, 'not the password'), 'STEP_UP_REQUIRED', 'INVALID_CREDENTIALS');
    const after = await auditOf(AuditAction.STEP_UP_FAILED);
    expect(after).toHaveLength(before.length + 1);
    expect(JSON.stringify(after.at(-1)!.variables)).not.toContain('not the password');
    expect(await app.services.prisma.impersonationSession.count({ where: { endedAt: null } })).toBe(0);
    expect((await controls(max)).stepUpRequired).toBe(true);
  });

  it('rate-limits wrong passwords like sign-in (RATE_LIMITED), even before the right one', async () => {
    const mara = await app.signIn('mara');
    app.clock.advance(STEP_UP_MS() + 1000);
    const limit = app.services.config.SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS;
    const codes: (string | undefined)[] = [];
    for (let attempt = 0; attempt <= limit; attempt += 1) codes.push(errorCode(await startWith(mara, 'guess')));
    expect(codes.slice(0, limit).every((code) => code === 'STEP_UP_REQUIRED')).toBe(true);
    expect(codes[limit]).toBe('RATE_LIMITED');
    expectError(await startWith(mara, demo.mara.password), 'RATE_LIMITED');
  });
});
