// The customer's word is final (SPEC 9, issue 21): her Stop ends the view, withdraws her grants
// (unless she keeps her permission) and blocks that manager for STAFF_VIEW_BLOCK_HOURS; her "no" to
// a request blocks the requester the same way. Every start route refuses a blocked manager
// (STAFF_VIEW_BLOCKED, with her words and the end), over HTTP and over graphql-ws (on a second
// instance with PostgreSQL); the block ends at its time or when she allows the manager again.
// Another manager is not blocked by her Stop of one: the block binds the manager she stopped.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  APPROVE_AS_CUSTOMER,
  APPROVE_AS_MANAGER,
  DECLINE_AS_CUSTOMER,
  GRANT,
  PROTECT,
  SET_PREFERENCE,
  auditOf,
  refusal,
  start,
  startRequested,
  tryStart,
} from './access-helpers.ts';
import { DAY, STEP_UP_AFTER_A_YEAR, expectData, expectError } from './factories.ts';
import { demo, startTestApp, startTestAppBeside, type GqlResult, type TestApp } from './harness.ts';
import { customerId } from './impersonation-helpers.ts';

let app: TestApp;
let second: TestApp;
let mara: string;
let max: string;
let chloe: string;
let chloeId: string;
let maraId: string;

const STOP = `mutation Stop($id: ID!, $message: String, $keep: Boolean) {
  stopStaffView(sessionId: $id, message: $message, keepPermission: $keep) { staffName stoppedAt grantWithdrawn blockedUntil }
}`;
const BLOCKS = '{ me { staffViewBlocks { id staffName cause until active } } }';
const LIFT = 'mutation Lift($id: ID!) { liftStaffViewBlock(blockId: $id) { id active liftedAt } }';
const CHLOE = demo.chloe.email;

beforeAll(async () => {
  const config = { IMPERSONATION_STARTS_PER_WINDOW: 1000, ...STEP_UP_AFTER_A_YEAR, AUTH_SESSION_HOURS: 24 * 30 };
  app = await startTestApp({ config });
  // A second instance on the same PostgreSQL database; the embedded one serves one instance.
  second = process.env.DATABASE_URL ? await startTestAppBeside(app, { config }) : app;
  [mara, max, chloe] = [await app.signIn('mara'), await app.signIn('max'), await app.signIn('chloe')];
  chloeId = await customerId(app, mara, CHLOE);
  maraId = (await app.services.prisma.staff.findFirstOrThrow({ where: { email: demo.mara.email } })).id;
});
afterAll(async () => {
  if (second !== app) await second?.close();
  await app?.close();
});

// Each test starts from: no session, no block, no grant, no open request; Chloe viewed freely, unprotected.
beforeEach(async () => {
  const now = app.clock.now();
  second.clock.set(now);
  const { prisma } = app.services;
  await prisma.impersonationSession.updateMany({
    where: { endedAt: null },
    data: { endedAt: now, endState: 'ENDED', endReason: 'test reset' },
  });
  await prisma.staffViewBlock.updateMany({ where: { liftedAt: null }, data: { liftedAt: now } });
  await prisma.accessGrant.updateMany({ where: { revokedAt: null }, data: { revokedAt: now } });
  await prisma.accessRequest.updateMany({ where: { declinedAt: null, sessionId: null }, data: { declinedAt: now } });
  await prisma.customer.update({ where: { id: chloeId }, data: { staffAccess: 'FREELY', protected: false } });
});

/** Mara views Chloe (FREELY), Chloe stops it; returns her confirmation. */
async function stoppedByChloe(variables: { message?: string; keep?: boolean } = {}) {
  const started = await start(app, mara, CHLOE);
  expect(started.status).toBe('STARTED');
  const stopped = await app.gql(STOP, { id: started.session!.id, ...variables }, chloe);
  return expectData(stopped).stopStaffView;
}

/** An operation over graphql-ws on the second instance (PostgreSQL), or on the one (embedded). */
function overSocket(token: string, query: string, variables: Record<string, unknown>): Promise<GqlResult> {
  const client = second.wsClient(token);
  return new Promise((resolve) => {
    let received: GqlResult = {};
    client.subscribe(
      { query, variables },
      {
        next: (value) => (received = value as GqlResult),
        error: (errors) => resolve({ errors: errors as GqlResult['errors'] }),
        complete: () => resolve(received),
      },
    );
  });
}

const START = `mutation Start($customerId: ID!, $reason: String!) { startImpersonation(customerId: $customerId, reason: $reason, scope: { sections: [WHOLE_PORTAL], need: "Tests read every section of the portal" }) { status } }`;

