// Sockets outlive no sign-in: a sign-out, a deactivation or demotion, a disabled customer and a
// password change close the graphql-ws sockets opened with the sign-ins they end (4403, final),
// on every instance, while other sign-ins' sockets keep serving. The managers' active-sessions feed
// also re-resolves its subscriber before each push, and a manager's sign-out ends their staff view.
import { randomBytes } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePubSubMessage } from '../server/pubsub.ts';
import { demo, errorCode, startTestApp, startTestAppBeside, type DemoAccount, type TestApp } from './harness.ts';
import { collect, customerId, startSession } from './impersonation-helpers.ts';

const redisUrl = process.env.REDIS_URL;
/** Shared with the second instance of the multi-instance case (unused without Redis). */
const redisChannelPrefix = `revocation-${randomBytes(6).toString('hex')}`;

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ redisChannelPrefix, config: { IMPERSONATION_TICK_MS: 60_000 } });
});
afterAll(async () => {
  await app?.close();
});

const VIEWER = '{ viewer { kind } }';
const SIGN_OUT = 'mutation SignOut { signOut }';
const ACTIVE = 'subscription Active { activeImpersonationSessions { id } }';
const BANNER = 'subscription Banner { impersonationSession { state endReason } }';
const SESSION = 'query Session($id: ID!) { impersonationSession(id: $id) { state endState endReason } }';
const SET_ACTIVE =
  'mutation Active($id: ID!, $active: Boolean!) { setStaffActive(staffId: $id, active: $active) { id } }';
const SET_ROLE = 'mutation Role($id: ID!, $role: StaffRole!) { setStaffRole(staffId: $id, role: $role) { id } }';
const SET_STATUS =
  'mutation Status($id: ID!, $status: CustomerStatus!) { setCustomerStatus(customerId: $id, status: $status) { id } }';
const CHANGE_PASSWORD =
  'mutation ChangePassword($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }';

/** A socket of one sign-in: the close it receives, and whether it still answers. */
interface OpenSocket {
  client: Client;
  closed: Promise<number>;
  closeCode(): number | null;
  /** Resolves with `viewer.kind` sent over this socket, or rejects when the socket is gone. */
  viewerKind(): Promise<string>;
}

function runOnce<T>(client: Client, query: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let result: T | undefined;
    client.subscribe<T>(
      { query },
      {
        next: (message) => (message.data ? (result = message.data as T) : reject(new Error(JSON.stringify(message)))),
        error: reject,
        complete: () => (result === undefined ? reject(new Error('no result')) : resolve(result)),
      },
    );
  });
}

/** Opens a socket with `token` and waits until the server has accepted it (and tracks it). */
async function openSocket(on: TestApp, token: string): Promise<OpenSocket> {
  let code: number | null = null;
  let onClose!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (onClose = resolve));
  const client = on.wsClient(token, (closeCode) => {
    code = closeCode;
    onClose(closeCode);
  });
  const socket: OpenSocket = {
    client,
    closed,
    closeCode: () => code,
    viewerKind: async () => (await runOnce<{ viewer: { kind: string } }>(client, VIEWER)).viewer.kind,
  };
  await socket.viewerKind();
  return socket;
}

async function staffId(on: TestApp, managerToken: string, account: DemoAccount): Promise<string> {
  const result = await on.gql<{ staffMembers: { id: string; email: string }[] }>(
    '{ staffMembers { id email } }',
    {},
    managerToken,
  );
  return result.data!.staffMembers.find((staff) => staff.email === demo[account].email)!.id;
}

/** A manager's live feed of active sessions, waiting for its first list. */
async function openFeed(on: TestApp, token: string) {
  const socket = await openSocket(on, token);
  const feed = collect<{ activeImpersonationSessions: { id: string }[] }>(socket.client, ACTIVE);
  await feed.until(() => true);
  return { socket, feed };
}

