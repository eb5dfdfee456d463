-- Periodic access reviews (issue 24, item 3): every ACCESS_REVIEW_INTERVAL_DAYS a review lists the
-- managers who may view customers, with their views since the last review; another manager confirms
-- or removes each; unanswered by the deadline, the right is suspended (Staff.viewRightSuspendedAt)
-- until a reviewer confirms it (server/access/reviews.ts). One review per period: "sequence" is unique.
CREATE TYPE "AccessReviewDecision" AS ENUM ('CONFIRMED', 'REMOVED', 'SUSPENDED', 'NO_REVIEWER');

ALTER TYPE "AuditAction" ADD VALUE 'ACCESS_REVIEW_OPENED';
ALTER TYPE "AuditAction" ADD VALUE 'ACCESS_REVIEW_CONFIRMED';
ALTER TYPE "AuditAction" ADD VALUE 'ACCESS_REVIEW_REMOVED';
ALTER TYPE "AuditAction" ADD VALUE 'ACCESS_REVIEW_UNANSWERED';

-- Since when reviews run: the first review opens one interval after this (an upgraded salon is not
-- reviewed on the day of the upgrade; a new one sets it at its first start, access/reviews.ts).
ALTER TABLE "SalonSettings" ADD COLUMN "accessReviewsSince" TIMESTAMP(3);
UPDATE "SalonSettings" SET "accessReviewsSince" = CURRENT_TIMESTAMP;

ALTER TABLE "Staff" ADD COLUMN "viewRightSuspendedAt" TIMESTAMP(3);
ALTER TABLE "Staff" ADD COLUMN "viewRightSuspendedItemId" TEXT;

CREATE TABLE "AccessReview" (
    "id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "periodStart" TIMESTAMP(3),
    "openedAt" TIMESTAMP(3) NOT NULL,
    "deadlineAt" TIMESTAMP(3) NOT NULL,
    "deadlinePassedAt" TIMESTAMP(3),

    CONSTRAINT "AccessReview_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "AccessReview_sequence_key" ON "AccessReview"("sequence");
CREATE INDEX "AccessReview_openedAt_idx" ON "AccessReview"("openedAt");

CREATE TABLE "AccessReviewItem" (
    "id" TEXT NOT NULL,
    "reviewId" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "views" INTEGER NOT NULL,
    "protectedViews" INTEGER NOT NULL,
    "breakGlassUses" INTEGER,
    "decision" "AccessReviewDecision",
    "decidedAt" TIMESTAMP(3),
    "decidedByStaffId" TEXT,
    "note" TEXT,

    CONSTRAINT "AccessReviewItem_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "AccessReviewItem_reviewId_staffId_key" ON "AccessReviewItem"("reviewId", "staffId");
CREATE INDEX "AccessReviewItem_staffId_idx" ON "AccessReviewItem"("staffId");
ALTER TABLE "AccessReviewItem" ADD CONSTRAINT "AccessReviewItem_reviewId_fkey"
  FOREIGN KEY ("reviewId") REFERENCES "AccessReview"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "AccessReviewItem" ADD CONSTRAINT "AccessReviewItem_staffId_fkey"
  FOREIGN KEY ("staffId") REFERENCES "Staff"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "AccessReviewItem" ADD CONSTRAINT "AccessReviewItem_decidedByStaffId_fkey"
  FOREIGN KEY ("decidedByStaffId") REFERENCES "Staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
