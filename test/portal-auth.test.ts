// Signing in and out, bearer tokens, who `viewer` says is asking, and the staff-only directory
// queries, each with its refusal for customers and for anonymous requests.
import { createHash, scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { resolveIdentity } from '../server/auth/identity.ts';
import { HOUR, expectData, expectError } from './factories.ts';
import { demo, startTestApp, type TestApp } from './harness.ts';

const SIGN_IN =
  'mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { token kind expiresAt } }';
const VIEWER = '{ viewer { kind customer { email } staff { email } } }';
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  length: number,
  options: object,
) => Promise<Buffer>;

let app: TestApp;
let startedAt: Date;
let sessionMs: number;

beforeAll(async () => {
  app = await startTestApp();
  startedAt = app.clock.now();
  sessionMs = app.services.config.AUTH_SESSION_HOURS * HOUR;
});

afterAll(async () => {
  await app?.close();
});

afterEach(() => {
  app.clock.set(startedAt);
});

/** Sends the operation over real HTTP with an `Authorization: Bearer` header. */
async function overHttp(query: string, token: string) {
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return response.json() as Promise<{ data?: any; errors?: any[] }>;
}

const viewerKind = async (token?: string) =>
  (await app.gql<{ viewer: { kind: string } }>(VIEWER, {}, token)).data?.viewer.kind;

describe('signIn', () => {
  test('a customer signs in and the token is accepted as an Authorization: Bearer header over HTTP', async () => {
    const signedIn = expectData(await app.gql(SIGN_IN, demo.chloe)).signIn;
    expect(signedIn.kind).toBe('CUSTOMER');

    const result = await overHttp(VIEWER, signedIn.token);
    expect(result.errors).toBeUndefined();
    expect(result.data.viewer).toEqual({ kind: 'CUSTOMER', customer: { email: demo.chloe.email }, staff: null });
  });

  test('a staff member signs in and the token is accepted as an Authorization: Bearer header over HTTP', async () => {
    const signedIn = expectData(await app.gql(SIGN_IN, demo.rita)).signIn;
    expect(signedIn.kind).toBe('STAFF');

    const result = await overHttp(VIEWER, signedIn.token);
    expect(result.errors).toBeUndefined();
    expect(result.data.viewer).toEqual({ kind: 'STAFF', customer: null, staff: { email: demo.rita.email } });
  });

  test('a sign-in lasts AUTH_SESSION_HOURS from the moment it is made', async () => {
    const signedIn = expectData(await app.gql(SIGN_IN, demo.chloe)).signIn;
    expect(new Date(signedIn.expiresAt).getTime()).toBe(startedAt.getTime() + sessionMs);
  });

  test('the email is matched whatever its case and surrounding spaces', async () => {
    const result = await app.gql(SIGN_IN, { email: '  Chloe@Example.TEST ', password: demo.chloe.password });
    expect(expectData(result).signIn.kind).toBe('CUSTOMER');
  });

  test('a wrong password is refused with UNAUTHENTICATED and reason INVALID_CREDENTIALS, and no session is created', async () => {
    const sessionsBefore = await app.services.prisma.authSession.count();

    const result = await app.gql(SIGN_IN, { email: demo.chloe.email, password: 'not-her-password' });

    expectError(result, 'UNAUTHENTICATED', 'INVALID_CREDENTIALS');
    expect(result.data?.signIn ?? null).toBeNull();
    expect(await app.services.prisma.authSession.count()).toBe(sessionsBefore);
  });

  test('an unknown email gets exactly the same error as a wrong password', async () => {
    const unknown = await app.gql(SIGN_IN, { email: 'nobody@example.test', password: demo.chloe.password });
    const wrongPassword = await app.gql(SIGN_IN, { email: demo.chloe.email, password: 'not-her-password' });

    expectError(unknown, 'UNAUTHENTICATED', 'INVALID_CREDENTIALS');
    expect(unknown.errors).toEqual(wrongPassword.errors);
  });

  test('a disabled customer with the right password is refused with FORBIDDEN and reason ACCOUNT_DISABLED', async () => {
    const result = await app.gql(SIGN_IN, demo.dora);
    expectError(result, 'FORBIDDEN', 'ACCOUNT_DISABLED');
  });

  test('a disabled customer with a wrong password learns nothing about the account', async () => {
    const result = await app.gql(SIGN_IN, { email: demo.dora.email, password: 'not-her-password' });
    expectError(result, 'UNAUTHENTICATED', 'INVALID_CREDENTIALS');
  });
});

