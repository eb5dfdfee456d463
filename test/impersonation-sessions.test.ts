// Session lifecycle over GraphQL against the real app: start rules, extension, end, termination,
// expiry and revocation, each with the token refused afterwards and the end recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApp, type TestApp } from './harness.ts';
import { REASON, START, customerId, startSession } from './impersonation-helpers.ts';

let app: TestApp;
let limits: TestApp['services']['limits'];

beforeAll(async () => {
  app = await startTestApp();
  limits = app.services.limits;
});
afterAll(async () => {
  await app?.close();
});

const ME = '{ me { id name email } }';
const SESSION = `query Session($id: ID!) { impersonationSession(id: $id) { id state endState endReason endedAt expiresAt canExtend } }`;
const END = 'mutation End($id: ID!) { endImpersonation(sessionId: $id) { id state endReason } }';
const EXTEND = 'mutation Extend($id: ID!) { extendImpersonation(sessionId: $id) { id expiresAt canExtend } }';
const TERMINATE =
  'mutation Terminate($id: ID!, $reason: String!) { terminateImpersonation(sessionId: $id, reason: $reason) { id state endReason } }';

async function endQuietly(token: string, id: string) {
  await app.gql(END, { id }, token);
}

/** Moves the clock to one second inside the extension window of a session that started now. */
const advanceIntoExtensionWindow = () => app.clock.advance(limits.durationMs - limits.extensionWindowMs + 1000);

