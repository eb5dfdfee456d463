// What closes a socket is read from the database, never taken from a pub/sub event: an event that a
// staff view ended or that sign-ins were revoked only names rows to read again (session-sockets.ts).
// A forged event (say, `auth:revoked` for a live customer sign-in) reads a live row and closes
// nothing. The reads are batched: every event that arrives in one turn of the event loop, however
// many sockets it concerns, costs one read by primary key per topic, and only for the ids this
// instance holds sockets for. A read that fails is tried again a second later. (Not db/batch-reader.ts:
// it keeps what it read for its lifetime, and a re-read must read again.)
import type { Staff } from '@prisma/client';
import { SignInEndReason } from '../auth/sign-ins.ts';
import type { Services } from '../context.ts';
import { mayImpersonate } from './policy.ts';

/** How long a failed re-read waits before it is tried again. */
const RETRY_MS = 1000;

/** What a socket was opened with, as much as its close is decided on. */
export interface SignInOpened {
  /** Opened by a manager acting as themselves: it closes when they lose the role (isManager). */
  asManager: boolean;
}

/** The sign-in's row, as much as decides whether its sockets still hold. */
export interface SignInRow {
  revokedAt: Date | null;
  expiresAt: Date;
  staff: Pick<Staff, 'active' | 'role'> | null;
  customer: { status: string } | null;
}

const APP_REASONS = new Set<string>(Object.values(SignInEndReason));

/**
 * Why a socket opened with this sign-in must close, by its row (null: it still holds what the
 * socket was opened with). `announced` is the event's reason, used only where the row cannot
 * tell (a revocation: signed out or password changed) and only if it is one of the app's own.
 */
export function signInEnded(
  row: SignInRow | undefined,
  opened: SignInOpened,
  announced: string,
  now: Date,
): SignInEndReason | null {
  if (!row || row.revokedAt || row.expiresAt <= now) {
    return APP_REASONS.has(announced) ? (announced as SignInEndReason) : SignInEndReason.SignedOut;
  }
  if (row.staff && !row.staff.active) return SignInEndReason.StaffDeactivated;
  if (row.customer && row.customer.status !== 'ACTIVE') return SignInEndReason.CustomerDisabled;
  if (opened.asManager && row.staff && !mayImpersonate(row.staff)) return SignInEndReason.LostManagerRole;
  return null;
}

/**
 * Collects keys (with a value, the last one wins) during one turn of the event loop and hands them
 * to `flush` together; a flush that throws is retried RETRY_MS later with the keys it had.
 */
export function batcher<Value>(
  flush: (batch: Map<string, Value>) => Promise<void>,
  onError: (error: unknown) => void,
): { add(key: string, value: Value): void; stop(): void } {
  let pending = new Map<string, Value>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const run = () => {
    timer = null;
    const batch = pending;
    pending = new Map();
    flush(batch).catch((error: unknown) => {
      onError(error);
      if (stopped) return;
      for (const [key, value] of batch) if (!pending.has(key)) pending.set(key, value);
      timer ??= setTimeout(run, RETRY_MS).unref();
    });
  };
  return {
    add(key, value) {
      if (stopped) return;
      pending.set(key, value);
      timer ??= setTimeout(run, 0);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

/** The database reads of the socket registry. */
export function socketRereads(services: Pick<Services, 'prisma'>) {
  return {
    /** Of these impersonation sessions, the ones whose row says they ended. */
    async endedSessions(ids: string[]): Promise<Set<string>> {
      const ended = await services.prisma.impersonationSession.findMany({
        where: { id: { in: ids }, endedAt: { not: null } },
        select: { id: true },
      });
      return new Set(ended.map((session) => session.id));
    },
    /** The rows of these sign-ins (a missing id has no row: it is gone). */
    async signIns(ids: string[]): Promise<Map<string, SignInRow>> {
      const rows = await services.prisma.authSession.findMany({
        where: { id: { in: ids } },
        select: {
          id: true,
          revokedAt: true,
          expiresAt: true,
          staff: { select: { active: true, role: true } },
          customer: { select: { status: true } },
        },
      });
      return new Map(rows.map(({ id, ...row }) => [id, row]));
    },
  };
}
