// The in-process cache of staff views' and customers' identities (server/auth/identity-cache.ts)
// and its rule: a sign-in that was ended, expired or revoked is refused on the very next request on
// every instance, even one holding its identity in cache: a staff view's audit append confirms it
// in the same statement, and a customer's page waits for the revocation fence to read every change
// committed before it (server/auth/revocation-fence.ts). Two app instances share one database (with PostgreSQL; the
// embedded database serves one instance, which then plays both parts): instance A caches the
// identity, instance B ends the view, and A's next request must be refused with nothing served.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerId, startSession } from './impersonation-helpers.ts';
import { hashToken } from '../server/auth/tokens.ts';
import { demo, startTestApp, startTestAppBeside, type TestApp } from './harness.ts';

const HOME = 'query Home { me { name invoices { number totalCents } } }';

let a: TestApp;
let b: TestApp;

beforeAll(async () => {
  a = await startTestApp();
  b = process.env.DATABASE_URL ? await startTestAppBeside(a) : a;
});
afterAll(async () => {
  if (b !== a) await b?.close();
  await a?.close();
});

/** The texts of the SQL statements this process sends while `run` runs (every pg connection). */
async function statementsDuring<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const statements: string[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    statements.push(typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? ''));
    return original.apply(this, args);
  };
  try {
    return { result: await run(), statements };
  } finally {
    proto.query = original;
  }
}

const readsSignIn = (statements: string[]) => statements.some((text) => text.includes('"AuthSession"'));
const confirmingAppends = (statements: string[]) =>
  statements.filter((text) => text.includes('append_audit_events(')).length;

/** A query over real HTTP (the status is part of the answer). */
async function home(app: TestApp, token: string) {
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: HOME }),
  });
  return { status: response.status, text: await response.text() };
}

/** A staff view started on B whose identity A now holds in cache (A answered it once). */
async function cachedView(manager: 'mara' | 'max' = 'mara', email = 'chloe@example.test') {
  const staffToken = await b.signIn(manager);
  const { token, session } = await startSession(b, staffToken, email);
  const first = await home(a, token);
  expect(first.status).toBe(200);
  const { result: second, statements } = await statementsDuring(() => home(a, token));
  expect(second.status).toBe(200);
  // Served from the cache: no identity statement, the audit append confirmed the view (a background
  // job's own record may share or follow it in another group-commit statement).
  expect(readsSignIn(statements)).toBe(false);
  expect(confirmingAppends(statements)).toBeGreaterThanOrEqual(1);
  return { staffToken, token, session };
}

/** A's next request after the end: refused, nothing served, and the refusal recorded. */
async function expectRefusedOnA(token: string, sessionId: string) {
  const { result, statements } = await statementsDuring(() => home(a, token));
  expect(result.status).toBe(401);
  const body = JSON.parse(result.text) as { data?: unknown; errors: { extensions: { code: string } }[] };
  expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  expect(body.data ?? null).toBeNull();
  expect(result.text).not.toContain('invoices');
  expect(result.text).not.toContain('Chloe');
  const last = await a.services.prisma.auditEvent.findFirst({
    where: { sessionId, action: 'OPERATION' },
    orderBy: { id: 'desc' },
  });
  expect(last).toMatchObject({ operationName: 'Home', outcome: 'DENIED', errorCode: 'UNAUTHENTICATED' });
  // And the one after it is refused too (the entry was dropped: resolved from the database).
  expect((await home(a, token)).status).toBe(401);
  return statements;
}

