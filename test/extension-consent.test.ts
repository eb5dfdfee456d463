// An extension is decided like a start (issue 21): a customer who withdrew her grant, or was
// protected meanwhile, is not viewed for longer than the view she allowed. The extension locks her
// row and decides her gate again in its transaction, as the start does (ACCESS_CHANGED).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GRANT, PROTECT, REVOKE, SET_PREFERENCE } from './access-helpers.ts';
import { MINUTE, STEP_UP_AFTER_A_YEAR, expectData } from './factories.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { customerId, startSession } from './impersonation-helpers.ts';

const EXTEND = 'mutation E($id: ID!) { extendImpersonation(sessionId: $id) { extendedAt } }';

let app: TestApp;
let mara: string;
let max: string;

beforeAll(async () => {
  app = await startTestApp({ config: STEP_UP_AFTER_A_YEAR });
});
afterAll(async () => {
  await app?.close();
});
beforeEach(async () => {
  // Every test starts its own view under its own grant: none of an earlier test's is still live.
  await app.services.prisma.accessGrant.updateMany({
    where: { revokedAt: null },
    data: { revokedAt: app.clock.now() },
  });
  await app.services.prisma.impersonationSession.updateMany({
    where: { endedAt: null },
    data: { endedAt: app.clock.now(), endState: 'ENDED', endReason: 'test reset' },
  });
  mara = await app.signIn('mara');
  max = await app.signIn('max');
});

/** A view Mara starts of an ask-first customer under a one-hour grant, and the grant's id. */
async function viewUnderGrant(account: 'chloe' | 'dan') {
  const customer = await app.signIn(account);
  expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, customer));
  const grant = expectData(await app.gql(GRANT, { duration: 'ONE_HOUR' }, customer)).grantStaffAccess;
  const view = await startSession(app, mara, `${account}@example.test`);
  return { customer, grantId: grant.id as string, ...view };
}

describe('Extending a staff view', () => {
  it('extends while her grant still allows it (authorized)', async () => {
    const { token, session } = await viewUnderGrant('chloe');
    app.clock.advance(26 * MINUTE);
    expect(expectData(await app.gql(EXTEND, { id: session.id }, token)).extendImpersonation.extendedAt).toBeTruthy();
  });

  it('is refused once she withdrew the grant the view began under', async () => {
    const { customer, grantId, token, session } = await viewUnderGrant('chloe');
    expectData(await app.gql(REVOKE, { id: grantId }, customer));
    app.clock.advance(26 * MINUTE);
    const refused = await app.gql(EXTEND, { id: session.id }, token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ACCESS_CHANGED' });
    const row = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.extendedAt).toBeNull();
  });

  it('is refused once a manager protected her during the view (four-eyes)', async () => {
    const { token, session } = await viewUnderGrant('dan');
    const danId = await customerId(app, max, 'dan@example.test');
    expectData(await app.gql(PROTECT, { id: danId, protected: true }, max));
    app.clock.advance(26 * MINUTE);
    const refused = await app.gql(EXTEND, { id: session.id }, token);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ACCESS_CHANGED' });
  });
});
