-- Every control holds against the insider it binds (issue 21): governance changes that weaken a
-- safeguard wait for a second manager; the customer's Stop or "no" blocks that staff member for a
-- while; termination keeps its internal note apart from the customer's message; tampering is
-- counted per session and ends it; the customer's notices use her time zone and also tell her of
-- extensions and ask-first requests.
ALTER TYPE "StaffAccessNotice" ADD VALUE 'EXTENDED';
ALTER TYPE "StaffAccessNotice" ADD VALUE 'REQUESTED';

ALTER TYPE "ImpersonationEndState" ADD VALUE 'TAMPERED';

ALTER TYPE "AuditAction" ADD VALUE 'SESSION_ENDED_FOR_TAMPERING';
ALTER TYPE "AuditAction" ADD VALUE 'GOVERNANCE_CHANGE_REQUESTED';
ALTER TYPE "AuditAction" ADD VALUE 'GOVERNANCE_CHANGE_APPROVED';
ALTER TYPE "AuditAction" ADD VALUE 'GOVERNANCE_CHANGE_DECLINED';
ALTER TYPE "AuditAction" ADD VALUE 'GOVERNANCE_CHANGE_CANCELLED';
ALTER TYPE "AuditAction" ADD VALUE 'GOVERNANCE_CHANGE_EXPIRED';
ALTER TYPE "AuditAction" ADD VALUE 'STAFF_VIEW_BLOCKED';
ALTER TYPE "AuditAction" ADD VALUE 'STAFF_VIEW_BLOCK_LIFTED';

CREATE TYPE "GovernanceChangeKind" AS ENUM ('UNPROTECT_CUSTOMER', 'ENABLE_STAFF_VIEWS', 'PROMOTE_TO_MANAGER', 'REACTIVATE_MANAGER');
CREATE TYPE "StaffViewBlockCause" AS ENUM ('STOPPED', 'DECLINED');

ALTER TABLE "Customer" ADD COLUMN "timeZone" TEXT;

ALTER TABLE "ImpersonationSession" ADD COLUMN "customerMessage" TEXT;
ALTER TABLE "ImpersonationSession" ADD COLUMN "tamperIncidents" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "NotificationOutbox" ALTER COLUMN "sessionId" DROP NOT NULL;
ALTER TABLE "NotificationOutbox" ADD COLUMN "requestId" TEXT;
CREATE UNIQUE INDEX "NotificationOutbox_requestId_notice_channel_key" ON "NotificationOutbox"("requestId", "notice", "channel");
ALTER TABLE "NotificationOutbox" ADD CONSTRAINT "NotificationOutbox_requestId_fkey"
  FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- A notice is about exactly one thing: a session or a request.
ALTER TABLE "NotificationOutbox" ADD CONSTRAINT "NotificationOutbox_about_one"
  CHECK (("sessionId" IS NULL) <> ("requestId" IS NULL));

CREATE TABLE "GovernanceRequest" (
    "id" TEXT NOT NULL,
    "kind" "GovernanceChangeKind" NOT NULL,
    "customerId" TEXT,
    "targetStaffId" TEXT,
    "reason" TEXT NOT NULL,
    "requestedByStaffId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "coolingOffUntil" TIMESTAMP(3),
    "approvedAt" TIMESTAMP(3),
    "approvedByStaffId" TEXT,
    "declinedAt" TIMESTAMP(3),
    "declinedByStaffId" TEXT,
    "declineNote" TEXT,
    "cancelledAt" TIMESTAMP(3),
    "expiredAt" TIMESTAMP(3),

    CONSTRAINT "GovernanceRequest_pkey" PRIMARY KEY ("id"),
    -- The approver is never the requester, except a single-manager salon's confirmation after its
    -- cooling-off period (checked in access/governance.ts, which also records which it was).
    CONSTRAINT "GovernanceRequest_target" CHECK (("customerId" IS NOT NULL) OR ("targetStaffId" IS NOT NULL) OR ("kind" = 'ENABLE_STAFF_VIEWS'))
);
CREATE INDEX "GovernanceRequest_createdAt_idx" ON "GovernanceRequest"("createdAt");
CREATE INDEX "GovernanceRequest_customerId_createdAt_idx" ON "GovernanceRequest"("customerId", "createdAt");
CREATE INDEX "GovernanceRequest_targetStaffId_createdAt_idx" ON "GovernanceRequest"("targetStaffId", "createdAt");
ALTER TABLE "GovernanceRequest" ADD CONSTRAINT "GovernanceRequest_customerId_fkey"
  FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "GovernanceRequest" ADD CONSTRAINT "GovernanceRequest_targetStaffId_fkey"
  FOREIGN KEY ("targetStaffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "GovernanceRequest" ADD CONSTRAINT "GovernanceRequest_requestedByStaffId_fkey"
  FOREIGN KEY ("requestedByStaffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "GovernanceRequest" ADD CONSTRAINT "GovernanceRequest_approvedByStaffId_fkey"
  FOREIGN KEY ("approvedByStaffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "GovernanceRequest" ADD CONSTRAINT "GovernanceRequest_declinedByStaffId_fkey"
  FOREIGN KEY ("declinedByStaffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "StaffViewBlock" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "cause" "StaffViewBlockCause" NOT NULL,
    "sessionId" TEXT,
    "requestId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "until" TIMESTAMP(3) NOT NULL,
    "liftedAt" TIMESTAMP(3),

    CONSTRAINT "StaffViewBlock_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "StaffViewBlock_customerId_staffId_until_idx" ON "StaffViewBlock"("customerId", "staffId", "until");
ALTER TABLE "StaffViewBlock" ADD CONSTRAINT "StaffViewBlock_customerId_fkey"
  FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "StaffViewBlock" ADD CONSTRAINT "StaffViewBlock_staffId_fkey"
  FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "StaffViewBlock" ADD CONSTRAINT "StaffViewBlock_sessionId_fkey"
  FOREIGN KEY ("sessionId") REFERENCES "ImpersonationSession"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "StaffViewBlock" ADD CONSTRAINT "StaffViewBlock_requestId_fkey"
  FOREIGN KEY ("requestId") REFERENCES "AccessRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;
