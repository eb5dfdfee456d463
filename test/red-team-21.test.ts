// Red-team pass over issue 21: routes by which the person a control binds could undo it that the
// one-mutation sweep (insider-sweep.test.ts) cannot see, because they take two changes, or two
// transactions racing. Each test describes what must hold.
//
// A direct staff change is refused when it weakens a safeguard (make someone a manager, reactivate
// a manager). That check must be made on the row as the change's own transaction holds it: a
// decision taken on a read before the lock lets a change that commits in between (an approved
// promotion of an inactive groomer, a demotion and reactivation by the same manager) turn an
// allowed change into a weakening one. Holding the staff member's row from a second connection
// stands for that concurrent transaction; only PostgreSQL has a second connection.
import type { PoolClient } from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, expectData } from './factories.ts';
import { startTestApp, type GqlResult, type TestApp } from './harness.ts';
import {
  DISABLE,
  GOVERNANCE_TEST_CONFIG,
  SET_ACTIVE,
  SET_ROLE,
  inactiveManager,
  refusal,
  request,
  reset,
  tryApprove,
} from './governance-helpers.ts';

const onPostgres = Boolean(process.env.DATABASE_URL);

let app: TestApp;
let mara: string;

const staffRow = (email: string) => app.services.prisma.staff.findUniqueOrThrow({ where: { email } });

beforeAll(async () => {
  app = await startTestApp({ config: GOVERNANCE_TEST_CONFIG });
  mara = await app.signIn('mara');
  await inactiveManager(app);
});
afterAll(async () => {
  await app?.close();
});
beforeEach(async () => {
  await reset(app);
});

/**
 * Sends `send` while a second connection holds staff member `staffId`'s row; once the mutation
 * waits for that row, the second connection runs `meanwhile` and commits. Returns the mutation's answer.
 */
async function whileRowHeld(
  staffId: string,
  send: () => Promise<GqlResult>,
  meanwhile: (held: PoolClient) => Promise<unknown>,
): Promise<GqlResult> {
  const held = await app.services.pool.connect();
  try {
    await held.query('BEGIN');
    await held.query('SELECT 1 FROM "Staff" WHERE id = $1 FOR UPDATE', [staffId]);
    const answer = send();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { rows } = await app.services.pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      );
      if ((rows[0] as { n: number }).n > 0) break;
      if (Date.now() > deadline) throw new Error('the mutation never waited for the held row');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await meanwhile(held);
    await held.query('COMMIT');
    return await answer;
  } catch (error) {
    await held.query('ROLLBACK');
    throw error;
  } finally {
    held.release();
  }
}

describe.skipIf(!onPostgres)('A direct staff change decides on the row its transaction holds', () => {
  it('reactivating a groomer who became a manager meanwhile (an approved promotion) is refused', async () => {
    const gus = await app.services.prisma.staff.update({
      where: { email: 'gus@salon.test' },
      data: { active: false },
    });
    const answer = await whileRowHeld(
      gus.id,
      () => app.gql(SET_ACTIVE, { id: gus.id, active: true }, mara),
      (held) => held.query(`UPDATE "Staff" SET role = 'MANAGER' WHERE id = $1`, [gus.id]),
    );
    expect(refusal(answer)).toEqual({ code: 'FORBIDDEN', reason: 'SECOND_MANAGER_REQUIRED' });
    expect(await staffRow('gus@salon.test')).toMatchObject({ role: 'MANAGER', active: false });
  });

  it('"making" an inactive manager a manager while she is demoted and reactivated meanwhile is refused', async () => {
    const nora = await staffRow('nora@salon.test');
    expect(nora).toMatchObject({ role: 'MANAGER', active: false });
    // Mara's own setStaffRole(nora, GROOMER) then setStaffActive(nora, true): each allowed alone.
    const answer = await whileRowHeld(
      nora.id,
      () => app.gql(SET_ROLE, { id: nora.id, role: 'MANAGER' }, mara),
      (held) => held.query(`UPDATE "Staff" SET role = 'GROOMER', active = true WHERE id = $1`, [nora.id]),
    );
    expect(refusal(answer)).toEqual({ code: 'FORBIDDEN', reason: 'SECOND_MANAGER_REQUIRED' });
    expect(await staffRow('nora@salon.test')).toMatchObject({ role: 'GROOMER', active: true });
  });

  it('an allowed change still goes ahead after waiting for the row (authorized)', async () => {
    const gus = await staffRow('gus@salon.test');
    const answer = await whileRowHeld(
      gus.id,
      () => app.gql(SET_ACTIVE, { id: gus.id, active: false }, mara),
      () => Promise.resolve(),
    );
    expect(expectData(answer).setStaffActive).toMatchObject({ active: false });
  });
});

// The lone confirmation after a cooling-off period is for a salon that has one manager, not for
// one a manager has just made so: Mara, bound by the kill switch Max pulled (or by four-eyes),
// deactivates (or demotes) Max, which takes effect at once as a strengthening change, asks for
// staff views back on and, alone, confirms it herself once GOVERNANCE_COOLING_OFF_HOURS pass. Nobody
// but the audit learns of it. What holds: a manager who removed a manager within
// GOVERNANCE_LONE_LOOKBACK_DAYS before the request, or since, cannot confirm it alone.
describe('The kill switch pulled by Max, against Mara', () => {
  it('cannot be undone by Mara alone after she deactivates Max and waits out the cooling-off', async () => {
    const max = await app.signIn('max');
    expectData(await app.gql(DISABLE, { reason: 'Suspected misuse by Mara' }, max));
    const maxId = (await staffRow('max@salon.test')).id;
    expectData(await app.gql(SET_ACTIVE, { id: maxId, active: false }, mara));
    const asked = await request(app, mara, { kind: 'ENABLE_STAFF_VIEWS', reason: 'Incident closed, views on again' });
    app.clock.advance(73 * HOUR);
    const confirmed = await tryApprove(app, mara, asked.id);
    expect(refusal(confirmed)).toEqual({ code: 'FORBIDDEN', reason: 'GOVERNANCE_ALONE_BY_REMOVAL' });
    expect((await app.services.prisma.salonSettings.findFirst())?.staffViewsEnabled).toBe(false);
  });
});

// A request outlives no requester: once Max is deactivated (or demoted), what he asked for is asked
// by nobody, and Mara's approval of it applies nothing.
describe('A request whose requester is no longer a manager', () => {
  it('is refused when approved, and changes nothing', async () => {
    const max = await app.signIn('max');
    expectData(await app.gql(DISABLE, { reason: 'Drill: staff views off for a while' }, max));
    const asked = await request(app, max, { kind: 'ENABLE_STAFF_VIEWS', reason: 'Drill over, views on again' });
    const maxId = (await staffRow('max@salon.test')).id;
    await app.services.prisma.staff.update({ where: { id: maxId }, data: { active: false } });
    expect(refusal(await tryApprove(app, mara, asked.id))).toEqual({
      code: 'CONFLICT',
      reason: 'GOVERNANCE_REQUEST_CLOSED',
    });
    expect((await app.services.prisma.salonSettings.findFirst())?.staffViewsEnabled).toBe(false);
  });
});
