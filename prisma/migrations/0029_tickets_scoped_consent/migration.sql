-- A ticket for every view, and scoped consent (issue 23, items 4-5).
-- A start names its case/ticket id (impersonation/ticket.ts: TICKET_PATTERN, TICKET_REQUIRED): kept
-- on the session (Active sessions, the banner, the audit's filter) and on a request it became (the
-- second manager reads it). Views and requests from before this migration have none.
ALTER TABLE "ImpersonationSession" ADD COLUMN "ticket" TEXT;
ALTER TABLE "AccessRequest" ADD COLUMN "ticket" TEXT;

-- The audit browser finds a ticket's sessions by this index (audit/filter.ts).
CREATE INDEX "ImpersonationSession_ticket_startedAt_idx" ON "ImpersonationSession"("ticket", "startedAt");

-- A customer's grant carries the sections it allows (access/policy.ts: a start within it needs nothing
-- more). Grants from before this migration allowed the whole portal, so that is their default.
ALTER TABLE "AccessGrant"
    ADD COLUMN "scope" "PortalSection"[] DEFAULT ARRAY['WHOLE_PORTAL']::"PortalSection"[];
