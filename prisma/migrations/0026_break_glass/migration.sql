-- Break-glass (issue 24, item 2): an emergency start that bypasses the customer's ask-first or
-- four-eyes when she cannot be reached (server/access/break-glass.ts). The session names its
-- emergency (it is never extended); one review row per use, answered by a different manager within
-- BREAK_GLASS_REVIEW_HOURS or escalated. (New enum values are not used in this transaction.)
CREATE TYPE "BreakGlassCategory" AS ENUM ('PET_HEALTH', 'SAFETY', 'ACCOUNT_SECURITY', 'LEGAL_OBLIGATION');
CREATE TYPE "BreakGlassDecision" AS ENUM ('APPROVE', 'FLAG');

ALTER TYPE "AuditAction" ADD VALUE 'BREAK_GLASS_REVIEWED';
ALTER TYPE "AuditAction" ADD VALUE 'BREAK_GLASS_ESCALATED';

ALTER TABLE "ImpersonationSession" ADD COLUMN "emergencyCategory" "BreakGlassCategory";

CREATE TABLE "BreakGlassReview" (
    "id" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "category" "BreakGlassCategory" NOT NULL,
    "justification" TEXT NOT NULL,
    "bypassedConsent" BOOLEAN NOT NULL,
    "bypassedFourEyes" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "reviewedAt" TIMESTAMP(3),
    "reviewerStaffId" TEXT,
    "decision" "BreakGlassDecision",
    "note" TEXT,
    "escalatedAt" TIMESTAMP(3),

    CONSTRAINT "BreakGlassReview_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "BreakGlassReview_sessionId_key" ON "BreakGlassReview"("sessionId");
CREATE INDEX "BreakGlassReview_reviewedAt_dueAt_idx" ON "BreakGlassReview"("reviewedAt", "dueAt");
ALTER TABLE "BreakGlassReview" ADD CONSTRAINT "BreakGlassReview_sessionId_fkey"
  FOREIGN KEY ("sessionId") REFERENCES "ImpersonationSession"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "BreakGlassReview" ADD CONSTRAINT "BreakGlassReview_reviewerStaffId_fkey"
  FOREIGN KEY ("reviewerStaffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
