// Shared steps of the consent and four-eyes tests: the operations, and a start that may become a request.
import { expect } from 'vitest';
import { expectData } from './factories.ts';
import type { GqlResult, TestApp } from './harness.ts';
import { REASON, customerId } from './impersonation-helpers.ts';

export const REQUEST_FIELDS =
  'id state reason needsCustomer needsManager awaitingCustomer awaitingManager canAnswer expiresAt sessionId declinedByCustomer staff { id name } approvedBy { id name }';

export const START_OR_REQUEST = `mutation Start($customerId: ID!, $reason: String!) {
  startImpersonation(customerId: $customerId, reason: $reason, scope: { sections: [WHOLE_PORTAL], need: "Tests read every section of the portal" }) {
    status token session { id approvedBy { id name } } accessRequest { ${REQUEST_FIELDS} }
  }
}`;

export const SET_PREFERENCE =
  'mutation Pref($preference: StaffAccessPreference!) { setStaffAccessPreference(preference: $preference) { id staffAccess } }';
export const GRANT =
  'mutation Grant($duration: AccessGrantDuration!) { grantStaffAccess(duration: $duration) { id expiresAt active } }';
export const REVOKE = 'mutation Revoke($id: ID!) { revokeStaffAccess(grantId: $id) { id active revokedAt } }';
export const APPROVE_AS_CUSTOMER =
  'mutation Approve($id: ID!, $duration: AccessGrantDuration!) { approveAccessRequest(requestId: $id, duration: $duration) { id state awaitingCustomer } }';
export const DECLINE_AS_CUSTOMER = 'mutation Decline($id: ID!) { declineAccessRequest(requestId: $id) { id state } }';
export const MY_ACCESS =
  '{ me { staffAccess accessGrants { id expiresAt active } accessRequests { id staffName reason state awaitingCustomer } } }';
export const APPROVE_AS_MANAGER = `mutation Approve($id: ID!) { approveStaffViewRequest(requestId: $id) { ${REQUEST_FIELDS} } }`;
export const DECLINE_AS_MANAGER = `mutation Decline($id: ID!) { declineStaffViewRequest(requestId: $id) { ${REQUEST_FIELDS} } }`;
export const PROTECT =
  'mutation Protect($id: ID!, $protected: Boolean!) { setCustomerProtected(customerId: $id, protected: $protected) { id protected } }';
export const END = 'mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }';

export interface RequestView {
  id: string;
  state: string;
  needsCustomer: boolean;
  needsManager: boolean;
  awaitingCustomer: boolean;
  awaitingManager: boolean;
  canAnswer: boolean;
  expiresAt: string;
  sessionId: string | null;
  declinedByCustomer: boolean;
  staff: { id: string; name: string };
  approvedBy: { id: string; name: string } | null;
}

export interface StartResult {
  status: 'STARTED' | 'REQUESTED';
  token: string | null;
  session: { id: string; approvedBy: { id: string; name: string } | null } | null;
  accessRequest: RequestView | null;
}

/** Sends a start; returns its result (status STARTED or REQUESTED) or the error result. */
export async function tryStart(app: TestApp, staffToken: string, email: string, reason = REASON) {
  return app.gql<{ startImpersonation: StartResult }>(
    START_OR_REQUEST,
    { customerId: await customerId(app, staffToken, email), reason },
    staffToken,
  );
}

/** A start that must succeed as an operation; returns its payload. */
export async function start(app: TestApp, staffToken: string, email: string, reason = REASON): Promise<StartResult> {
  return expectData(await tryStart(app, staffToken, email, reason)).startImpersonation;
}

/** A start that must become a request; returns the request. */
export async function startRequested(app: TestApp, staffToken: string, email: string, reason = REASON) {
  const result = await start(app, staffToken, email, reason);
  expect(result).toMatchObject({ status: 'REQUESTED', token: null, session: null });
  return result.accessRequest!;
}

/** Audit records of an action for a customer, oldest first. */
export function auditOf(app: TestApp, action: string, customerIdValue: string) {
  return app.services.prisma.auditEvent.findMany({
    where: { action: action as never, customerId: customerIdValue },
    orderBy: { id: 'asc' },
  });
}

/** The first error's code and reason. */
export const refusal = (result: GqlResult) => ({
  code: result.errors?.[0]?.extensions?.code,
  reason: result.errors?.[0]?.extensions?.reason,
});
