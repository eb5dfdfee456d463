-- auditEvents with two equality filters (issue 13, target 4). Each filter's index leads with its
-- column and ends in ("createdAt", id); the columns after that are checked inside the index. The
-- action index lacked the outcome: "failed sign-ins that were ALLOWED" (none) walked the whole
-- ALLOWED range of the outcome index, ~960,000 entries at 1M records (31 ms); it now reads the
-- action's range (1 ms). The customer index lacked both, so customer + outcome or action read
-- every one of the customer's records from the table; it now matches the staff index. Replaced,
-- not added: the number of indexes an audit append maintains goes down by one.
-- Plain CREATE INDEX (see 0011): on a large existing log, create these CONCURRENTLY by hand first.
CREATE INDEX IF NOT EXISTS "AuditEvent_action_createdAt_id_outcome_idx" ON "AuditEvent"("action", "createdAt", "id", "outcome");
CREATE INDEX IF NOT EXISTS "AuditEvent_customerId_createdAt_id_outcome_action_idx" ON "AuditEvent"("customerId", "createdAt", "id", "outcome", "action");
DROP INDEX IF EXISTS "AuditEvent_action_createdAt_id_idx";
DROP INDEX IF EXISTS "AuditEvent_customerId_createdAt_id_idx";
-- A session's records (its timeline, its activity, the session filter) are read through
-- ("sessionId", action, outcome) and sorted: a session has tens to hundreds of records, so
-- ("sessionId", id) only cost every append an index entry.
DROP INDEX IF EXISTS "AuditEvent_sessionId_id_idx";
