// The revocations that follow a change of who may act: a staff member deactivated or no longer a
// manager, a customer disabled. Their sign-ins end (sockets close on every instance) and so does
// every session they take part in (REVOKED), each through the lifecycle's own end.
import type { Staff } from '@prisma/client';
import { SignInEndReason, announceSignInsEnded, revokeSignIns } from '../auth/sign-ins.ts';
import type { StaffContext } from '../context.ts';
import { endSessions } from './lifecycle.ts';
import { mayImpersonate, unendedSessionWhere } from './policy.ts';

/** Ends, as REVOKED by the manager of `ctx` (and recorded with their request), every active session matching `where`. */
async function revokeImpersonations(
  ctx: StaffContext,
  where: { staffId?: string; customerId?: string },
  reason: string,
): Promise<number> {
  const active = await ctx.prisma.impersonationSession.findMany({
    where: { ...where, ...unendedSessionWhere },
    select: { id: true },
  });
  return endSessions(ctx, active, { state: 'REVOKED', reason, byStaffId: ctx.actor.id });
}

/**
 * After the manager of `ctx` changed a staff member's `active` or `role`: a deactivated one is
 * signed out, and one who may no longer impersonate has their sessions ended and their manager
 * sockets closed.
 */
export async function staffChanged(ctx: StaffContext, staff: Pick<Staff, 'id' | 'active' | 'role'>): Promise<void> {
  if (mayImpersonate(staff)) return;
  // Impersonation tokens end with their sessions below, after their banners got the reason.
  const signIns = { staffId: staff.id, kind: 'STAFF' as const };
  let reason: SignInEndReason;
  if (staff.active) {
    // Still signed in, no longer a manager: sockets opened as a manager close; new ones get the new role.
    reason = SignInEndReason.LostManagerRole;
    const live = await ctx.prisma.authSession.findMany({
      where: { ...signIns, revokedAt: null },
      select: { id: true },
    });
    announceSignInsEnded(
      ctx.pubsub,
      live.map((signIn) => signIn.id),
      reason,
    );
  } else {
    reason = SignInEndReason.StaffDeactivated;
    await revokeSignIns(ctx, signIns, reason);
  }
  await revokeImpersonations(ctx, { staffId: staff.id }, reason);
}

/** After the manager of `ctx` disabled a customer: signs them out and ends every session viewing them. */
export async function customerDisabled(ctx: StaffContext, customerId: string): Promise<void> {
  await revokeSignIns(ctx, { customerId }, SignInEndReason.CustomerDisabled);
  await revokeImpersonations(ctx, { customerId }, SignInEndReason.CustomerDisabled);
}
