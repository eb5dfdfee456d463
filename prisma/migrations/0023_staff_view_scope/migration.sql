-- Scoped staff views (issue 23, items 1-2): a staff view reads only the portal sections it names,
-- or the whole portal with a stated need. Views and requests from before this migration were whole
-- portal views, so that is their default; new starts always name their scope (impersonation/scope.ts).
-- Nullable like every Prisma scalar list; an empty or null scope reads no section (default-deny).
CREATE TYPE "PortalSection" AS ENUM ('APPOINTMENTS', 'PETS', 'REPORT_CARDS', 'BILLING', 'MESSAGES', 'SETTINGS', 'WHOLE_PORTAL');

ALTER TABLE "ImpersonationSession"
    ADD COLUMN "scope" "PortalSection"[] DEFAULT ARRAY['WHOLE_PORTAL']::"PortalSection"[],
    ADD COLUMN "scopeNeed" TEXT;

ALTER TABLE "AccessRequest"
    ADD COLUMN "scope" "PortalSection"[] DEFAULT ARRAY['WHOLE_PORTAL']::"PortalSection"[],
    ADD COLUMN "scopeNeed" TEXT;

ALTER TYPE "AuditAction" ADD VALUE 'SESSION_SCOPE_NARROWED';
