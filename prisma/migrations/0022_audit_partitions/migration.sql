-- The audit log partitioned by month (issue 22, retention): "AuditEvent" becomes a table
-- PARTITION BY RANGE ("createdAt") with one partition per UTC month ("AuditEvent_YYYY_MM") and a
-- DEFAULT partition as a safety net. A month past AUDIT_RETENTION_MONTHS is archived as a signed
-- segment and then detached and dropped (server/audit/retention.ts): no DELETE, no append-only
-- trigger to bypass, seconds for a month of any size. Records keep their ids, hashes, shards and
-- links, so the chains and every signed checkpoint verify as before.
--
-- A unique constraint of a partitioned table must contain its partition key: the primary key
-- becomes (id, "createdAt") and the hash's uniqueness ("hash", "createdAt"). Ids still come from the
-- one sequence, so an id alone still names one record.
--
-- Existing records are copied into the new table (one INSERT ... SELECT; the old table is then
-- dropped, which fires no row trigger). On a large log this holds the table for the copy: run it in
-- a maintenance window, appends wait for it (the ACCESS EXCLUSIVE lock below) rather than fail.
LOCK TABLE "AuditEvent" IN ACCESS EXCLUSIVE MODE;

CREATE TABLE "AuditEvent_partitioned" (
    "id" BIGINT NOT NULL DEFAULT nextval('"AuditEvent_id_seq"'),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" "AuditAction" NOT NULL,
    "outcome" "AuditOutcome" NOT NULL,
    "staffId" TEXT,
    "customerId" TEXT,
    "sessionId" TEXT,
    "operationName" TEXT,
    "operationType" TEXT,
    "rootFields" TEXT[],
    "variables" JSONB,
    "errorCode" TEXT,
    "reason" TEXT,
    "requestId" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "seen" JSONB,
    "shard" SMALLINT NOT NULL DEFAULT 0,

    CONSTRAINT "AuditEvent_partitioned_pkey" PRIMARY KEY ("id", "createdAt")
) PARTITION BY RANGE ("createdAt");

CREATE TABLE "AuditEvent_default" PARTITION OF "AuditEvent_partitioned" DEFAULT;

-- Creates the partition of the month that starts at `month` (a UTC month's first day) unless it
-- exists; returns its name. Records the DEFAULT partition caught for that month are moved into it
-- (detached, moved, attached again), so a month that arrived before its partition is not stuck
-- there. Used below and by the maintenance job (server/audit/partitions.ts), which creates the
-- coming months ahead of time.
CREATE FUNCTION audit_event_partition(month date) RETURNS text AS $$
DECLARE
  name text := 'AuditEvent_' || to_char(month, 'YYYY_MM');
  since timestamp(3) := date_trunc('month', month)::timestamp(3);
  until timestamp(3) := (date_trunc('month', month) + interval '1 month')::timestamp(3);
  parent regclass;
BEGIN
  IF month <> date_trunc('month', month)::date THEN
    RAISE EXCEPTION 'audit_event_partition: % is not the first day of a month', month USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF to_regclass(quote_ident(current_schema()) || '.' || quote_ident(name)) IS NOT NULL THEN
    RETURN name;
  END IF;
  -- The partitioned table is the DEFAULT partition's parent (so this also runs inside this migration, before the rename).
  SELECT inhparent::regclass INTO parent FROM pg_inherits WHERE inhrelid = '"AuditEvent_default"'::regclass;
  IF EXISTS (SELECT 1 FROM "AuditEvent_default" WHERE "createdAt" >= since AND "createdAt" < until) THEN
    EXECUTE format('ALTER TABLE %s DETACH PARTITION "AuditEvent_default"', parent);
    EXECUTE format('CREATE TABLE %I (LIKE "AuditEvent_default" INCLUDING DEFAULTS)', name);
    EXECUTE format('INSERT INTO %I SELECT * FROM "AuditEvent_default" WHERE "createdAt" >= %L AND "createdAt" < %L', name, since, until);
    -- Detached, the DEFAULT partition has lost the parent's append-only row trigger: these rows now live in the month's partition.
    EXECUTE format('DELETE FROM "AuditEvent_default" WHERE "createdAt" >= %L AND "createdAt" < %L', since, until);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, name, since, until);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION "AuditEvent_default" DEFAULT', parent);
  ELSE
    EXECUTE format('CREATE TABLE %I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)', name, parent, since, until);
  END IF;
  RETURN name;
END;
$$ LANGUAGE plpgsql;

-- Every month that has records, through two months ahead (database time, UTC).
SELECT audit_event_partition(month::date)
  FROM generate_series(
    date_trunc('month', LEAST(coalesce((SELECT min("createdAt") FROM "AuditEvent"), now() AT TIME ZONE 'UTC'), now() AT TIME ZONE 'UTC')),
    date_trunc('month', now() AT TIME ZONE 'UTC') + interval '2 months',
    interval '1 month') AS month;

INSERT INTO "AuditEvent_partitioned" (
    "id", "createdAt", "action", "outcome", "staffId", "customerId", "sessionId", "operationName", "operationType",
    "rootFields", "variables", "errorCode", "reason", "requestId", "ip", "userAgent", "prevHash", "hash", "seen", "shard"
  )
  SELECT "id", "createdAt", "action", "outcome", "staffId", "customerId", "sessionId", "operationName", "operationType",
    "rootFields", "variables", "errorCode", "reason", "requestId", "ip", "userAgent", "prevHash", "hash", "seen", "shard"
  FROM "AuditEvent";

