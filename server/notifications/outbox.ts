// The notification outbox: rows written in the transaction of the change they announce (a session's
// start, extension or end; an ask-first request), so a committed change always has its notices and
// a rolled-back one none. Each row is about one session or one request. Claimed by a worker
// with FOR UPDATE SKIP LOCKED (several instances never take the same row), delivered, then marked.
// A claim holds the row for a lease; a failed delivery is retried with exponential backoff until
// the maximum number of attempts, then marked FAILED. Delivery is at least once: a crash between an
// accepted email and its mark sends it again, with the same Message-ID.
import type { NotificationOutboxStatus, Prisma, PrismaClient, StaffAccessNotice } from '@prisma/client';
import { STAFF_ACCESS_CHANNELS, type StaffAccessChannel } from './preferences.ts';

/** How long a claimed row is held by its claimer before another may take it (a crashed instance's). */
export const CLAIM_LEASE_MS = 5 * 60_000;

/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 60 * 60_000;

/** A claimed row, with the attempt number it is on: about a session, or (REQUESTED) a request. */
export interface ClaimedNotice {
  id: string;
  sessionId: string | null;
  requestId: string | null;
  /** ALERT_RAISED only: the alert the managers' email is about (server/alerts/). */
  alertId: string | null;
  notice: StaffAccessNotice;
  channel: StaffAccessChannel;
  attempts: number;
}

/**
 * Writes the notices of a session's start, extension or end inside the caller's transaction: one
 * row per channel. A session announces each of its events once (a repeated call adds nothing).
 */
export async function enqueueStaffAccessNotice(
  tx: Prisma.TransactionClient,
  sessionId: string,
  notice: Exclude<StaffAccessNotice, 'REQUESTED'>,
  now: Date,
): Promise<void> {
  await tx.notificationOutbox.createMany({
    data: STAFF_ACCESS_CHANNELS.map((channel) => ({ sessionId, notice, channel, availableAt: now, createdAt: now })),
    skipDuplicates: true,
  });
}

/**
 * Writes the email of an ask-first request inside the transaction that creates it (its portal
 * message is written there directly: the request must reach her portal whatever her switches).
 */
export async function enqueueRequestNotice(tx: Prisma.TransactionClient, requestId: string, now: Date): Promise<void> {
  await tx.notificationOutbox.createMany({
    data: [{ requestId, notice: 'REQUESTED', channel: 'EMAIL', availableAt: now, createdAt: now }],
    skipDuplicates: true,
  });
}

/** The wait before attempt `attempts + 1`: base, 2 x base, 4 x base, ... up to an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

const utc = (date: Date) => date.toISOString();

/**
 * Claims up to `limit` due rows: counts the attempt and holds each for the lease. One statement:
 * rows another instance holds are skipped, not waited for.
 */
export async function claimDueNotices(prisma: PrismaClient, now: Date, limit: number): Promise<ClaimedNotice[]> {
  const leaseUntil = new Date(now.getTime() + CLAIM_LEASE_MS);
  return prisma.$queryRaw<ClaimedNotice[]>`
    UPDATE "NotificationOutbox" AS claimed
    SET "attempts" = claimed."attempts" + 1, "availableAt" = ${utc(leaseUntil)}::timestamptz AT TIME ZONE 'UTC'
    WHERE claimed."id" IN (
      SELECT "id" FROM "NotificationOutbox"
      WHERE "status" = 'PENDING' AND "availableAt" <= ${utc(now)}::timestamptz AT TIME ZONE 'UTC'
      ORDER BY "availableAt", "id"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING claimed."id", claimed."sessionId", claimed."requestId", claimed."alertId", claimed."notice"::text AS "notice",
      claimed."channel"::text AS "channel", claimed."attempts"`;
}

/** Thrown when a claim was lost meanwhile (its lease ran out and another instance took the row). */
export class ClaimLostError extends Error {
  constructor(id: string) {
    super(`Notification ${id} was claimed by another worker meanwhile`);
  }
}

/**
 * Marks a claimed row done (SENT or SKIPPED), inside the caller's transaction when the delivery
 * itself is a database write. Fenced by the attempt number: a claim that was lost throws.
 */
export async function markDone(
  db: Prisma.TransactionClient,
  claim: ClaimedNotice,
  status: Extract<NotificationOutboxStatus, 'SENT' | 'SKIPPED'>,
  now: Date,
): Promise<void> {
  const { count } = await db.notificationOutbox.updateMany({
    where: { id: claim.id, status: 'PENDING', attempts: claim.attempts },
    data: { status, sentAt: status === 'SENT' ? now : null, lastError: null },
  });
  if (count === 0) throw new ClaimLostError(claim.id);
}

/**
 * After a failed attempt: due again after the backoff, or FAILED once `maxAttempts` were made.
 * @returns the new status.
 */
export async function markAttemptFailed(
  prisma: PrismaClient,
  claim: ClaimedNotice,
  error: unknown,
  now: Date,
  retry: { maxAttempts: number; baseMs: number },
): Promise<'PENDING' | 'FAILED'> {
  const status = claim.attempts >= retry.maxAttempts ? 'FAILED' : 'PENDING';
  await prisma.notificationOutbox.updateMany({
    where: { id: claim.id, status: 'PENDING', attempts: claim.attempts },
    data: {
      status,
      availableAt: new Date(now.getTime() + retryDelayMs(claim.attempts, retry.baseMs)),
      lastError: String(error instanceof Error ? error.message : error).slice(0, 1000),
    },
  });
  return status;
}
