-- External timestamps and key rotation of the audit checkpoints (issue 22, items 3 and 4).
--
-- "AuditCheckpointTimestamp": the RFC 3161 token a time-stamping authority (AUDIT_TSA_URL) gave for
-- a checkpoint, keyed by the checkpoint's id (server/audit/timestamps.ts). Written in the background
-- after the checkpoint commits, so a TSA that is down never holds the checkpoint writer. The token
-- is verified with the TSA's certificate (server/audit/timestamp-verify.ts); "genTime" is a copy
-- for reading, the verifier takes the one inside the token.
CREATE TABLE "AuditCheckpointTimestamp" (
    "checkpointId" BIGINT NOT NULL,
    "token" BYTEA NOT NULL,
    "genTime" TIMESTAMP(3) NOT NULL,
    "tsaUrl" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditCheckpointTimestamp_pkey" PRIMARY KEY ("checkpointId")
);

-- "AuditSigningKey": every key that has signed checkpoints, in the order they took over
-- (server/audit/key-ring.ts). A key signs the checkpoints with an id above "afterCheckpointId", up
-- to the next key's. Each row is signed by its own key and names the key before it, so the newest
-- public key an auditor holds vouches for every earlier one and for where each one's time ended.
CREATE TABLE "AuditSigningKey" (
    "id" BIGSERIAL NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "publicKeyPem" TEXT NOT NULL,
    "afterCheckpointId" BIGINT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "previousFingerprint" TEXT,
    "signature" TEXT NOT NULL,

    CONSTRAINT "AuditSigningKey_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "AuditSigningKey_fingerprint_key" ON "AuditSigningKey"("fingerprint");

-- Append-only like the checkpoints (append_only_table, migration 0005).
CREATE TRIGGER "AuditCheckpointTimestamp_no_update_delete"
  BEFORE UPDATE OR DELETE ON "AuditCheckpointTimestamp"
  FOR EACH ROW EXECUTE FUNCTION append_only_table();
CREATE TRIGGER "AuditCheckpointTimestamp_no_truncate"
  BEFORE TRUNCATE ON "AuditCheckpointTimestamp"
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_table();
CREATE TRIGGER "AuditSigningKey_no_update_delete"
  BEFORE UPDATE OR DELETE ON "AuditSigningKey"
  FOR EACH ROW EXECUTE FUNCTION append_only_table();
CREATE TRIGGER "AuditSigningKey_no_truncate"
  BEFORE TRUNCATE ON "AuditSigningKey"
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_table();