describe('A staff view cached on one instance', () => {
  it('is served on a cache hit with its data statement and its confirming audit append, no identity statement', async () => {
    const { token, staffToken, session } = await cachedView();
    const records = () => a.services.prisma.auditEvent.count({ where: { sessionId: session.id, action: 'OPERATION' } });
    try {
      const before = await records();
      const { statements } = await statementsDuring(() => home(a, token));
      // Background jobs (expiry sweeper, alert checks, escalations) may read customers meanwhile, so
      // the page's own data statement is told by its shape: the customer with her invoices joined.
      const pageReads = statements.filter((text) => text.includes('"Customer"') && text.includes('"Invoice"'));
      expect(pageReads).toHaveLength(1);
      // Its own record, written by a group-commit append (a background job's record may take another one).
      expect(confirmingAppends(statements)).toBeGreaterThanOrEqual(1);
      expect(await records()).toBe(before + 1);
      expect(readsSignIn(statements)).toBe(false);
    } finally {
      await b.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, staffToken);
    }
  });

  it('is refused on the next request after the staff member ends it on the other instance', async () => {
    const { token, staffToken, session } = await cachedView();
    await b.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, staffToken);
    const statements = await expectRefusedOnA(token, session.id);
    // The cached identity was used: the refusal came from the append, not from an identity lookup.
    expect(readsSignIn(statements)).toBe(false);
  });

  it('is refused on the next request after another manager terminates it on the other instance', async () => {
    const { token, session } = await cachedView();
    const max = await b.signIn('max');
    await b.gql(
      'mutation T($id: ID!) { terminateImpersonation(sessionId: $id, reason: "Ended from the other instance") { id } }',
      { id: session.id },
      max,
    );
    await expectRefusedOnA(token, session.id);
  });

  it('is refused on the next request after its staff member signs out on the other instance', async () => {
    const { token, staffToken, session } = await cachedView();
    await b.gql('mutation { signOut }', {}, staffToken);
    await expectRefusedOnA(token, session.id);
  });

  it('is refused on the next request once it expired at the database, whatever this instance’s clock says', async () => {
    const { token, session, staffToken } = await cachedView();
    // The database's now() passes the expiry while A's clock (a manual one in tests) stays before it.
    await a.services.pool.query(
      `UPDATE "ImpersonationSession" SET "expiresAt" = (now() AT TIME ZONE 'UTC') - interval '1 second' WHERE id = $1`,
      [session.id],
    );
    expect(new Date(session.expiresAt).getTime()).toBeGreaterThan(a.clock.now().getTime());
    try {
      await expectRefusedOnA(token, session.id);
    } finally {
      // The sweeper runs on the app's clock, which has not reached the expiry: end it by hand.
      await b.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, staffToken);
    }
  });

  it('is refused on the next request after its customer is disabled on the other instance', async () => {
    const { token, session } = await cachedView('mara', 'dan@example.test');
    const max = await b.signIn('max');
    const danId = await customerId(b, max, 'dan@example.test');
    const status =
      'mutation S($id: ID!, $status: CustomerStatus!) { setCustomerStatus(customerId: $id, status: $status) { id } }';
    await b.gql(status, { id: danId, status: 'DISABLED' }, max);
    try {
      await expectRefusedOnA(token, session.id);
    } finally {
      await b.gql(status, { id: danId, status: 'ACTIVE' }, max);
    }
  });

  it('is refused on the next request after its staff member is deactivated on the other instance', async () => {
    const { token, session } = await cachedView('max');
    const mara = await b.signIn('mara');
    const staff = await b.services.prisma.staff.findFirstOrThrow({ where: { email: 'max@salon.test' } });
    const active = 'mutation A($id: ID!, $active: Boolean!) { setStaffActive(staffId: $id, active: $active) { id } }';
    await b.gql(active, { id: staff.id, active: false }, mara);
    try {
      await expectRefusedOnA(token, session.id);
    } finally {
      // Reactivating a manager is a governance change (test/governance.test.ts): put him back directly.
      await b.services.prisma.staff.update({ where: { id: staff.id }, data: { active: true } });
    }
  });
});

describe('A cached staff view that changes', () => {
  it('shows its own extension on the next request (the cached identity is dropped on the change)', async () => {
    const mara = await a.signIn('mara');
    const { token, session } = await startSession(a, mara);
    const CURRENT = 'query Current { currentImpersonation { id expiresAt extendedAt } }';
    const current = async () =>
      (await a.gql<{ currentImpersonation: { expiresAt: string; extendedAt: string | null } }>(CURRENT, {}, token))
        .data!.currentImpersonation;
    const before = await current();
    expect(before.extendedAt).toBeNull();
    // Into the extension window (the last minutes), then extend with the staff view's own token.
    a.clock.advance(new Date(before.expiresAt).getTime() - a.clock.now().getTime() - 60_000);
    expect(await current()).toMatchObject({ extendedAt: null });
    const extended = await a.gql(
      'mutation Extend($id: ID!) { extendImpersonation(sessionId: $id) { expiresAt extendedAt } }',
      { id: session.id },
      token,
    );
    expect(extended.errors).toBeUndefined();
    await expect
      .poll(async () => (await current()).extendedAt, { timeout: 2000 })
      .toBe(extended.data.extendImpersonation.extendedAt);
    expect((await current()).expiresAt).toBe(extended.data.extendImpersonation.expiresAt);
    await a.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, mara);
  });
});

