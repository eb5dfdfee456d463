-- auditEvents lists newest first by ("createdAt", id) and its filters read an index that leads with
-- the filter column and ends in that order, so a page (and a time range, and a deep page after a
-- cursor) is a range of one index, wherever in time the matching records lie (issue 13, target 4).
-- They replace the (column, id) indexes, which nothing reads any more. Plain CREATE INDEX: the
-- migration runner wraps each migration in a transaction, where CONCURRENTLY is not allowed; on a
-- large existing log, create these CONCURRENTLY by hand first (same names) and this runs as a no-op.
CREATE INDEX IF NOT EXISTS "AuditEvent_createdAt_id_idx" ON "AuditEvent"("createdAt", "id");
-- The columns after id are for filtering, not ordering: a staff member's records with an outcome or
-- an action the staff member rarely has are found by checking index entries, not by reading records.
CREATE INDEX IF NOT EXISTS "AuditEvent_staffId_createdAt_id_outcome_action_idx" ON "AuditEvent"("staffId", "createdAt", "id", "outcome", "action");
CREATE INDEX IF NOT EXISTS "AuditEvent_customerId_createdAt_id_idx" ON "AuditEvent"("customerId", "createdAt", "id");
CREATE INDEX IF NOT EXISTS "AuditEvent_action_createdAt_id_idx" ON "AuditEvent"("action", "createdAt", "id");
CREATE INDEX IF NOT EXISTS "AuditEvent_outcome_createdAt_id_action_idx" ON "AuditEvent"("outcome", "createdAt", "id", "action");
-- auditSessions' outcome filter: does this session have an operation of this outcome (one probe).
CREATE INDEX IF NOT EXISTS "AuditEvent_sessionId_action_outcome_idx" ON "AuditEvent"("sessionId", "action", "outcome");

DROP INDEX IF EXISTS "AuditEvent_createdAt_idx";
DROP INDEX IF EXISTS "AuditEvent_staffId_id_idx";
DROP INDEX IF EXISTS "AuditEvent_customerId_id_idx";
DROP INDEX IF EXISTS "AuditEvent_action_id_idx";
DROP INDEX IF EXISTS "AuditEvent_outcome_id_idx";

-- auditSessions lists newest first by ("startedAt", id), also a staff member's (customers have few).
CREATE INDEX IF NOT EXISTS "ImpersonationSession_startedAt_id_idx" ON "ImpersonationSession"("startedAt", "id");
CREATE INDEX IF NOT EXISTS "ImpersonationSession_staffId_startedAt_id_idx" ON "ImpersonationSession"("staffId", "startedAt", "id");
