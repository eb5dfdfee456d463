// The revocations that follow a change of who may act: a staff member deactivated or no longer a
// manager, a customer disabled. They run inside the change's own transaction, after the changed
// row is locked and updated (access/staff-changes.ts), so the change, every session it ends (end
// record, token revoked) and every token it revokes commit together or not at all; a start racing
// it (people-locks.ts) either committed first and is ended here, or sees the change and is refused.
// What was revoked is announced only after the commit (sockets close, banners are told why).
import { Prisma, type ImpersonationSession, type Staff } from '@prisma/client';
import { auditShard } from '../audit/chain.ts';
import { SignInEndReason, announceSignInsEnded, markSignInsRevoked } from '../auth/sign-ins.ts';
import type { RequestInfo, Services } from '../context.ts';
import { mayImpersonate } from './policy.ts';
import { endSessionInTransaction, publishSessionChange } from './session-end.ts';

/** What a change revoked, to announce once it has committed. */
export interface Revocation {
  reason: SignInEndReason;
  /** The sessions it ended (REVOKED): their banners are told, their sockets close. */
  sessions: ImpersonationSession[];
  /** Sign-ins whose sockets close on every instance (revoked, or opened as a manager who is one no longer). */
  signIns: string[];
}

/** Who made the change, and when: the manager's id for the end records, their request for the audit. */
export interface RevokingChange {
  byStaffId: string;
  request: Partial<RequestInfo>;
  now: Date;
}

/**
 * Ends every unended session matching `who` inside `tx`. The rows are locked first, in id order,
 * then ended in the order of their audit shards: so two such transactions (a deactivation and a
 * customer's disabling sharing a session, say) hold every session row before any shard head and
 * take the heads in one order, and cannot deadlock.
 */
async function endSessionsInTransaction(
  tx: Prisma.TransactionClient,
  who: Prisma.Sql,
  reason: SignInEndReason,
  change: RevokingChange,
): Promise<ImpersonationSession[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "ImpersonationSession" WHERE ${who} AND "endedAt" IS NULL ORDER BY id FOR UPDATE`;
  const shardOf = (id: string) => auditShard({ sessionId: id });
  const ordered = rows.map((row) => row.id).sort((a, b) => shardOf(a) - shardOf(b) || (a < b ? -1 : 1));
  const end = { state: 'REVOKED', reason, byStaffId: change.byStaffId } as const;
  const ended: ImpersonationSession[] = [];
  for (const id of ordered) {
    const session = await endSessionInTransaction(tx, id, end, change.now, change.request);
    if (session) ended.push(session);
  }
  return ended;
}

/**
 * Inside the transaction that changed a staff member's `active` or `role` (their row locked):
 * when they may no longer impersonate, their sessions end and every impersonation token they ever
 * got is revoked; a deactivated one's own sign-ins too, so reactivation revives nothing. One still
 * active keeps their sign-in, but the sockets opened with it as a manager close.
 * @returns null when they may still impersonate (nothing to revoke).
 */
export async function revokeStaffInTransaction(
  tx: Prisma.TransactionClient,
  staff: Pick<Staff, 'id' | 'active' | 'role'>,
  change: RevokingChange,
): Promise<Revocation | null> {
  if (mayImpersonate(staff)) return null;
  const reason = staff.active ? SignInEndReason.LostManagerRole : SignInEndReason.StaffDeactivated;
  const sessions = await endSessionsInTransaction(tx, Prisma.sql`"staffId" = ${staff.id}`, reason, change);
  const tokens = staff.active ? { staffId: staff.id, kind: 'IMPERSONATION' as const } : { staffId: staff.id };
  const signIns = await markSignInsRevoked(tx, tokens, change.now);
  if (staff.active) {
    const kept = await tx.authSession.findMany({
      where: { staffId: staff.id, kind: 'STAFF', revokedAt: null },
      select: { id: true },
    });
    signIns.push(...kept.map((signIn) => signIn.id));
  }
  return { reason, sessions, signIns };
}

/**
 * Inside the transaction that disabled a customer (her row locked): every session viewing her
 * ends, and her sign-ins and the tokens of every staff view of her are revoked.
 */
export async function revokeCustomerInTransaction(
  tx: Prisma.TransactionClient,
  customerId: string,
  change: RevokingChange,
): Promise<Revocation> {
  const reason = SignInEndReason.CustomerDisabled;
  const sessions = await endSessionsInTransaction(tx, Prisma.sql`"customerId" = ${customerId}`, reason, change);
  const tokens = { OR: [{ customerId }, { kind: 'IMPERSONATION' as const, impersonationSession: { customerId } }] };
  const signIns = await markSignInsRevoked(tx, tokens, change.now);
  return { reason, sessions, signIns };
}

/**
 * Inside the transaction that suspended a manager's right to view customers (access/reviews.ts, their
 * row locked): their staff views end and every staff-view token they got is revoked. They stay a
 * manager, signed in as themselves.
 */
export async function revokeViewRightInTransaction(
  tx: Prisma.TransactionClient,
  staffId: string,
  change: RevokingChange,
): Promise<Revocation> {
  const reason = SignInEndReason.ViewRightSuspended;
  const sessions = await endSessionsInTransaction(tx, Prisma.sql`"staffId" = ${staffId}`, reason, change);
  const signIns = await markSignInsRevoked(tx, { staffId, kind: 'IMPERSONATION' }, change.now);
  return { reason, sessions, signIns };
}

/** After the commit: every instance closes the sign-ins' sockets and tells the sessions' banners why. */
export function announceRevocation(services: Services, revocation: Revocation | null): void {
  if (!revocation) return;
  announceSignInsEnded(services.pubsub, revocation.signIns, revocation.reason);
  for (const session of revocation.sessions) publishSessionChange(services, session);
}
