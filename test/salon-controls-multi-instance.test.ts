// The salon's controls across two server instances sharing one database and one Redis: the kill
// switch pulled on one instance ends the sessions watched on the other (banner told why, socket
// closed) and both refuse starts; the customer's "Stop this view" on one instance ends the staff
// view watched on the other. Needs REDIS_URL (CI sets it); single-instance behaviour, embedded
// database included, is in salon-controls.test.ts.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectData, expectError, MINUTE } from './factories.ts';
import { demo, startTestApp, startTestAppBeside, type TestApp } from './harness.ts';
import { collect, customerId, START, startSession } from './impersonation-helpers.ts';
import { turnStaffViewsBackOn } from './governance-helpers.ts';

const redisUrl = process.env.REDIS_URL;

interface Banner {
  impersonationSession: { state: string; endReason: string | null };
}
const BANNER = 'subscription Banner { impersonationSession { state endReason } }';

/** A banner on `app` for `token`, and the close code of its socket. */
function watch(app: TestApp, token: string) {
  let onClose!: (code: number) => void;
  const closed = new Promise<number>((resolve) => (onClose = resolve));
  return { banner: collect<Banner>(app.wsClient(token, onClose), BANNER), closed };
}

describe.skipIf(!redisUrl)('Salon controls on two instances sharing PostgreSQL and Redis', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    const redisChannelPrefix = `controls-${randomBytes(6).toString('hex')}`;
    // The tick is a minute: anything that reaches the other instance sooner came through Redis.
    first = await startTestApp({ redisChannelPrefix, config: { IMPERSONATION_TICK_MS: MINUTE } });
    second = await startTestAppBeside(first, { redisChannelPrefix, config: { IMPERSONATION_TICK_MS: MINUTE } });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('ends on the first instance every session when a manager turns staff views off on the second', async () => {
    const mara = await first.signIn('mara');
    const max = await second.signIn('max');
    const controls = collect<{ staffViewControls: { enabled: boolean } }>(
      first.wsClient(mara),
      'subscription C { staffViewControls { enabled } }',
    );
    await controls.until((value) => value.staffViewControls.enabled);
    const { token } = await startSession(first, mara);
    const { banner, closed } = watch(first, token);
    await banner.until((value) => value.impersonationSession.state === 'ACTIVE');

    expectData(
      await second.gql(
        'mutation Off($r: String!) { disableStaffViews(reason: $r) { enabled } }',
        { r: 'Breach drill' },
        max,
      ),
    );
    const end = await banner.until((value) => value.impersonationSession.state !== 'ACTIVE', 5_000);
    expect(end.impersonationSession).toEqual({
      state: 'STAFF_VIEWS_DISABLED',
      endReason: 'Staff views were turned off salon-wide: Breach drill',
    });
    expect(await closed).toBe(4403);
    await controls.until((value) => !value.staffViewControls.enabled, 5_000);

    const chloeId = await customerId(first, mara, demo.chloe.email);
    for (const [app, token] of [
      [first, mara],
      [second, max],
    ] as const) {
      expectError(
        await app.gql(START, { customerId: chloeId, reason: 'Customer called about a bill' }, token),
        'IMPERSONATION_DISABLED',
      );
    }
    const pushedBefore = controls.values.length;
    await turnStaffViewsBackOn(first, mara, max, 'Incident closed, views allowed again', second);
    await controls.until(
      () => controls.values.length > pushedBefore && controls.values.at(-1)!.staffViewControls.enabled,
    );
    await startSession(second, max);
  });

  it('ends the staff view watched on the first instance when the customer stops it on the second', async () => {
    const mara = await first.signIn('mara');
    const chloe = await second.signIn('chloe');
    const presence = collect<{ staffPresence: { id: string }[] }>(
      second.wsClient(chloe),
      'subscription P { staffPresence { id } }',
    );
    await presence.until(() => true);
    const { token, session } = await startSession(first, mara);
    await presence.until((value) => value.staffPresence.some((s) => s.id === session.id), 5_000);
    const { banner, closed } = watch(first, token);
    await banner.until((value) => value.impersonationSession.state === 'ACTIVE');

    expectData(
      await second.gql(
        'mutation S($id: ID!) { stopStaffView(sessionId: $id, message: "Please ask first") { staffName } }',
        { id: session.id },
        chloe,
      ),
    );
    const end = await banner.until((value) => value.impersonationSession.state !== 'ACTIVE', 5_000);
    expect(end.impersonationSession).toEqual({ state: 'STOPPED_BY_CUSTOMER', endReason: 'Please ask first' });
    expect(await closed).toBe(4403);
    await presence.until((value) => !value.staffPresence.some((s) => s.id === session.id), 5_000);
  });
});
