-- Masked until revealed (issue 23, item 3): in a staff view, fields declared sensitive for staff
-- come masked (schema/staff-masks.ts); a reveal opens one field of one record for the rest of that
-- view, with a reason the customer reads in her access log. One row per view, field and record.
CREATE TYPE "StaffViewMaskedField" AS ENUM ('PET_HEALTH_ALERTS', 'PET_GROOMING_NOTES', 'CARD_LAST4', 'CARD_EXPIRY', 'INVOICE_PAID_WITH', 'MESSAGE_BODY', 'CUSTOMER_ADDRESS');

CREATE TABLE "StaffViewReveal" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "field" "StaffViewMaskedField" NOT NULL,
    "recordId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffViewReveal_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "StaffViewReveal_sessionId_field_recordId_key" ON "StaffViewReveal"("sessionId", "field", "recordId");

ALTER TABLE "StaffViewReveal" ADD CONSTRAINT "StaffViewReveal_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "ImpersonationSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TYPE "AuditAction" ADD VALUE 'STAFF_VIEW_FIELD_REVEALED';