describe("A customer's cached sign-in", () => {
  const readsFence = (statements: string[]) => statements.some((text) => text.includes('"IdentityEpoch"'));

  /** Chloe's sign-in, answered once by A so A holds it; the next page takes it from the cache. */
  async function cachedCustomer(who: 'chloe' | 'dan' = 'chloe') {
    const token = await b.signIn(who);
    expect((await home(a, token)).status).toBe(200);
    // A's fence may still be on its first read, which must end before a sign-in is cached.
    await expect
      .poll(async () => readsSignIn((await statementsDuring(() => home(a, token))).statements), { timeout: 5000 })
      .toBe(false);
    const { result, statements } = await statementsDuring(() => home(a, token));
    expect(result.status).toBe(200);
    // No identity statement: the fence's epoch read stands in for it.
    expect(readsSignIn(statements)).toBe(false);
    expect(readsFence(statements)).toBe(true);
    return token;
  }

  async function expectCustomerRefusedOnA(token: string) {
    const result = await home(a, token);
    expect(result.status).toBe(401);
    const body = JSON.parse(result.text) as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.data ?? null).toBeNull();
    expect(result.text).not.toContain('invoices');
  }

  it('is served from the cache once its fence has read every change', async () => {
    await cachedCustomer();
  });

  it('is refused on the next request after she signs out on the other instance', async () => {
    const token = await cachedCustomer();
    expect((await b.gql('mutation { signOut }', {}, token)).errors).toBeUndefined();
    await expectCustomerRefusedOnA(token);
  });

  it('is refused on the next request after her account is disabled on the other instance', async () => {
    const token = await cachedCustomer('dan');
    const max = await b.signIn('max');
    const danId = await customerId(b, max, 'dan@example.test');
    const status =
      'mutation S($id: ID!, $status: CustomerStatus!) { setCustomerStatus(customerId: $id, status: $status) { id } }';
    expect((await b.gql(status, { id: danId, status: 'DISABLED' }, max)).errors).toBeUndefined();
    try {
      await expectCustomerRefusedOnA(token);
    } finally {
      await b.gql(status, { id: danId, status: 'ACTIVE' }, max);
    }
  });

  it('is refused on the next request after her password is changed with another sign-in', async () => {
    const token = await cachedCustomer();
    const other = await b.signIn('chloe');
    const change = (current: string, next: string) =>
      b.gql(
        'mutation P($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }',
        { current, next },
        other,
      );
    expect((await change(demo.chloe.password, 'a-new-password-for-now')).errors).toBeUndefined();
    try {
      await expectCustomerRefusedOnA(token);
    } finally {
      expect((await change('a-new-password-for-now', demo.chloe.password)).errors).toBeUndefined();
    }
  });

  it('is refused on the next request after a revocation written straight into the database', async () => {
    // No route around the fence: the database's trigger counts the change, not the app.
    const token = await cachedCustomer();
    await b.services.pool.query('UPDATE "AuthSession" SET "revokedAt" = now() WHERE "tokenHash" = $1', [
      hashToken(token),
    ]);
    await expectCustomerRefusedOnA(token);
  });

  it('shows her own change of profile on the next page of the other instance', async () => {
    const token = await cachedCustomer();
    const chloe = await b.services.prisma.customer.findFirstOrThrow({ where: { email: 'chloe@example.test' } });
    await b.services.pool.query('UPDATE "Customer" SET "timeZone" = $2 WHERE "id" = $1', [chloe.id, 'Asia/Tokyo']);
    try {
      const { statements } = await statementsDuring(() => home(a, token));
      // Her entry was dropped: the sign-in is read again, with the new row.
      expect(readsSignIn(statements)).toBe(true);
    } finally {
      await b.services.pool.query('UPDATE "Customer" SET "timeZone" = $2 WHERE "id" = $1', [chloe.id, chloe.timeZone]);
    }
  });
});

describe('Sign-ins that are never cached', () => {
  it("resolves a staff member's sign-in from the database on every request", async () => {
    const mara = await a.signIn('mara');
    const staff = async () =>
      fetch(a.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${mara}` },
        body: JSON.stringify({ query: '{ staffMembers { id } }' }),
      }).then((response) => response.text());
    await staff();
    const { statements } = await statementsDuring(staff);
    expect(readsSignIn(statements)).toBe(true);
  });
});
