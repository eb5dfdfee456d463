// Governance changes across two server instances sharing PostgreSQL and Redis: a request made on
// one reaches the other managers' live list on the other and is approved there over WebSocket; an approval and a cancellation sent at once on the two instances leave exactly
// one outcome. Needs REDIS_URL (CI sets it); one instance is test/governance.test.ts.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, startTestAppBeside, type TestApp } from './harness.ts';
import { collect, customerId } from './impersonation-helpers.ts';
import {
  CANCEL_CHANGE,
  GOVERNANCE_LIVE,
  GOVERNANCE_TEST_CONFIG,
  PROTECT,
  auditOf,
  inactiveManager,
  refusal,
  request,
  reset,
  tryApprove,
  type GovernanceView,
} from './governance-helpers.ts';

const redisUrl = process.env.REDIS_URL;

describe.skipIf(!redisUrl)('Governance changes on two instances sharing PostgreSQL and Redis', () => {
  let first: TestApp;
  let second: TestApp;
  let danId: string;

  beforeAll(async () => {
    const redisChannelPrefix = `governance-${randomBytes(6).toString('hex')}`;
    first = await startTestApp({ redisChannelPrefix, config: GOVERNANCE_TEST_CONFIG });
    second = await startTestAppBeside(first, { redisChannelPrefix, config: GOVERNANCE_TEST_CONFIG });
    await inactiveManager(first);
    danId = await customerId(first, await first.signIn('mara'), 'dan@example.test');
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });
  beforeEach(async () => {
    await reset(first);
    second.clock.set(first.clock.now());
  });

  it('a request made on one instance is seen live and approved on the other; both see Dan unprotected', async () => {
    const mara = await first.signIn('mara');
    const max = await second.signIn('max');
    expect(refusal(await second.gql(PROTECT, { id: danId, protected: false }, max)).reason).toBe(
      'SECOND_MANAGER_REQUIRED',
    );
    const maxSocket = second.wsClient(max);
    const live = collect<{ governanceRequests: GovernanceView[] }>(maxSocket, GOVERNANCE_LIVE);
    await live.until((value) => Array.isArray(value.governanceRequests));
    const asked = await request(first, mara, { kind: 'UNPROTECT_CUSTOMER', customerId: danId });
    const seen = await live.until((value) => value.governanceRequests.some((r) => r.id === asked.id));
    expect(seen.governanceRequests.find((r) => r.id === asked.id)).toMatchObject({
      state: 'PENDING',
      canApprove: true,
      requestedBy: { name: 'Mara Quinn' },
    });
    const approval = collect(maxSocket, `mutation { approveGovernanceChange(requestId: "${asked.id}") { state } }`);
    await approval.done;
    expect(approval.values).toEqual([{ approveGovernanceChange: { state: 'APPROVED' } }]);
    expect((await first.services.prisma.customer.findUniqueOrThrow({ where: { id: danId } })).protected).toBe(false);
    expect((await auditOf(first, 'CUSTOMER_PROTECTION_CHANGED')).at(-1)?.seen).toMatchObject({
      change: { after: { protected: false, requestedBy: 'Mara Quinn', approvedBy: 'Max Okafor' } },
    });
  });

  it('an approval and a cancellation at once on the two instances: exactly one holds, 6 rounds', async () => {
    const mara = await first.signIn('mara');
    const max = await second.signIn('max');
    for (let round = 0; round < 6; round += 1) {
      await first.services.prisma.customer.update({ where: { id: danId }, data: { protected: true } });
      const asked = await request(first, mara, { kind: 'UNPROTECT_CUSTOMER', customerId: danId });
      const [approved, cancelled] = await Promise.all([
        tryApprove(second, max, asked.id),
        first.gql(CANCEL_CHANGE, { id: asked.id }, mara),
      ]);
      const wins = [approved, cancelled].filter((result) => !result.errors);
      expect(wins, `round ${round}`).toHaveLength(1);
      const loser = [approved, cancelled].find((result) => result.errors)!;
      expect(refusal(loser), `round ${round}`).toEqual({ code: 'CONFLICT', reason: 'GOVERNANCE_REQUEST_CLOSED' });
      const row = await first.services.prisma.governanceRequest.findUniqueOrThrow({ where: { id: asked.id } });
      const isProtected = (await first.services.prisma.customer.findUniqueOrThrow({ where: { id: danId } })).protected;
      expect(isProtected, `round ${round}`).toBe(row.approvedAt === null);
      expect(row.approvedAt === null, `round ${round}`).toBe(row.cancelledAt !== null);
    }
  }, 120_000);
});
