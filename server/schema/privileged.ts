// The privileged actions (SPEC 7, step-up): one declared list of what needs the manager's password
// again once their sign-in, or last step-up, is older than STEP_UP_MINUTES. The step-up plugin
// (step-up-plugin.ts) enforces it for every root field named here; the audit export route asks
// `isPrivileged` too. test/step-up.test.ts fails when a manager-only mutation is in neither list, or
// when an entry names nothing. Each entry says why: review it like a read-only exemption.

/** Actions that need a recent step-up, and why: 'Type.field' for GraphQL root fields, 'METHOD /path' for routes. */
export const PRIVILEGED = {
  'Mutation.startImpersonation': 'opens a customer’s portal (its own `password` argument steps up in the same call)',
  'Mutation.setStaffRole': 'promotes or demotes staff: decides who may open staff views and approve them',
  'Mutation.setStaffActive': 'locks a staff member out, or lets one back in',
  'Mutation.setCustomerProtected': 'adds or removes four-eyes protection of a customer',
  'Mutation.setCustomerStatus': 'disables a customer’s account, or enables it again',
  'Mutation.disableStaffViews': 'the kill switch: ends every staff view of the salon',
  'Mutation.reviewBreakGlass': 'the different manager’s verdict on an emergency access: clears or flags it',
  'Mutation.approveStaffViewRequest': 'the second manager’s yes to a staff view of a protected customer',
  'Mutation.declineStaffViewRequest': 'the second manager’s answer to a staff view of a protected customer',
  'Mutation.requestGovernanceChange':
    'asks to weaken a safeguard (unprotect, staff views back on, promote, reactivate)',
  'Mutation.approveGovernanceChange': 'the second manager’s yes: weakens a safeguard',
  'Mutation.declineGovernanceChange': 'the second manager’s answer to weakening a safeguard',
  'Mutation.cancelGovernanceChange': 'withdraws a request to weaken a safeguard',
  'Query.verifyAuditChain': 'walks the whole audit log and reveals what its signatures cover',
  'Mutation.placeAuditLegalHold': 'keeps audit records past retention: decides what the salon must still hold',
  'Mutation.releaseAuditLegalHold': 'lets held audit records be dropped with their month',
  'Mutation.addWebhookEndpoint': 'sends every alert (staff names, customers, counts) to an outside address',
  'Mutation.disableWebhookEndpoint': 'silences an alert channel someone may rely on',
  'Mutation.confirmAccessReviewItem': 'an access review’s yes: keeps, or restores, a manager’s right to view customers',
  'Mutation.removeAccessReviewItem': 'an access review’s no: takes a manager’s right to view customers away',
  'Query.accessReviewCsv': 'takes an access review (who may view customers, their views) out of the salon',
  'Mutation.updateAlertRule': 'turns an alert rule off or loosens it: decides what managers are told about',
  'GET /audit/export': 'takes the whole audit log out of the salon',
} as const;

/** Manager-only (or staff-only) mutations that stay without step-up, and why. */
export const NOT_PRIVILEGED = {
  'Mutation.stepUp': 'is the step-up itself: it checks the password',
  'Mutation.terminateImpersonation': 'only ends someone else’s access; must stay instant in an emergency',
  'Mutation.endImpersonation': 'ends the manager’s own staff view',
  'Mutation.extendImpersonation': 'from inside the manager’s own staff view, within its fixed limits',
  'Mutation.narrowImpersonationScope': 'only takes sections away from the manager’s own staff view',
  'Mutation.acknowledgeAlert': 'only records, with a note, that a manager saw an alert; the alert and its email stay',
  'Mutation.revealStaffViewField':
    'from inside the manager’s own staff view: one field, with a reason the customer reads, rate limited',
} as const;

/** A privileged action's name. */
export type PrivilegedAction = keyof typeof PRIVILEGED;

/** Whether an action ('Type.field' or 'METHOD /path') needs a recent step-up. */
export function isPrivileged(action: string): action is PrivilegedAction {
  return Object.hasOwn(PRIVILEGED, action);
}