describe('Start', () => {
  it('a manager may start a session', async () => {
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    expect(token).toEqual(expect.any(String));
    expect(session).toMatchObject({ state: 'ACTIVE' });
    await endQuietly(mara, session.id);
  });

  it('a manager may start a session (unauthorized: receptionist)', async () => {
    const rita = await app.signIn('rita');
    const mara = await app.signIn('mara');
    const result = await app.gql(
      START,
      { customerId: await customerId(app, mara, 'chloe@example.test'), reason: REASON },
      rita,
    );
    expect(errorCode(result)).toBe('FORBIDDEN');
  });

  it('a manager may start a session (unauthorized: impersonation token, no nesting)', async () => {
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    const nested = await app.gql(
      START,
      { customerId: await customerId(app, mara, 'dan@example.test'), reason: REASON },
      token,
    );
    expect(errorCode(nested)).toBe('FORBIDDEN');
    await endQuietly(mara, session.id);
  });

  it('gives a token that reads the customer portal exactly as the customer', async () => {
    const mara = await app.signIn('mara');
    const chloe = await app.signIn('chloe');
    const { token, session } = await startSession(app, mara);
    const asStaff = await app.gql(ME, {}, token);
    const asCustomer = await app.gql(ME, {}, chloe);
    expect(asStaff.data).toEqual(asCustomer.data);
    expect(asStaff.data.me.email).toBe('chloe@example.test');
    await endQuietly(mara, session.id);
  });

  it('refuses a reason shorter than 10 or longer than 500 characters', async () => {
    const mara = await app.signIn('mara');
    const id = await customerId(app, mara, 'chloe@example.test');
    expect(errorCode(await app.gql(START, { customerId: id, reason: 'short' }, mara))).toBe('BAD_USER_INPUT');
    expect(errorCode(await app.gql(START, { customerId: id, reason: 'x'.repeat(501) }, mara))).toBe('BAD_USER_INPUT');
  });

  it('refuses a disabled customer', async () => {
    const mara = await app.signIn('mara');
    const result = await app.gql(
      START,
      { customerId: await customerId(app, mara, 'dora@example.test'), reason: REASON },
      mara,
    );
    expect(errorCode(result)).toBe('FORBIDDEN');
  });

  it('refuses a staff account as the subject', async () => {
    const mara = await app.signIn('mara');
    const staff = await app.gql('{ staffMembers { id email } }', {}, mara);
    const gus = staff.data.staffMembers.find((s: { email: string }) => s.email === 'gus@salon.test');
    const result = await app.gql(START, { customerId: gus.id, reason: REASON }, mara);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
  });

  it('refuses a second active session with the id of the first', async () => {
    const mara = await app.signIn('mara');
    const { session } = await startSession(app, mara);
    const second = await app.gql(
      START,
      { customerId: await customerId(app, mara, 'dan@example.test'), reason: REASON },
      mara,
    );
    expect(second.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', activeSessionId: session.id });
    await endQuietly(mara, session.id);
  });

  it('lasts the configured duration from database time', async () => {
    const mara = await app.signIn('mara');
    const { session } = await startSession(app, mara);
    expect(new Date(session.expiresAt).getTime() - new Date(session.startedAt).getTime()).toBe(limits.durationMs);
    await endQuietly(mara, session.id);
  });
});

describe('Extend', () => {
  it('is refused before the extension window', async () => {
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    expect(errorCode(await app.gql(EXTEND, { id: session.id }, token))).toBe('CONFLICT');
    await endQuietly(mara, session.id);
  });

  it('the session may be extended inside the extension window, by the configured length', async () => {
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    advanceIntoExtensionWindow();
    const extended = await app.gql(EXTEND, { id: session.id }, token);
    expect(extended.errors).toBeUndefined();
    expect(new Date(extended.data.extendImpersonation.expiresAt).getTime()).toBe(
      new Date(session.startedAt).getTime() + Math.min(limits.durationMs + limits.extensionMs, limits.maxTotalMs),
    );
    await endQuietly(mara, session.id);
  });

  it('the session may be extended inside the extension window, by the configured length (unauthorized)', async () => {
    const mara = await app.signIn('mara');
    const max = await app.signIn('max');
    const { session } = await startSession(app, mara);
    advanceIntoExtensionWindow();
    expect(errorCode(await app.gql(EXTEND, { id: session.id }, max))).toBe('NOT_FOUND');
    await endQuietly(mara, session.id);
  });

  it('is refused a second time, even inside the extended session’s own extension window', async () => {
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    advanceIntoExtensionWindow();
    const extended = await app.gql(EXTEND, { id: session.id }, token);
    expect(extended.errors).toBeUndefined();
    const extendedExpiresAt = new Date(extended.data.extendImpersonation.expiresAt).getTime();
    app.clock.set(new Date(extendedExpiresAt - limits.extensionWindowMs + 1000));
    expect(errorCode(await app.gql(EXTEND, { id: session.id }, token))).toBe('CONFLICT');
    await endQuietly(mara, session.id);
  });
});

describe('End', () => {
  it('ends from the impersonation token itself, after which the token is refused', async () => {
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    const ended = await app.gql(END, { id: session.id }, token);
    expect(ended.data.endImpersonation).toMatchObject({ state: 'ENDED' });
    const after = await app.gql(ME, {}, token);
    expect(errorCode(after)).toBe('UNAUTHENTICATED');
    expect(after.data ?? null).toBeNull();
  });

  it('a manager may terminate a session with a reason that is recorded', async () => {
    const mara = await app.signIn('mara');
    const max = await app.signIn('max');
    const { token, session } = await startSession(app, mara);
    const terminated = await app.gql(TERMINATE, { id: session.id, reason: 'Not an approved ticket' }, max);
    expect(terminated.data.terminateImpersonation).toMatchObject({
      state: 'TERMINATED',
      endReason: 'Not an approved ticket',
    });
    expect(errorCode(await app.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
  });

  it('a manager may terminate a session with a reason that is recorded (unauthorized)', async () => {
    const mara = await app.signIn('mara');
    const chloe = await app.signIn('chloe');
    const { session } = await startSession(app, mara);
    expect(errorCode(await app.gql(TERMINATE, { id: session.id, reason: 'I do not like this' }, chloe))).toBe(
      'FORBIDDEN',
    );
    await endQuietly(mara, session.id);
  });

  it('expires at its time: the token is refused and the session reads EXPIRED', async () => {
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    app.clock.advance(limits.durationMs + 1000);
    expect(errorCode(await app.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
    // A new start sweeps the expired one first, so it is allowed (from a fresh sign-in: the first
    // one is older than STEP_UP_MINUTES by now).
    const next = await startSession(app, await app.signIn('mara'));
    const old = await app.gql(SESSION, { id: session.id }, mara);
    expect(old.data.impersonationSession).toMatchObject({ state: 'EXPIRED', endState: 'EXPIRED' });
    await endQuietly(mara, next.session.id);
  });
});

describe('Revoke', () => {
  const maraStaffId = async (managerToken: string) => {
    const staff = await app.gql('{ staffMembers { id email } }', {}, managerToken);
    return staff.data.staffMembers.find((s: { email: string }) => s.email === 'mara@salon.test').id as string;
  };

  it('ends the sessions of a staff member who loses the manager role', async () => {
    const max = await app.signIn('max');
    const mara = await app.signIn('mara');
    const maraId = await maraStaffId(max);

    const { token, session } = await startSession(app, mara);
    await app.gql(
      'mutation Role($id: ID!) { setStaffRole(staffId: $id, role: RECEPTIONIST) { role } }',
      { id: maraId },
      max,
    );
    expect(errorCode(await app.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
    const afterRole = await app.gql(SESSION, { id: session.id }, max);
    expect(afterRole.data.impersonationSession).toMatchObject({
      state: 'REVOKED',
      endReason: 'Staff member lost the manager role',
    });

    // Promotion is a governance change (test/governance.test.ts): put her back directly.
    await app.services.prisma.staff.update({ where: { id: maraId }, data: { role: 'MANAGER' } });
  });

  it('ends the sessions of a staff member who is deactivated, and their own sign-in', async () => {
    const max = await app.signIn('max');
    const mara = await app.signIn('mara');
    const maraId = await maraStaffId(max);

    const { token, session } = await startSession(app, mara);
    await app.gql(
      'mutation Active($id: ID!) { setStaffActive(staffId: $id, active: false) { active } }',
      { id: maraId },
      max,
    );
    expect(errorCode(await app.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
    expect(errorCode(await app.gql('{ staffMembers { id } }', {}, mara))).toBe('UNAUTHENTICATED');
    const afterDeactivate = await app.gql(SESSION, { id: session.id }, max);
    expect(afterDeactivate.data.impersonationSession).toMatchObject({
      state: 'REVOKED',
      endReason: 'Staff member deactivated',
    });
    // Reactivating a manager is a governance change (test/governance.test.ts): put her back directly.
    await app.services.prisma.staff.update({ where: { id: maraId }, data: { active: true } });
  });

  it('answers NOT_FOUND for a staff member or customer that does not exist', async () => {
    const max = await app.signIn('max');
    const missing = { id: 'cm0000000000000000000000' };
    expect(
      errorCode(
        await app.gql('mutation A($id: ID!) { setStaffActive(staffId: $id, active: false) { id } }', missing, max),
      ),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(
        await app.gql('mutation R($id: ID!) { setStaffRole(staffId: $id, role: GROOMER) { id } }', missing, max),
      ),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(
        await app.gql(
          'mutation S($id: ID!) { setCustomerStatus(customerId: $id, status: DISABLED) { id } }',
          missing,
          max,
        ),
      ),
    ).toBe('NOT_FOUND');
  });

  it('ends every session viewing a customer who is disabled', async () => {
    const max = await app.signIn('max');
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara, 'dan@example.test');
    const danId = await customerId(app, max, 'dan@example.test');
    await app.gql(
      'mutation Status($id: ID!) { setCustomerStatus(customerId: $id, status: DISABLED) { status } }',
      { id: danId },
      max,
    );
    expect(errorCode(await app.gql(ME, {}, token))).toBe('UNAUTHENTICATED');
    const after = await app.gql(SESSION, { id: session.id }, max);
    expect(after.data.impersonationSession).toMatchObject({ state: 'REVOKED', endReason: 'Customer account disabled' });
    await app.gql(
      'mutation Status($id: ID!) { setCustomerStatus(customerId: $id, status: ACTIVE) { status } }',
      { id: danId },
      max,
    );
  });
});
