-- Audit actions and outcomes become database enums: one definition (prisma/schema.prisma) shared
-- by the database, the GraphQL schema (Pothos exposes the Prisma enums) and the client (codegen).
-- Changing a column's type rewrites the table without firing the append-only trigger.
CREATE TYPE "AuditAction" AS ENUM (
  'SESSION_STARTED', 'SESSION_EXTENDED', 'SESSION_ENDED', 'SESSION_EXPIRED', 'SESSION_TERMINATED', 'SESSION_REVOKED',
  'OPERATION'
);
CREATE TYPE "AuditOutcome" AS ENUM ('ALLOWED', 'DENIED');

ALTER TABLE "AuditEvent"
  ALTER COLUMN "action" TYPE "AuditAction" USING "action"::"AuditAction",
  ALTER COLUMN "outcome" TYPE "AuditOutcome" USING "outcome"::"AuditOutcome";

CREATE OR REPLACE FUNCTION append_audit_event(entry jsonb, content text) RETURNS bigint AS $$
DECLARE
  previous text;
  appended bigint;
BEGIN
  -- One chain per schema: test schemas sharing a database do not wait on each other.
  -- The key is AUDIT_CHAIN in server/db/locks.ts.
  PERFORM pg_advisory_xact_lock(727100002, hashtext(current_schema()));
  SELECT hash INTO previous FROM "AuditEvent" ORDER BY id DESC LIMIT 1;
  previous := coalesce(previous, repeat('0', 64));
  INSERT INTO "AuditEvent" (
    "createdAt", action, outcome, "staffId", "customerId", "sessionId", "operationName", "operationType",
    "rootFields", variables, "errorCode", reason, "requestId", ip, "userAgent", "prevHash", hash
  ) VALUES (
    (entry->>'createdAt')::timestamp(3), (entry->>'action')::"AuditAction", (entry->>'outcome')::"AuditOutcome",
    entry->>'staffId', entry->>'customerId', entry->>'sessionId', entry->>'operationName', entry->>'operationType',
    ARRAY(SELECT jsonb_array_elements_text(entry->'rootFields')), NULLIF(entry->'variables', 'null'::jsonb),
    entry->>'errorCode', entry->>'reason', entry->>'requestId', entry->>'ip', entry->>'userAgent',
    previous, encode(sha256(convert_to(previous || content, 'UTF8')), 'hex')
  ) RETURNING id INTO appended;
  RETURN appended;
END;
$$ LANGUAGE plpgsql;
