-- Partitioned audit chains (issue 13, target 3). One chain lock serialized every audit write of
-- the fleet; now the log is N hash chains ("shards", server/audit/chain.ts picks one per record),
-- each with its own head row in "AuditChainHead". An append locks only its shard's head row, so
-- writers on different shards do not wait for each other. Ids stay global (one sequence) and
-- reading stays in id order; within a shard, ids grow along the chain (the id is drawn while the
-- head row is locked). Records written before this migration are shard 0: the old single chain
-- is shard 0's beginning and shard 0 goes on from its last hash, so existing data keeps verifying.

-- An old instance still running during the deploy appends under the old chain lock: wait for it,
-- so the head below is the real last record (ALTER TABLE then blocks further inserts).
SELECT pg_advisory_xact_lock(727100002, hashtext(current_schema()));

-- A constant default adds the column without rewriting the table (no UPDATE trigger fires).
ALTER TABLE "AuditEvent" ADD COLUMN "shard" SMALLINT NOT NULL DEFAULT 0;

CREATE TABLE "AuditChainHead" (
    "shard" SMALLINT NOT NULL,
    "lastId" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "AuditChainHead_pkey" PRIMARY KEY ("shard")
);

-- 32 shards (AUDIT_SHARDS in server/audit/chain.ts); a shard beyond them gets its head on first use.
INSERT INTO "AuditChainHead" ("shard", "lastId", "hash", "count")
  SELECT shard, 0, repeat('0', 64), 0 FROM generate_series(0, 31) AS shard;
UPDATE "AuditChainHead" SET "lastId" = legacy.id, "hash" = legacy.hash,
    "count" = (SELECT count(*) FROM "AuditEvent")
  FROM (SELECT id, hash FROM "AuditEvent" ORDER BY id DESC LIMIT 1) AS legacy
  WHERE "AuditChainHead"."shard" = 0;

-- A v2 checkpoint signs every shard head: [[shard, lastId, headHash, count], ...]. Null for the
-- checkpoints signed before (v1: the single chain, i.e. shard 0).
ALTER TABLE "AuditCheckpoint" ADD COLUMN "shards" JSONB;

DROP FUNCTION append_audit_event(jsonb, text);

-- Appends one record to shard `chain` in one round trip. With `live_sign_in`, the record is
-- written only if that impersonation sign-in is still live at the database's now(): sign-in not
-- revoked or expired, session not ended or expired, staff member an active manager, customer
-- active (policy.ts `isLive`, as SQL). Otherwise nothing is written and NULL is returned: the
-- caller refuses the operation (server/audit/use-audit.ts). Each statement of a PL/pgSQL function
-- takes a fresh snapshot, so the head is read after its lock. Columns are UTC timestamps.
CREATE FUNCTION append_audit_event(entry jsonb, content text, chain smallint DEFAULT 0, live_sign_in text DEFAULT NULL)
RETURNS bigint AS $$
DECLARE
  utc_now timestamp(3) := now() AT TIME ZONE 'UTC';
  previous text;
  appended bigint;
  linked text;
BEGIN
  IF live_sign_in IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM "AuthSession" sign_in
      JOIN "ImpersonationSession" session ON session.id = sign_in."impersonationSessionId"
      JOIN "Staff" actor ON actor.id = session."staffId"
      JOIN "Customer" subject ON subject.id = session."customerId"
     WHERE sign_in.id = live_sign_in AND sign_in."revokedAt" IS NULL AND sign_in."expiresAt" > utc_now
       AND session."endedAt" IS NULL AND session."expiresAt" > utc_now
       AND actor.active AND actor.role = 'MANAGER' AND subject.status = 'ACTIVE'
  ) THEN
    RETURN NULL;
  END IF;
  IF chain < 0 OR chain > 1023 THEN
    RAISE EXCEPTION 'audit shard % out of range', chain USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT hash INTO previous FROM "AuditChainHead" WHERE "shard" = chain FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO "AuditChainHead" ("shard", "lastId", "hash", "count") VALUES (chain, 0, repeat('0', 64), 0)
      ON CONFLICT DO NOTHING;
    SELECT hash INTO previous FROM "AuditChainHead" WHERE "shard" = chain FOR UPDATE;
  END IF;
  INSERT INTO "AuditEvent" (
    "createdAt", action, outcome, "staffId", "customerId", "sessionId", "operationName", "operationType",
    "rootFields", variables, "errorCode", reason, "requestId", ip, "userAgent", seen, "shard", "prevHash", hash
  ) VALUES (
    (entry->>'createdAt')::timestamp(3), (entry->>'action')::"AuditAction", (entry->>'outcome')::"AuditOutcome",
    entry->>'staffId', entry->>'customerId', entry->>'sessionId', entry->>'operationName', entry->>'operationType',
    ARRAY(SELECT jsonb_array_elements_text(entry->'rootFields')), NULLIF(entry->'variables', 'null'::jsonb),
    entry->>'errorCode', entry->>'reason', entry->>'requestId', entry->>'ip', entry->>'userAgent',
    NULLIF(entry->'seen', 'null'::jsonb), chain, previous, encode(sha256(convert_to(previous || content, 'UTF8')), 'hex')
  ) RETURNING id, hash INTO appended, linked;
  UPDATE "AuditChainHead" SET "lastId" = appended, hash = linked, "count" = "count" + 1 WHERE "shard" = chain;
  RETURN appended;
END;
$$ LANGUAGE plpgsql;

-- As migration 0006: only the role the app writes with may append.
REVOKE EXECUTE ON FUNCTION append_audit_event(jsonb, text, smallint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION append_audit_event(jsonb, text, smallint, text) TO CURRENT_USER;

-- The heads move only through append_audit_event; nobody deletes or truncates one (a missing head
-- would restart its shard at the genesis hash).
CREATE FUNCTION audit_chain_head_guard() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditChainHead rows are never removed: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditChainHead_no_delete"
  BEFORE DELETE ON "AuditChainHead"
  FOR EACH ROW EXECUTE FUNCTION audit_chain_head_guard();

CREATE TRIGGER "AuditChainHead_no_truncate"
  BEFORE TRUNCATE ON "AuditChainHead"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_guard();
