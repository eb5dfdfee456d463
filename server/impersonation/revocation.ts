// The revocations that follow a change of who may act: a staff member deactivated or no longer a
// manager, a customer disabled. Their sign-ins end (sockets close on every instance) and so does
// every session they take part in (REVOKED), each through the lifecycle's own end.
import type { Staff } from '@prisma/client';
import { SignInEndReason, announceSignInsEnded, revokeSignIns } from '../auth/sign-ins.ts';
import type { RequestInfo, Services } from '../context.ts';
import { endSessions } from './lifecycle.ts';
import { mayImpersonate, unendedSessionWhere } from './policy.ts';

/** Ends, as REVOKED, every active session matching `where`. */
async function revokeImpersonations(
  services: Services,
  where: { staffId?: string; customerId?: string },
  reason: string,
  byStaffId: string,
  request: RequestInfo,
): Promise<number> {
  const active = await services.prisma.impersonationSession.findMany({
    where: { ...where, ...unendedSessionWhere },
    select: { id: true },
  });
  return endSessions(services, active, { state: 'REVOKED', reason, byStaffId, request });
}

/** Who changed whom: the manager making a change to staff or customers. */
export interface AdministrativeChange {
  byStaffId: string;
  request: RequestInfo;
}

/**
 * After a staff member's `active` or `role` changed: a deactivated one is signed out, and one who
 * may no longer impersonate has their sessions ended and their manager sockets closed.
 */
export async function staffChanged(
  services: Services,
  staff: Pick<Staff, 'id' | 'active' | 'role'>,
  change: AdministrativeChange,
): Promise<void> {
  if (mayImpersonate(staff)) return;
  // Impersonation tokens end with their sessions below, after their banners got the reason.
  const signIns = { staffId: staff.id, kind: 'STAFF' as const };
  let reason: SignInEndReason;
  if (staff.active) {
    // Still signed in, no longer a manager: sockets opened as a manager close; new ones get the new role.
    reason = SignInEndReason.LostManagerRole;
    const live = await services.prisma.authSession.findMany({
      where: { ...signIns, revokedAt: null },
      select: { id: true },
    });
    announceSignInsEnded(
      services.pubsub,
      live.map((signIn) => signIn.id),
      reason,
    );
  } else {
    reason = SignInEndReason.StaffDeactivated;
    await revokeSignIns(services, signIns, reason);
  }
  await revokeImpersonations(services, { staffId: staff.id }, reason, change.byStaffId, change.request);
}

/** After a customer was disabled: signs them out and ends every session viewing them. */
export async function customerDisabled(
  services: Services,
  customerId: string,
  change: AdministrativeChange,
): Promise<void> {
  await revokeSignIns(services, { customerId }, SignInEndReason.CustomerDisabled);
  await revokeImpersonations(
    services,
    { customerId },
    SignInEndReason.CustomerDisabled,
    change.byStaffId,
    change.request,
  );
}