describe('Sign-out', () => {
  it('closes the sockets opened with the sign-in that signs out, with 4403', async () => {
    const leaving = await app.signIn('chloe');
    const socket = await openSocket(app, leaving);
    expect(await socket.viewerKind()).toBe('CUSTOMER');
    expect((await app.gql(SIGN_OUT, {}, leaving)).data).toEqual({ signOut: true });
    expect(await socket.closed).toBe(4403);
  });

  it('closes the sockets opened with the sign-in that signs out, with 4403 (unauthorized)', async () => {
    const leaving = await app.signIn('chloe');
    const staying = await app.signIn('chloe');
    const leavingSocket = await openSocket(app, leaving);
    const stayingSocket = await openSocket(app, staying);
    await app.gql(SIGN_OUT, {}, leaving);
    expect(await leavingSocket.closed).toBe(4403);
    expect(await stayingSocket.viewerKind()).toBe('CUSTOMER');
    expect(stayingSocket.closeCode()).toBeNull();
  });

  it('ends the manager’s impersonation session: its banner gets the end, its token is refused, the end is audited', async () => {
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    let bannerClosed!: (code: number) => void;
    const bannerClose = new Promise<number>((resolve) => (bannerClosed = resolve));
    const banner = collect<{ impersonationSession: { state: string; endReason: string | null } }>(
      app.wsClient(token, (code) => bannerClosed(code)),
      BANNER,
    );
    await banner.until((value) => value.impersonationSession.state === 'ACTIVE');
    const feed = await openFeed(app, mara);

    await app.gql(SIGN_OUT, {}, mara);
    const end = await banner.until((value) => value.impersonationSession.state !== 'ACTIVE', 5_000);
    expect(end.impersonationSession).toEqual({ state: 'ENDED', endReason: 'Signed out' });
    expect(await bannerClose).toBe(4403);
    expect(await feed.socket.closed).toBe(4403);
    expect(errorCode(await app.gql('{ me { name } }', {}, token))).toBe('UNAUTHENTICATED');
    const max = await app.signIn('max');
    const after = await app.gql(SESSION, { id: session.id }, max);
    expect(after.data.impersonationSession).toEqual({ state: 'ENDED', endState: 'ENDED', endReason: 'Signed out' });
    const audit = await app.services.prisma.auditEvent.findMany({
      where: { sessionId: session.id, action: 'SESSION_ENDED' },
      select: { reason: true, staffId: true },
    });
    expect(audit).toEqual([{ reason: 'Signed out', staffId: await staffId(app, max, 'mara') }]);
  });

  it('ends the manager’s impersonation session (unauthorized: the viewed customer signing out ends nothing)', async () => {
    const mara = await app.signIn('mara');
    const chloe = await app.signIn('chloe');
    const { token, session } = await startSession(app, mara);
    await app.gql(SIGN_OUT, {}, chloe);
    expect(errorCode(await app.gql('{ me { name } }', {}, token))).toBeUndefined();
    expect((await app.gql(SESSION, { id: session.id }, mara)).data.impersonationSession.state).toBe('ACTIVE');
    await app.gql(SIGN_OUT, {}, mara);
  });
});