describe('Stop', () => {
  it('confirms to her what it did, and refuses the same manager’s restart with her words and the end, over HTTP and graphql-ws', async () => {
    const now = app.clock.now();
    const confirmation = await stoppedByChloe({ message: 'Please call me first' });
    const until = new Date(now.getTime() + DAY).toISOString();
    expect(confirmation).toEqual({
      staffName: 'Mara Quinn',
      stoppedAt: now.toISOString(),
      grantWithdrawn: false,
      blockedUntil: until,
    });
    const variables = { customerId: chloeId, reason: 'Trying again after customer stopped the view' };
    for (const result of [await app.gql(START, variables, mara), await overSocket(mara, START, variables)]) {
      expect(result.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'STAFF_VIEW_BLOCKED',
        cause: 'STOPPED',
        blockedAt: now.toISOString(),
        until,
        customerWords: 'Please call me first',
      });
    }
    expect(await app.services.prisma.impersonationSession.count({ where: { endedAt: null } })).toBe(0);
    const [blocked] = await auditOf(app, 'STAFF_VIEW_BLOCKED', chloeId);
    expect(blocked).toMatchObject({ staffId: maraId, outcome: 'ALLOWED' });
  });

  it('withdraws her grant (ask first): after the block, a start needs a new yes', async () => {
    expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, chloe));
    const grant = expectData(await app.gql(GRANT, { duration: 'ONE_HOUR' }, chloe)).grantStaffAccess;
    const confirmation = await stoppedByChloe();
    expect(confirmation).toMatchObject({ grantWithdrawn: true, blockedUntil: expect.any(String) });
    const row = await app.services.prisma.accessGrant.findUniqueOrThrow({ where: { id: grant.id } });
    expect(row.revokedAt).toEqual(app.clock.now());
    expect(await auditOf(app, 'ACCESS_GRANT_REVOKED', chloeId)).toContainEqual(
      expect.objectContaining({ reason: 'Withdrawn: the customer stopped a staff view' }),
    );
    expect(refusal(await tryStart(app, mara, CHLOE)).reason).toBe('STAFF_VIEW_BLOCKED');
    // Max is not blocked, but her grant is gone: he must ask.
    expect((await start(app, max, CHLOE)).status).toBe('REQUESTED');
    app.clock.advance(DAY);
    expect((await start(app, mara, CHLOE)).status).toBe('REQUESTED');
  });

  it('with "keep my permission": the grant stays, nobody is blocked, and the manager may start again', async () => {
    expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, chloe));
    expectData(await app.gql(GRANT, { duration: 'ONE_HOUR' }, chloe));
    const confirmation = await stoppedByChloe({ keep: true });
    expect(confirmation).toMatchObject({ grantWithdrawn: false, blockedUntil: null });
    expect(expectData(await app.gql(BLOCKS, {}, chloe)).me.staffViewBlocks).toEqual([]);
    expect((await start(app, mara, CHLOE)).status).toBe('STARTED');
  });

  it('does not block another manager (freely): the block binds the manager she stopped', async () => {
    await stoppedByChloe();
    expect((await start(app, max, CHLOE)).status).toBe('STARTED');
  });

  it('closes the stopped manager’s open requests for her', async () => {
    expectData(await app.gql(PROTECT, { id: chloeId, protected: true }, max));
    const waiting = await startRequested(app, mara, CHLOE, 'Checking the booking Chloe asked about');
    await app.services.prisma.customer.update({ where: { id: chloeId }, data: { protected: false } });
    await stoppedByChloe();
    const row = await app.services.prisma.accessRequest.findUniqueOrThrow({ where: { id: waiting.id } });
    expect(row.declinedAt).toEqual(app.clock.now());
  });
});

describe('Decline', () => {
  it('blocks the requester from asking again at once; another manager may still ask', async () => {
    expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, chloe));
    const request = await startRequested(app, mara, CHLOE);
    expectData(await app.gql(DECLINE_AS_CUSTOMER, { id: request.id }, chloe));
    const again = await tryStart(app, mara, CHLOE);
    expect(again.errors?.[0]?.extensions).toMatchObject({
      reason: 'STAFF_VIEW_BLOCKED',
      cause: 'DECLINED',
      customerWords: null,
    });
    expect(await app.services.prisma.accessRequest.count({ where: { customerId: chloeId, declinedAt: null } })).toBe(0);
    expect((await start(app, max, CHLOE)).status).toBe('REQUESTED');
    const [block] = expectData(await app.gql(BLOCKS, {}, chloe)).me.staffViewBlocks;
    expect(block).toMatchObject({ staffName: 'Mara Quinn', cause: 'DECLINED', active: true });
  });
});

