-- Alert rules (issue 24, item 1): alerts raised for the managers when a rule fires (server/alerts/),
-- the managers' settings of each rule (a rule without a row has its defaults), and the outbox's
-- link to the alert an email is about. (New enum values are not used in this transaction.)
CREATE TYPE "AlertRule" AS ENUM ('VIEWS_PER_HOUR', 'OUTSIDE_BUSINESS_HOURS', 'PROTECTED_CUSTOMER_VIEW', 'REFUSED_ATTEMPTS', 'TAMPERING', 'CHECKPOINT_STALLED', 'SIEM_LAG', 'BREAK_GLASS', 'BREAK_GLASS_UNREVIEWED', 'ACCESS_REVIEW_OVERDUE');

ALTER TYPE "AuditAction" ADD VALUE 'ALERT_RAISED';
ALTER TYPE "AuditAction" ADD VALUE 'ALERT_ACKNOWLEDGED';
ALTER TYPE "AuditAction" ADD VALUE 'ALERT_RULE_CHANGED';

ALTER TYPE "StaffAccessNotice" ADD VALUE 'ALERT_RAISED';

CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "rule" "AlertRule" NOT NULL,
    "summary" TEXT NOT NULL,
    "staffId" TEXT,
    "customerId" TEXT,
    "sessionId" TEXT,
    "details" JSONB,
    "dedupeKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "acknowledgedAt" TIMESTAMP(3),
    "acknowledgedById" TEXT,
    "ackNote" TEXT,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "Alert_dedupeKey_key" ON "Alert"("dedupeKey");

CREATE INDEX "Alert_acknowledgedAt_createdAt_idx" ON "Alert"("acknowledgedAt", "createdAt");

CREATE INDEX "Alert_createdAt_idx" ON "Alert"("createdAt");

CREATE TABLE "AlertRuleSetting" (
    "rule" "AlertRule" NOT NULL,
    "enabled" BOOLEAN NOT NULL,
    "threshold" INTEGER,
    "windowStartMinute" INTEGER,
    "windowEndMinute" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" TEXT,

    CONSTRAINT "AlertRuleSetting_pkey" PRIMARY KEY ("rule")
);

ALTER TABLE "NotificationOutbox" ADD COLUMN "alertId" TEXT;

CREATE UNIQUE INDEX "NotificationOutbox_alertId_notice_channel_key" ON "NotificationOutbox"("alertId", "notice", "channel");

-- A notice is about exactly one thing: a session, a request or (the managers' email) an alert.
ALTER TABLE "NotificationOutbox" DROP CONSTRAINT "NotificationOutbox_about_one";
ALTER TABLE "NotificationOutbox" ADD CONSTRAINT "NotificationOutbox_about_one"
  CHECK (num_nonnulls("sessionId", "requestId", "alertId") = 1);

ALTER TABLE "NotificationOutbox" ADD CONSTRAINT "NotificationOutbox_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "Alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;
