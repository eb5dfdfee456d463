// Two server instances on one database and one Redis: a session watched on one instance is
// terminated through the other, and the watcher's banner and socket end at once. Needs
// REDIS_URL (CI sets it); without Redis there is no shared pub/sub to test.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from './factories.ts';
import { startTestApp, startTestAppBeside, type TestApp } from './harness.ts';
import { collect, startSession } from './impersonation-helpers.ts';

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)('Two instances sharing Redis', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    const redisChannelPrefix = `multi-${randomBytes(6).toString('hex')}`;
    first = await startTestApp({ redisChannelPrefix, config: { IMPERSONATION_TICK_MS: MINUTE } });
    second = await startTestAppBeside(first, { redisChannelPrefix, config: { IMPERSONATION_TICK_MS: MINUTE } });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('ends a banner on one instance when another manager terminates the session on the other', async () => {
    const mara = await first.signIn('mara');
    const max = await second.signIn('max');
    const { token, session } = await startSession(first, mara);
    let closeCode = 0;
    const closed = new Promise<void>((resolve) => {
      const banner = collect<{ impersonationSession: { state: string; endReason: string | null } }>(
        first.wsClient(token, (code) => {
          closeCode = code;
          resolve();
        }),
        'subscription { impersonationSession { state endReason } }',
      );
      void banner
        .until((value) => value.impersonationSession.state === 'ACTIVE')
        .then(async () => {
          // The tick is a minute: anything before then can only come through Redis.
          const listOnSecond = await second.gql('{ activeImpersonationSessions { id } }', {}, max);
          expect(listOnSecond.data.activeImpersonationSessions).toEqual([{ id: session.id }]);
          await second.gql(
            'mutation T($id: ID!) { terminateImpersonation(sessionId: $id, reason: "Seen from the other instance") { id } }',
            { id: session.id },
            max,
          );
          const end = await banner.until((value) => value.impersonationSession.state === 'TERMINATED', 5_000);
          expect(end.impersonationSession.endReason).toBe('Seen from the other instance');
        });
    });
    await closed;
    expect(closeCode).toBe(4403);
  });
});
