// Shared steps of the governance tests: the operations, an inactive manager to reactivate, and a
// reset that leaves every safeguard as the demo data has it with no request waiting.
import { expect } from 'vitest';
import { HOUR, STEP_UP_AFTER_A_YEAR, expectData } from './factories.ts';
import type { GqlResult, TestApp } from './harness.ts';

export const GOVERNANCE_FIELDS =
  'id kind state reason coolingOffUntil expiresAt canApprove canDecline canCancel declineNote requestedBy { id name } approvedBy { id name } declinedBy { id name } customer { id protected } targetStaff { id role active }';

export const REQUEST_CHANGE = `mutation Request($input: GovernanceChangeInput!) {
  requestGovernanceChange(input: $input) { ${GOVERNANCE_FIELDS} }
}`;
export const APPROVE_CHANGE = `mutation Approve($id: ID!) { approveGovernanceChange(requestId: $id) { ${GOVERNANCE_FIELDS} } }`;
export const DECLINE_CHANGE = `mutation Decline($id: ID!, $note: String!) {
  declineGovernanceChange(requestId: $id, note: $note) { ${GOVERNANCE_FIELDS} }
}`;
export const CANCEL_CHANGE = `mutation Cancel($id: ID!) { cancelGovernanceChange(requestId: $id) { ${GOVERNANCE_FIELDS} } }`;
export const GOVERNANCE_LIST = `query Governance { governanceRequests { ${GOVERNANCE_FIELDS} } }`;
export const GOVERNANCE_LIVE = `subscription GovernanceLive { governanceRequests { ${GOVERNANCE_FIELDS} } }`;
export const PROTECT =
  'mutation Protect($id: ID!, $protected: Boolean!) { setCustomerProtected(customerId: $id, protected: $protected) { id protected } }';
export const SET_ROLE =
  'mutation Role($id: ID!, $role: StaffRole!) { setStaffRole(staffId: $id, role: $role) { id role active } }';
export const SET_ACTIVE =
  'mutation Active($id: ID!, $active: Boolean!) { setStaffActive(staffId: $id, active: $active) { id role active } }';
export const DISABLE = 'mutation Off($reason: String!) { disableStaffViews(reason: $reason) { enabled } }';
export const ENABLE = 'mutation On($reason: String) { enableStaffViews(reason: $reason) { enabled } }';

export const WHY = 'Customer asked us to drop the extra check';

/** Long sign-ins and no step-up (these tests move the clock by days); a stake lasts a day. */
export const GOVERNANCE_TEST_CONFIG = {
  ...STEP_UP_AFTER_A_YEAR,
  AUTH_SESSION_HOURS: 24 * 366,
  STAFF_VIEW_BLOCK_HOURS: 24,
  IMPERSONATION_STARTS_PER_WINDOW: 1000,
};

export interface GovernanceView {
  id: string;
  kind: string;
  state: string;
  reason: string;
  coolingOffUntil: string | null;
  expiresAt: string;
  canApprove: boolean;
  canDecline: boolean;
  canCancel: boolean;
  declineNote: string | null;
  requestedBy: { id: string; name: string };
  approvedBy: { id: string; name: string } | null;
  declinedBy: { id: string; name: string } | null;
  customer: { id: string; protected: boolean } | null;
  targetStaff: { id: string; role: string; active: boolean } | null;
}

export type ChangeInput = { kind: string; customerId?: string; staffId?: string; reason?: string };

/** Sends a request for a change (reason WHY unless given). */
export const tryRequest = (app: TestApp, token: string, input: ChangeInput) =>
  app.gql<{ requestGovernanceChange: GovernanceView }>(REQUEST_CHANGE, { input: { reason: WHY, ...input } }, token);

/** A request that must be accepted; returns it. */
export async function request(app: TestApp, token: string, input: ChangeInput): Promise<GovernanceView> {
  return expectData(await tryRequest(app, token, input)).requestGovernanceChange;
}

/** Sends an approval. */
export const tryApprove = (app: TestApp, token: string, id: string) =>
  app.gql<{ approveGovernanceChange: GovernanceView }>(APPROVE_CHANGE, { id }, token);

/** The first error's code and reason. */
export const refusal = (result: GqlResult) => ({
  code: result.errors?.[0]?.extensions?.code,
  reason: result.errors?.[0]?.extensions?.reason,
});

/** An inactive manager (Nora), created once; returns her id. */
export async function inactiveManager(app: TestApp): Promise<string> {
  const nora = await app.services.prisma.staff.upsert({
    where: { email: 'nora@salon.test' },
    create: { name: 'Nora Lund', email: 'nora@salon.test', role: 'MANAGER', active: false, passwordHash: 'unused' },
    update: { role: 'MANAGER', active: false },
  });
  return nora.id;
}

/** Audit records of `action`, oldest first. */
export const auditOf = (app: TestApp, action: string) =>
  app.services.prisma.auditEvent.findMany({ where: { action: action as never }, orderBy: { id: 'asc' } });

/**
 * Closes every waiting request, puts the staff back (two active managers, Gus a groomer, Nora an
 * inactive manager), Dan
 * protected, staff views on, no session or access request running; moves the clock two days, past
 * every stake (STAFF_VIEW_BLOCK_HOURS 24), so the next test starts clean.
 */
export async function reset(app: TestApp): Promise<void> {
  const { prisma } = app.services;
  const now = app.clock.now();
  await prisma.governanceRequest.updateMany({
    where: { approvedAt: null, declinedAt: null, cancelledAt: null, expiredAt: null },
    data: { cancelledAt: now },
  });
  await prisma.impersonationSession.updateMany({
    where: { endedAt: null },
    data: { endedAt: now, endState: 'ENDED', endReason: 'test reset' },
  });
  await prisma.accessRequest.updateMany({ where: { sessionId: null, declinedAt: null }, data: { expiresAt: now } });
  await prisma.staff.updateMany({
    where: { email: { in: ['mara@salon.test', 'max@salon.test'] } },
    data: { role: 'MANAGER', active: true },
  });
  await prisma.staff.updateMany({ where: { email: 'gus@salon.test' }, data: { role: 'GROOMER', active: true } });
  await prisma.staff.updateMany({ where: { email: 'nora@salon.test' }, data: { role: 'MANAGER', active: false } });
  await prisma.customer.updateMany({ where: { email: 'dan@example.test' }, data: { protected: true } });
  await prisma.customer.updateMany({
    where: { email: 'chloe@example.test' },
    data: { protected: false, staffAccess: 'FREELY' },
  });
  await prisma.salonSettings.updateMany({ data: { staffViewsEnabled: true } });
  app.clock.advance(48 * HOUR);
  expect(await prisma.staff.count({ where: { role: 'MANAGER', active: true } })).toBe(2);
}

/**
 * Staff views back on, the only way there is: `requester` asks on `app`, `approver` approves on
 * `approverApp` (the same instance unless given). Returns the switch as managers read it after.
 */
export async function turnStaffViewsBackOn(
  app: TestApp,
  requester: string,
  approver: string,
  reason = 'Incident closed, views allowed again',
  approverApp: TestApp = app,
): Promise<{ enabled: boolean; reason: string | null; changedByName: string | null }> {
  const asked = await request(app, requester, { kind: 'ENABLE_STAFF_VIEWS', reason });
  expectData(await tryApprove(approverApp, approver, asked.id));
  const controls = await approverApp.gql('{ staffViewControls { enabled reason changedByName } }', {}, approver);
  return expectData(controls).staffViewControls;
}
