-- The salon's controls over staff views (issue 14): the customer's "Stop this view" and the
-- salon-wide kill switch each end sessions with their own end state and audit action; step-up
-- (the manager's password asked again before a start) is remembered per sign-in.
ALTER TYPE "ImpersonationEndState" ADD VALUE 'STOPPED_BY_CUSTOMER';
ALTER TYPE "ImpersonationEndState" ADD VALUE 'STAFF_VIEWS_DISABLED';

ALTER TYPE "AuditAction" ADD VALUE 'SESSION_STOPPED_BY_CUSTOMER';
ALTER TYPE "AuditAction" ADD VALUE 'SESSION_STAFF_VIEWS_DISABLED';
ALTER TYPE "AuditAction" ADD VALUE 'STAFF_VIEWS_DISABLED';
ALTER TYPE "AuditAction" ADD VALUE 'STAFF_VIEWS_ENABLED';
ALTER TYPE "AuditAction" ADD VALUE 'STEP_UP_PASSED';
ALTER TYPE "AuditAction" ADD VALUE 'STEP_UP_FAILED';

ALTER TABLE "AuthSession" ADD COLUMN "steppedUpAt" TIMESTAMP(3);

-- One row (id 1). Starts lock it FOR SHARE and the kill switch updates it, so a start racing a
-- kill switch either commits before it (and is then ended by it) or sees staff views turned off.
CREATE TABLE "SalonSettings" (
  "id" INTEGER NOT NULL DEFAULT 1,
  "staffViewsEnabled" BOOLEAN NOT NULL DEFAULT true,
  "staffViewsReason" TEXT,
  "staffViewsChangedAt" TIMESTAMP(3),
  "staffViewsChangedById" TEXT,
  CONSTRAINT "SalonSettings_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "SalonSettings_one_row" CHECK ("id" = 1)
);

ALTER TABLE "SalonSettings" ADD CONSTRAINT "SalonSettings_staffViewsChangedById_fkey"
  FOREIGN KEY ("staffViewsChangedById") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

INSERT INTO "SalonSettings" ("id") VALUES (1);
