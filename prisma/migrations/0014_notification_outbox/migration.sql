-- Notifications of staff access (SPEC 7): the customer's preference category, and the outbox the
-- session lifecycle writes in its own transaction and the notification worker sends from.
-- (A new enum value cannot be used in the transaction that adds it: no preference rows are
-- backfilled; a missing STAFF_ACCESS row means the default, server/notifications/preferences.ts.)
ALTER TYPE "NotificationCategory" ADD VALUE 'STAFF_ACCESS';

CREATE TYPE "StaffAccessNotice" AS ENUM ('STARTED', 'ENDED');

CREATE TYPE "NotificationOutboxStatus" AS ENUM ('PENDING', 'SENT', 'SKIPPED', 'FAILED');

CREATE TABLE "NotificationOutbox" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "notice" "StaffAccessNotice" NOT NULL,
    "channel" "NotificationChannel" NOT NULL,
    "status" "NotificationOutboxStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "availableAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "lastError" TEXT,

    CONSTRAINT "NotificationOutbox_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "NotificationOutbox_sessionId_notice_channel_key" ON "NotificationOutbox"("sessionId", "notice", "channel");

CREATE INDEX "NotificationOutbox_status_availableAt_idx" ON "NotificationOutbox"("status", "availableAt");

ALTER TABLE "NotificationOutbox" ADD CONSTRAINT "NotificationOutbox_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "ImpersonationSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