describe('The block ends', () => {
  it('at its time (database clock)', async () => {
    await stoppedByChloe();
    app.clock.advance(DAY - 1000);
    expect(refusal(await tryStart(app, mara, CHLOE)).reason).toBe('STAFF_VIEW_BLOCKED');
    app.clock.advance(1000);
    expect((await start(app, mara, CHLOE)).status).toBe('STARTED');
  });

  it('when she allows the manager again, recorded; she sees it in her settings until then', async () => {
    await stoppedByChloe();
    const [block] = expectData(await app.gql(BLOCKS, {}, chloe)).me.staffViewBlocks;
    expect(block).toMatchObject({ staffName: 'Mara Quinn', cause: 'STOPPED', active: true });
    const lifted = expectData(await app.gql(LIFT, { id: block.id }, chloe)).liftStaffViewBlock;
    expect(lifted).toMatchObject({ id: block.id, active: false, liftedAt: app.clock.now().toISOString() });
    expect(await auditOf(app, 'STAFF_VIEW_BLOCK_LIFTED', chloeId)).toHaveLength(1);
    expect(expectData(await app.gql(BLOCKS, {}, chloe)).me.staffViewBlocks).toEqual([]);
    expect((await start(app, mara, CHLOE)).status).toBe('STARTED');
  });

  it('when she allows the manager again (unauthorized: another customer, a staff view of her, a manager)', async () => {
    await stoppedByChloe();
    const [block] = expectData(await app.gql(BLOCKS, {}, chloe)).me.staffViewBlocks;
    const maxView = await start(app, max, CHLOE);
    expectError(await app.gql(LIFT, { id: block.id }, await app.signIn('dan')), 'NOT_FOUND');
    expectError(await app.gql(LIFT, { id: block.id }, maxView.token!), 'FORBIDDEN', 'IMPERSONATION_READ_ONLY');
    expectError(await overSocket(maxView.token!, LIFT, { id: block.id }), 'FORBIDDEN', 'IMPERSONATION_READ_ONLY');
    expectError(await app.gql(LIFT, { id: block.id }, max), 'FORBIDDEN');
    expect(refusal(await tryStart(app, mara, CHLOE)).reason).toBe('STAFF_VIEW_BLOCKED');
  });
});

/** Blocks Mara for Chloe as her Stop would, after the route's setup. */
async function blockMara() {
  const now = app.clock.now();
  await app.services.prisma.staffViewBlock.create({
    data: {
      customerId: chloeId,
      staffId: maraId,
      cause: 'STOPPED',
      createdAt: now,
      until: new Date(now.getTime() + DAY),
    },
  });
}

async function protectedRequestOfMara() {
  expectData(await app.gql(PROTECT, { id: chloeId, protected: true }, max));
  return startRequested(app, mara, CHLOE);
}

const askFirst = async () => expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, chloe));

/** Each route: its setup (before Mara is blocked), then the attempt the block must refuse. */
const ROUTES: {
  route: string;
  setup: () => Promise<string | null>;
  attempt: (requestId: string | null) => Promise<GqlResult>;
}[] = [
  { route: 'a direct start (freely)', setup: async () => null, attempt: () => tryStart(app, mara, CHLOE) },
  {
    route: 'a start with a request a second manager and the customer approved',
    setup: async () => {
      await askFirst();
      const request = await protectedRequestOfMara();
      expectData(await app.gql(APPROVE_AS_MANAGER, { id: request.id }, max));
      expectData(await app.gql(APPROVE_AS_CUSTOMER, { id: request.id, duration: 'ONE_HOUR' }, chloe));
      return request.id;
    },
    attempt: () => tryStart(app, mara, CHLOE),
  },
  {
    route: 'a new request (ask first)',
    setup: async () => (await askFirst(), null),
    attempt: () => tryStart(app, mara, CHLOE),
  },
  {
    route: 'a new request (four-eyes)',
    setup: async () => (expectData(await app.gql(PROTECT, { id: chloeId, protected: true }, max)), null),
    attempt: () => tryStart(app, mara, CHLOE),
  },
  {
    route: 'a second manager’s approval of her request',
    setup: async () => (await protectedRequestOfMara()).id,
    attempt: (requestId) => app.gql(APPROVE_AS_MANAGER, { id: requestId }, max),
  },
];

/** What a refused attempt must leave as it was: the requests (and their answers), the sessions. */
const requestsAndSessions = async () => ({
  requests: await app.services.prisma.accessRequest.findMany({ orderBy: { id: 'asc' } }),
  liveSessions: await app.services.prisma.impersonationSession.count({ where: { endedAt: null } }),
});

describe('Every start route refuses a blocked manager', () => {
  it.each(ROUTES)('$route', async ({ setup, attempt }) => {
    const requestId = await setup();
    await blockMara();
    const before = await requestsAndSessions();
    expect(refusal(await attempt(requestId))).toEqual({ code: 'FORBIDDEN', reason: 'STAFF_VIEW_BLOCKED' });
    expect(await requestsAndSessions()).toEqual({ ...before, liveSessions: 0 });
  });
});