describe('Staff changes', () => {
  it('closes the active-sessions feed socket of a manager who is deactivated', async () => {
    const max = await app.signIn('max');
    const mara = await app.signIn('mara');
    const maraId = await staffId(app, max, 'mara');
    const maraFeed = await openFeed(app, mara);
    const maxFeed = await openFeed(app, max);
    await app.gql(SET_ACTIVE, { id: maraId, active: false }, max);
    expect(await maraFeed.socket.closed).toBe(4403);
    // The manager who made the change keeps watching.
    expect(await maxFeed.socket.viewerKind()).toBe('STAFF');
    // Reactivating a manager is a governance change (test/governance.test.ts): put her back directly.
    await app.services.prisma.staff.update({ where: { id: maraId }, data: { active: true } });
  });

  it('closes the active-sessions feed socket of a manager who is demoted; the sign-in stays for the new role', async () => {
    const max = await app.signIn('max');
    const mara = await app.signIn('mara');
    const maraId = await staffId(app, max, 'mara');
    const maraFeed = await openFeed(app, mara);
    await app.gql(SET_ROLE, { id: maraId, role: 'RECEPTIONIST' }, max);
    expect(await maraFeed.socket.closed).toBe(4403);
    expect(errorCode(await app.gql('{ staffMembers { id } }', {}, mara))).toBeUndefined();
    const again = collect(app.wsClient(mara), ACTIVE);
    await again.done;
    expect(again.values).toHaveLength(0);
    expect(JSON.stringify(again.errors)).toContain('FORBIDDEN');
    // Promotion is a governance change (test/governance.test.ts): put her back directly.
    await app.services.prisma.staff.update({ where: { id: maraId }, data: { role: 'MANAGER' } });
  });

  it('closes the active-sessions feed socket of a manager who is demoted (unauthorized: a manager kept as manager keeps the feed)', async () => {
    const max = await app.signIn('max');
    const mara = await app.signIn('mara');
    const maraId = await staffId(app, max, 'mara');
    const maraFeed = await openFeed(app, mara);
    await app.gql(SET_ROLE, { id: maraId, role: 'MANAGER' }, max);
    const { session } = await startSession(app, max);
    await maraFeed.feed.until((value) => value.activeImpersonationSessions.some((s) => s.id === session.id));
    expect(maraFeed.socket.closeCode()).toBeNull();
    await app.gql('mutation E($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, max);
  });
});

describe('Active-sessions feed', () => {
  it('re-resolves its subscriber before each push and ends when the sign-in is gone, even if no socket was closed', async () => {
    const max = await app.signIn('max');
    const mara = await app.signIn('mara');
    const maraFeed = await openFeed(app, mara);
    // Revoked behind the app's back: no event, so the socket stays open until the feed's next push.
    await app.services.prisma.authSession.updateMany({
      where: { staffId: await staffId(app, max, 'mara'), kind: 'STAFF', revokedAt: null },
      data: { revokedAt: app.clock.now() },
    });
    const pushed = maraFeed.feed.values.length;
    const { session } = await startSession(app, max);
    await maraFeed.feed.done;
    expect(maraFeed.feed.values).toHaveLength(pushed);
    expect(JSON.stringify(maraFeed.feed.values)).not.toContain(session.id);
    await app.gql('mutation E($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, max);
  });

  it('re-resolves its subscriber before each push and ends when the sign-in is gone, even if no socket was closed (unauthorized: a valid sign-in keeps receiving)', async () => {
    const max = await app.signIn('max');
    const mara = await app.signIn('mara');
    const maraFeed = await openFeed(app, mara);
    const { session } = await startSession(app, max);
    await maraFeed.feed.until((value) => value.activeImpersonationSessions.some((s) => s.id === session.id));
    await app.gql('mutation E($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, max);
  });
});

describe('Customer changes', () => {
  it('closes every socket of a customer who is disabled', async () => {
    const max = await app.signIn('max');
    const danId = await customerId(app, max, demo.dan.email);
    const sockets = [await openSocket(app, await app.signIn('dan')), await openSocket(app, await app.signIn('dan'))];
    await app.gql(SET_STATUS, { id: danId, status: 'DISABLED' }, max);
    expect(await Promise.all(sockets.map((socket) => socket.closed))).toEqual([4403, 4403]);
    await app.gql(SET_STATUS, { id: danId, status: 'ACTIVE' }, max);
  });

  it('closes every socket of a customer who is disabled (unauthorized: another customer’s socket stays)', async () => {
    const max = await app.signIn('max');
    const danId = await customerId(app, max, demo.dan.email);
    const dan = await openSocket(app, await app.signIn('dan'));
    const chloe = await openSocket(app, await app.signIn('chloe'));
    await app.gql(SET_STATUS, { id: danId, status: 'DISABLED' }, max);
    expect(await dan.closed).toBe(4403);
    expect(await chloe.viewerKind()).toBe('CUSTOMER');
    expect(chloe.closeCode()).toBeNull();
    await app.gql(SET_STATUS, { id: danId, status: 'ACTIVE' }, max);
  });

  it('closes the sockets of the other sign-ins when the password changes, not the one that changed it', async () => {
    const changing = await app.signIn('chloe');
    const other = await app.signIn('chloe');
    const changingSocket = await openSocket(app, changing);
    const otherSocket = await openSocket(app, other);
    const next = 'a new customer password';
    const changed = await app.gql(CHANGE_PASSWORD, { current: demo.chloe.password, next }, changing);
    expect(changed.data).toEqual({ changePassword: true });
    expect(await otherSocket.closed).toBe(4403);
    expect(await changingSocket.viewerKind()).toBe('CUSTOMER');
    expect(changingSocket.closeCode()).toBeNull();
    await app.gql(CHANGE_PASSWORD, { current: next, next: demo.chloe.password }, changing);
  });
});

describe('auth:revoked messages from Redis', () => {
  const event = { authSessionIds: ['cm0000000000000000000000'], reason: 'Signed out' };

  it('accepts a revocation naming sign-ins and a reason', () => {
    expect(decodePubSubMessage('auth:revoked', JSON.stringify(event))).toEqual({ ok: true, event });
  });

  it('accepts a revocation naming sign-ins and a reason (unauthorized: malformed ones are dropped)', () => {
    for (const malformed of [
      { ...event, authSessionIds: [] },
      { ...event, authSessionIds: [''] },
      { ...event, authSessionIds: 'cm0000000000000000000000' },
      { ...event, reason: 'x'.repeat(121) },
      { authSessionIds: event.authSessionIds },
    ]) {
      expect(decodePubSubMessage('auth:revoked', JSON.stringify(malformed))).toMatchObject({ ok: false });
    }
    expect(decodePubSubMessage('auth:revoked:x', JSON.stringify(event))).toEqual({
      ok: false,
      reason: 'unknown topic',
    });
  });
});

describe.skipIf(!redisUrl)('Two instances sharing Redis', () => {
  let second: TestApp;

  beforeAll(async () => {
    second = await startTestAppBeside(app, { redisChannelPrefix, config: { IMPERSONATION_TICK_MS: 60_000 } });
  });
  afterAll(async () => {
    await second?.close();
  });

  it('closes the socket held by one instance when its sign-in signs out on the other', async () => {
    const leaving = await app.signIn('chloe');
    const socket = await openSocket(second, leaving);
    await app.gql(SIGN_OUT, {}, leaving);
    expect(await socket.closed).toBe(4403);
  });

  it('closes the socket held by one instance when its sign-in signs out on the other (unauthorized)', async () => {
    const leaving = await app.signIn('chloe');
    const staying = await app.signIn('chloe');
    const leavingSocket = await openSocket(second, leaving);
    const stayingSocket = await openSocket(second, staying);
    await app.gql(SIGN_OUT, {}, leaving);
    expect(await leavingSocket.closed).toBe(4403);
    expect(await stayingSocket.viewerKind()).toBe('CUSTOMER');
    expect(stayingSocket.closeCode()).toBeNull();
  });
});
