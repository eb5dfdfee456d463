// Ending sign-ins: a revocation is written to the database (so every next request is refused) and
// then announced on pub/sub, so that every instance closes the sockets opened with those sign-ins
// (impersonation/session-sockets.ts) instead of serving them until they next send an operation.
import type { Prisma } from '@prisma/client';
import type { Services } from '../context.ts';
import { SIGN_INS_PER_EVENT, type AppPubSub } from '../pubsub.ts';

/** Why sockets were closed; sent as their close reason. */
export const SignInEndReason = {
  SignedOut: 'Signed out',
  PasswordChanged: 'Password changed',
  StaffDeactivated: 'Staff member deactivated',
  LostManagerRole: 'Staff member lost the manager role',
  CustomerDisabled: 'Customer account disabled',
  ViewRightSuspended: 'Right to view customers suspended by an access review',
} as const;

/** One of the reasons a sign-in ends. */
export type SignInEndReason = (typeof SignInEndReason)[keyof typeof SignInEndReason];

/**
 * Marks the live sign-ins matching `where` revoked, inside the caller's transaction when given one.
 * @returns their ids, to announce once the change is committed.
 */
export async function markSignInsRevoked(
  db: Prisma.TransactionClient,
  where: Prisma.AuthSessionWhereInput,
  now: Date,
): Promise<string[]> {
  const revoked = await db.authSession.updateManyAndReturn({
    where: { ...where, revokedAt: null },
    data: { revokedAt: now },
    select: { id: true },
  });
  return revoked.map((signIn) => signIn.id);
}

/** Tells every instance to close the sockets opened with these sign-ins (4403). */
export function announceSignInsEnded(pubsub: AppPubSub, authSessionIds: string[], reason: SignInEndReason): void {
  for (let start = 0; start < authSessionIds.length; start += SIGN_INS_PER_EVENT) {
    pubsub.publish('auth:revoked', { authSessionIds: authSessionIds.slice(start, start + SIGN_INS_PER_EVENT), reason });
  }
}

/** Revokes the live sign-ins matching `where` and announces it; returns how many. */
export async function revokeSignIns(
  services: Pick<Services, 'prisma' | 'pubsub' | 'clock'>,
  where: Prisma.AuthSessionWhereInput,
  reason: SignInEndReason,
): Promise<number> {
  const revoked = await markSignInsRevoked(services.prisma, where, services.clock.now());
  announceSignInsEnded(services.pubsub, revoked, reason);
  return revoked.length;
}