-- The sequence outlives the old table (it would be dropped with it) and belongs to the new one.
ALTER SEQUENCE "AuditEvent_id_seq" OWNED BY NONE;
DROP TABLE "AuditEvent";
ALTER TABLE "AuditEvent_partitioned" RENAME TO "AuditEvent";
ALTER TABLE "AuditEvent" RENAME CONSTRAINT "AuditEvent_partitioned_pkey" TO "AuditEvent_pkey";
ALTER SEQUENCE "AuditEvent_id_seq" OWNED BY "AuditEvent"."id";

-- The indexes of migrations 0011 and 0016 (each partition gets its own copy), and the hash's uniqueness.
CREATE UNIQUE INDEX "AuditEvent_hash_createdAt_key" ON "AuditEvent"("hash", "createdAt");
CREATE INDEX "AuditEvent_createdAt_id_idx" ON "AuditEvent"("createdAt", "id");
CREATE INDEX "AuditEvent_staffId_createdAt_id_outcome_action_idx" ON "AuditEvent"("staffId", "createdAt", "id", "outcome", "action");
CREATE INDEX "AuditEvent_customerId_createdAt_id_outcome_action_idx" ON "AuditEvent"("customerId", "createdAt", "id", "outcome", "action");
CREATE INDEX "AuditEvent_action_createdAt_id_outcome_idx" ON "AuditEvent"("action", "createdAt", "id", "outcome");
CREATE INDEX "AuditEvent_outcome_createdAt_id_action_idx" ON "AuditEvent"("outcome", "createdAt", "id", "action");
CREATE INDEX "AuditEvent_sessionId_action_outcome_idx" ON "AuditEvent"("sessionId", "action", "outcome");

-- The append-only guards of migration 0002: the row trigger is cloned to every partition; the
-- TRUNCATE trigger guards the table (a partition truncated by its own name needs the owner's rights:
-- partitions carry no grants, the app reads and appends through "AuditEvent").
CREATE TRIGGER "AuditEvent_no_update_delete"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();

-- Only the owner creates partitions (as migration 0006 for the append functions).
REVOKE EXECUTE ON FUNCTION audit_event_partition(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_event_partition(date) TO CURRENT_USER;

-- Legal holds, the records they keep past their month's drop, and the archived months.
ALTER TYPE "AuditAction" ADD VALUE 'AUDIT_LEGAL_HOLD_PLACED';
ALTER TYPE "AuditAction" ADD VALUE 'AUDIT_LEGAL_HOLD_RELEASED';
ALTER TYPE "AuditAction" ADD VALUE 'AUDIT_MONTH_ARCHIVED';
ALTER TYPE "AuditAction" ADD VALUE 'AUDIT_MONTH_DROPPED';

CREATE TABLE "AuditLegalHold" (
    "id" TEXT NOT NULL,
    "customerId" TEXT,
    "staffId" TEXT,
    "fromAt" TIMESTAMP(3),
    "untilAt" TIMESTAMP(3),
    "reason" TEXT NOT NULL,
    "placedByStaffId" TEXT NOT NULL,
    "placedAt" TIMESTAMP(3) NOT NULL,
    "releasedAt" TIMESTAMP(3),
    "releasedByStaffId" TEXT,
    "releaseReason" TEXT,

    CONSTRAINT "AuditLegalHold_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "AuditHeldEvent" (
    "id" BIGINT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "action" "AuditAction" NOT NULL,
    "outcome" "AuditOutcome" NOT NULL,
    "staffId" TEXT,
    "customerId" TEXT,
    "sessionId" TEXT,
    "operationName" TEXT,
    "operationType" TEXT,
    "rootFields" TEXT[],
    "variables" JSONB,
    "errorCode" TEXT,
    "reason" TEXT,
    "requestId" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "seen" JSONB,
    "shard" SMALLINT NOT NULL,
    "month" TEXT NOT NULL,

    CONSTRAINT "AuditHeldEvent_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "AuditHeldEvent_customerId_createdAt_idx" ON "AuditHeldEvent"("customerId", "createdAt");
CREATE INDEX "AuditHeldEvent_staffId_createdAt_idx" ON "AuditHeldEvent"("staffId", "createdAt");
-- Held copies are never edited; they are removed only by the retention job once no hold keeps them.
CREATE TRIGGER "AuditHeldEvent_no_update"
  BEFORE UPDATE ON "AuditHeldEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();

CREATE TABLE "AuditArchiveSegment" (
    "month" TEXT NOT NULL,
    "file" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "records" INTEGER NOT NULL,
    "firstId" BIGINT NOT NULL,
    "lastId" BIGINT NOT NULL,
    "manifest" JSONB NOT NULL,
    "archivedAt" TIMESTAMP(3) NOT NULL,
    "droppedAt" TIMESTAMP(3),
    "heldRecords" INTEGER,

    CONSTRAINT "AuditArchiveSegment_pkey" PRIMARY KEY ("month")
);
