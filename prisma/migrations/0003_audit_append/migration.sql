-- Appends one audit row to the hash chain in a single round trip: the chain lock is taken and
-- released inside the database, so it is held for one INSERT, not for four client round trips.
-- Each statement in PL/pgSQL takes a fresh snapshot, so the last hash is read after the lock.
-- `content` is the canonical JSON the application hashes (server/audit/chain.ts); the hash is
-- sha256(prevHash || content), exactly what verifyAuditChain recomputes.
CREATE FUNCTION append_audit_event(entry jsonb, content text) RETURNS bigint AS $$
DECLARE
  previous text;
  appended bigint;
BEGIN
  -- One chain per schema: test schemas sharing a database do not wait on each other.
  PERFORM pg_advisory_xact_lock(727100002, hashtext(current_schema()));
  SELECT hash INTO previous FROM "AuditEvent" ORDER BY id DESC LIMIT 1;
  previous := coalesce(previous, repeat('0', 64));
  INSERT INTO "AuditEvent" (
    "createdAt", action, outcome, "staffId", "customerId", "sessionId", "operationName", "operationType",
    "rootFields", variables, "errorCode", reason, "requestId", ip, "userAgent", "prevHash", hash
  ) VALUES (
    (entry->>'createdAt')::timestamp(3), entry->>'action', entry->>'outcome', entry->>'staffId', entry->>'customerId',
    entry->>'sessionId', entry->>'operationName', entry->>'operationType',
    ARRAY(SELECT jsonb_array_elements_text(entry->'rootFields')), NULLIF(entry->'variables', 'null'::jsonb),
    entry->>'errorCode', entry->>'reason', entry->>'requestId', entry->>'ip', entry->>'userAgent',
    previous, encode(sha256(convert_to(previous || content, 'UTF8')), 'hex')
  ) RETURNING id INTO appended;
  RETURN appended;
END;
$$ LANGUAGE plpgsql;
