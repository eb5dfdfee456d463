-- Who last removed a manager (deactivated or demoted an active one), and when (issue 21): a manager
-- who removed the other managers cannot then confirm alone, after the one-manager cooling-off
-- period, a change the removed managers would have had to approve (access/governance-policy.ts).
ALTER TABLE "Staff" ADD COLUMN "managerRemovedAt" TIMESTAMP(3);
ALTER TABLE "Staff" ADD COLUMN "managerRemovedById" TEXT;
CREATE INDEX "Staff_managerRemovedById_managerRemovedAt_idx" ON "Staff"("managerRemovedById", "managerRemovedAt");
