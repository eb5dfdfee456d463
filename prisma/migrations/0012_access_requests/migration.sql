-- Consent and four-eyes (SPEC 7): a customer's staff-access preference and time-boxed grants, a
-- protected flag on customers, access requests (a start waiting for the customer and/or a second
-- manager), the approver on the session, and their audit actions. ADD VALUE runs inside the
-- migration's transaction; the new values are used only later.
ALTER TYPE "AuditAction" ADD VALUE 'ACCESS_REQUEST_CREATED';
ALTER TYPE "AuditAction" ADD VALUE 'ACCESS_REQUEST_APPROVED';
ALTER TYPE "AuditAction" ADD VALUE 'ACCESS_REQUEST_DECLINED';
ALTER TYPE "AuditAction" ADD VALUE 'ACCESS_REQUEST_EXPIRED';
ALTER TYPE "AuditAction" ADD VALUE 'STAFF_ACCESS_PREFERENCE_CHANGED';
ALTER TYPE "AuditAction" ADD VALUE 'ACCESS_GRANTED';
ALTER TYPE "AuditAction" ADD VALUE 'ACCESS_GRANT_REVOKED';
ALTER TYPE "AuditAction" ADD VALUE 'CUSTOMER_PROTECTION_CHANGED';

CREATE TYPE "StaffAccessPreference" AS ENUM ('FREELY', 'ASK_FIRST');

ALTER TABLE "Customer" ADD COLUMN "staffAccess" "StaffAccessPreference" NOT NULL DEFAULT 'FREELY',
    ADD COLUMN "protected" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "ImpersonationSession" ADD COLUMN "approvedByStaffId" TEXT;
ALTER TABLE "ImpersonationSession" ADD CONSTRAINT "ImpersonationSession_approvedByStaffId_fkey" FOREIGN KEY ("approvedByStaffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "AccessGrant" (
    "id" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "AccessGrant_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "AccessGrant_customerId_expiresAt_idx" ON "AccessGrant"("customerId", "expiresAt");
ALTER TABLE "AccessGrant" ADD CONSTRAINT "AccessGrant_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "AccessRequest" (
    "id" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "needsCustomer" BOOLEAN NOT NULL,
    "needsManager" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "customerApprovedAt" TIMESTAMP(3),
    "grantId" TEXT,
    "managerApprovedAt" TIMESTAMP(3),
    "approvedByStaffId" TEXT,
    "declinedAt" TIMESTAMP(3),
    "declinedByStaffId" TEXT,
    "expiredAt" TIMESTAMP(3),
    "sessionId" TEXT,

    CONSTRAINT "AccessRequest_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "AccessRequest_grantId_key" ON "AccessRequest"("grantId");
CREATE UNIQUE INDEX "AccessRequest_sessionId_key" ON "AccessRequest"("sessionId");
CREATE INDEX "AccessRequest_customerId_createdAt_idx" ON "AccessRequest"("customerId", "createdAt");
CREATE INDEX "AccessRequest_staffId_customerId_idx" ON "AccessRequest"("staffId", "customerId");
CREATE INDEX "AccessRequest_expiredAt_expiresAt_idx" ON "AccessRequest"("expiredAt", "expiresAt");
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_grantId_fkey" FOREIGN KEY ("grantId") REFERENCES "AccessGrant"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_approvedByStaffId_fkey" FOREIGN KEY ("approvedByStaffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_declinedByStaffId_fkey" FOREIGN KEY ("declinedByStaffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "ImpersonationSession"("id") ON DELETE SET NULL ON UPDATE CASCADE;