describe('sessions', () => {
  test('signOut revokes the token: the next request with it is UNAUTHENTICATED', async () => {
    const token = await app.signIn('chloe');
    expect(expectData(await app.gql('mutation { signOut }', {}, token)).signOut).toBe(true);

    const after = await app.gql('{ me { id } }', {}, token);
    expectError(after, 'UNAUTHENTICATED');
    const stored = await app.services.prisma.authSession.findUniqueOrThrow({ where: { tokenHash: sha256(token) } });
    expect(stored.revokedAt).not.toBeNull();
  });

  test('signOut revokes only the token it is sent with, not the customer’s other sign-ins', async () => {
    const leaving = await app.signIn('chloe');
    const staying = await app.signIn('chloe');

    expectData(await app.gql('mutation { signOut }', {}, leaving));

    expect(await viewerKind(staying)).toBe('CUSTOMER');
  });

  test('signOut without a token is refused with UNAUTHENTICATED', async () => {
    expectError(await app.gql('mutation { signOut }'), 'UNAUTHENTICATED');
  });

  test('a forged token is refused with UNAUTHENTICATED instead of being served as anonymous', async () => {
    const forged = Buffer.alloc(32, 7).toString('base64url');
    const result = await app.gql('{ viewer { kind } }', {}, forged);
    expectError(result, 'UNAUTHENTICATED');
    expect(result.data?.viewer).toBeUndefined();
  });

  test('a session is served until just before AUTH_SESSION_HOURS and refused with UNAUTHENTICATED from then on', async () => {
    const token = await app.signIn('chloe');

    app.clock.advance(sessionMs - 1000);
    expect(await viewerKind(token)).toBe('CUSTOMER');

    app.clock.advance(1000);
    expectError(await app.gql('{ viewer { kind } }', {}, token), 'UNAUTHENTICATED');
  });

  test('the token is stored only as its SHA-256 hash, never as itself', async () => {
    const token = await app.signIn('chloe');

    const sessions = await app.services.prisma.authSession.findMany();
    expect(sessions.filter((s) => s.tokenHash === sha256(token))).toHaveLength(1);
    expect(JSON.stringify(sessions)).not.toContain(token);
  });

  test('passwords are stored as salted scrypt hashes of the password', async () => {
    const customer = await app.services.prisma.customer.findUniqueOrThrow({ where: { email: demo.chloe.email } });
    const [scheme, N, r, p, salt, key] = customer.passwordHash.split('$');

    expect(scheme).toBe('scrypt');
    expect(Number(N)).toBeGreaterThanOrEqual(2 ** 14);
    expect(Buffer.from(salt!, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(customer.passwordHash).not.toContain(demo.chloe.password);
    const options = { N: Number(N), r: Number(r), p: Number(p), maxmem: 256 * Number(N) * Number(r) };
    const derived = await scryptAsync(
      demo.chloe.password,
      Buffer.from(salt!, 'base64url'),
      Buffer.from(key!, 'base64url').length,
      options,
    );
    expect(derived.toString('base64url')).toBe(key);
  });
});

describe('viewer', () => {
  test('an anonymous request is ANONYMOUS', async () => {
    expect(await viewerKind()).toBe('ANONYMOUS');
  });

  test('a customer token is CUSTOMER', async () => {
    expect(await viewerKind(await app.signIn('dan'))).toBe('CUSTOMER');
  });

  test('a staff token is STAFF', async () => {
    expect(await viewerKind(await app.signIn('gus'))).toBe('STAFF');
  });

  test('an impersonation token is IMPERSONATION, serving the customer with the staff member as actor', async () => {
    const manager = await app.signIn('mara');
    const chloeId = (await app.services.prisma.customer.findUniqueOrThrow({ where: { email: demo.chloe.email } })).id;
    const started = await app.gql<{ startImpersonation: { token: string } }>(
      'mutation Start($customerId: ID!, $reason: String!) { startImpersonation(customerId: $customerId, reason: $reason, scope: { sections: [WHOLE_PORTAL], need: "Tests read every section of the portal" }) { token } }',
      { customerId: chloeId, reason: 'Checking a billing question from the phone' },
      manager,
    );
    const token = expectData(started).startImpersonation.token;

    // Under impersonation staff fields are what the customer may see: the name, not the email.
    const viewer = expectData(await app.gql('{ viewer { kind customer { email } staff { name } } }', {}, token)).viewer;
    expect(viewer).toEqual({
      kind: 'IMPERSONATION',
      customer: { email: demo.chloe.email },
      staff: { name: 'Mara Quinn' },
    });

    // What every request's context, socket and the identity cache hold: no password hash.
    const identity = await resolveIdentity(app.services.prisma, token, app.clock.now());
    expect(identity.customer?.email).toBe(demo.chloe.email);
    expect(identity.actor?.name).toBe('Mara Quinn');
    expect(identity.customer).not.toHaveProperty('passwordHash');
    expect(identity.actor).not.toHaveProperty('passwordHash');
    for (const account of ['dan', 'gus'] as const) {
      const own = await resolveIdentity(app.services.prisma, await app.signIn(account), app.clock.now());
      expect(own.customer ?? own.actor).toBeTruthy();
      expect(own.customer ?? own.actor).not.toHaveProperty('passwordHash');
    }
  });
});

describe('me', () => {
  test('me is the signed-in customer’s own account', async () => {
    const result = await app.gql('{ me { email name } }', {}, await app.signIn('chloe'));
    expect(expectData(result).me).toEqual({ email: demo.chloe.email, name: 'Chloe Martin' });
  });

  test('me is the signed-in customer’s own account (unauthorized)', async () => {
    expectError(await app.gql('{ me { id } }', {}, await app.signIn('rita')), 'FORBIDDEN');
  });

  test('me is the signed-in customer’s own account (unauthenticated)', async () => {
    expectError(await app.gql('{ me { id } }'), 'UNAUTHENTICATED');
  });
});

describe('staff directory', () => {
  const CUSTOMERS = 'query Customers($search: String) { customers(search: $search) { name email status } }';
  const STAFF_MEMBERS = '{ staffMembers { name email role active } }';

  test('staff list every customer by name, disabled ones included', async () => {
    const result = await app.gql(CUSTOMERS, {}, await app.signIn('rita'));
    expect(expectData(result).customers.map((c: { name: string }) => c.name)).toEqual([
      'Chloe Martin',
      'Dan Whitaker',
      'Dora Fenwick',
    ]);
  });

  test('staff search customers by part of the name, in any case', async () => {
    const result = await app.gql(CUSTOMERS, { search: 'WHIT' }, await app.signIn('rita'));
    expect(expectData(result).customers).toEqual([{ name: 'Dan Whitaker', email: demo.dan.email, status: 'ACTIVE' }]);
  });

  test('staff search customers by email and by phone', async () => {
    const staff = await app.signIn('rita');
    const byEmail = expectData(await app.gql(CUSTOMERS, { search: 'dora@' }, staff)).customers;
    const byPhone = expectData(await app.gql(CUSTOMERS, { search: '0142' }, staff)).customers;
    expect(byEmail.map((c: { name: string }) => c.name)).toEqual(['Dora Fenwick']);
    expect(byPhone.map((c: { name: string }) => c.name)).toEqual(['Chloe Martin']);
  });

  test('a search that matches nobody returns an empty list', async () => {
    const result = await app.gql(CUSTOMERS, { search: 'zebra' }, await app.signIn('rita'));
    expect(expectData(result).customers).toEqual([]);
  });

  test.each(['%', '_'])('a search for "%s" matches that character literally, not every customer', async (search) => {
    const result = await app.gql(CUSTOMERS, { search }, await app.signIn('rita'));
    expect(expectData(result).customers).toEqual([]);
  });

  test('staff list every customer by name, disabled ones included (unauthorized)', async () => {
    expectError(await app.gql(CUSTOMERS, { search: 'dan' }, await app.signIn('chloe')), 'FORBIDDEN');
  });

  test('staff list every customer by name, disabled ones included (unauthenticated)', async () => {
    expectError(await app.gql(CUSTOMERS, { search: 'dan' }), 'UNAUTHENTICATED');
  });

  test('staff list every staff member with email and role', async () => {
    const result = await app.gql(STAFF_MEMBERS, {}, await app.signIn('gus'));
    const members = expectData(result).staffMembers as { name: string; email: string; role: string; active: boolean }[];
    expect(members.map((m) => m.name)).toEqual([
      'Gus Lindqvist',
      'Gwen Park',
      'Mara Quinn',
      'Max Okafor',
      'Rita Alvarez',
    ]);
    expect(members.find((m) => m.name === 'Mara Quinn')).toEqual({
      name: 'Mara Quinn',
      email: demo.mara.email,
      role: 'MANAGER',
      active: true,
    });
  });

  test('staff list every staff member with email and role (unauthorized)', async () => {
    expectError(await app.gql(STAFF_MEMBERS, {}, await app.signIn('chloe')), 'FORBIDDEN');
  });

  test('staff list every staff member with email and role (unauthenticated)', async () => {
    expectError(await app.gql(STAFF_MEMBERS), 'UNAUTHENTICATED');
  });

  test('a customer sees the groomers’ names', async () => {
    const names = await app.gql('{ groomers { name } }', {}, await app.signIn('chloe'));
    expect(expectData(names).groomers).toEqual([{ name: 'Gus Lindqvist' }, { name: 'Gwen Park' }]);
  });

  test('staff see the groomers’ emails', async () => {
    const result = await app.gql('{ groomers { name email } }', {}, await app.signIn('rita'));
    expect(expectData(result).groomers).toEqual([
      { name: 'Gus Lindqvist', email: 'gus@salon.test' },
      { name: 'Gwen Park', email: 'gwen@salon.test' },
    ]);
  });

  test('staff see the groomers’ emails (unauthorized)', async () => {
    expectError(await app.gql('{ groomers { name email } }', {}, await app.signIn('chloe')), 'FORBIDDEN');
  });
});

function sha256(token: string) {
  return createHash('sha256').update(token).digest('hex');
}

describe('who is asked before what is asked', () => {
  const SEND = 'mutation Send($body: String!) { sendMessage(body: $body) { id } }';

  test('an invalid argument is reported only to a caller who may send the mutation', async () => {
    expectError(await app.gql(SEND, { body: '' }, await app.signIn('chloe')), 'BAD_USER_INPUT');
  });

  test('an invalid argument is reported only to a caller who may send the mutation (unauthorized)', async () => {
    expectError(await app.gql(SEND, { body: '' }, await app.signIn('mara')), 'FORBIDDEN');
  });

  test('an invalid argument is reported only to a caller who may send the mutation (unauthenticated)', async () => {
    expectError(await app.gql(SEND, { body: '' }), 'UNAUTHENTICATED');
  });
});
