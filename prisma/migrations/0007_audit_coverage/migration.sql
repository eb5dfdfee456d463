-- Audit coverage (SPEC 4): staff directory searches, staff sign-ins and administrative actions get
-- their own actions; PARTIAL records an operation that was served in part; `seen` holds what a
-- record saw (field paths, the ids of portal records served, refused paths, a change's before and
-- after). ADD VALUE runs inside the migration's transaction; the new values are used only later.
ALTER TYPE "AuditAction" ADD VALUE 'DIRECTORY_SEARCH';
ALTER TYPE "AuditAction" ADD VALUE 'STAFF_SIGNED_IN';
ALTER TYPE "AuditAction" ADD VALUE 'STAFF_SIGN_IN_FAILED';
ALTER TYPE "AuditAction" ADD VALUE 'STAFF_SIGNED_OUT';
ALTER TYPE "AuditAction" ADD VALUE 'STAFF_UPDATED';
ALTER TYPE "AuditAction" ADD VALUE 'CUSTOMER_STATUS_CHANGED';
ALTER TYPE "AuditOutcome" ADD VALUE 'PARTIAL';

ALTER TABLE "AuditEvent" ADD COLUMN "seen" jsonb;

CREATE OR REPLACE FUNCTION append_audit_event(entry jsonb, content text) RETURNS bigint AS $$
DECLARE
  previous text;
  appended bigint;
BEGIN
  -- One chain per schema: test schemas sharing a database do not wait on each other.
  -- The key is AdvisoryLock.AuditChain in server/db/locks.ts.
  PERFORM pg_advisory_xact_lock(727100002, hashtext(current_schema()));
  SELECT hash INTO previous FROM "AuditEvent" ORDER BY id DESC LIMIT 1;
  previous := coalesce(previous, repeat('0', 64));
  INSERT INTO "AuditEvent" (
    "createdAt", action, outcome, "staffId", "customerId", "sessionId", "operationName", "operationType",
    "rootFields", variables, "errorCode", reason, "requestId", ip, "userAgent", seen, "prevHash", hash
  ) VALUES (
    (entry->>'createdAt')::timestamp(3), (entry->>'action')::"AuditAction", (entry->>'outcome')::"AuditOutcome",
    entry->>'staffId', entry->>'customerId', entry->>'sessionId', entry->>'operationName', entry->>'operationType',
    ARRAY(SELECT jsonb_array_elements_text(entry->'rootFields')), NULLIF(entry->'variables', 'null'::jsonb),
    entry->>'errorCode', entry->>'reason', entry->>'requestId', entry->>'ip', entry->>'userAgent',
    NULLIF(entry->'seen', 'null'::jsonb), previous, encode(sha256(convert_to(previous || content, 'UTF8')), 'hex')
  ) RETURNING id INTO appended;
  RETURN appended;
END;
$$ LANGUAGE plpgsql;
