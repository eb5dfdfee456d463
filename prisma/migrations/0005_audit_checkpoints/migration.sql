-- Signed checkpoints of the audit hash chain (server/audit/checkpoints.ts): each names the last
-- record id, its hash, the record count and the previous checkpoint's signature, signed with a key
-- that is not in the database. Append-only like the log itself.
CREATE TABLE "AuditCheckpoint" (
    "id" BIGSERIAL NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "lastId" BIGINT NOT NULL,
    "headHash" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "prevSignature" TEXT,
    "signature" TEXT NOT NULL,
    "keyFingerprint" TEXT NOT NULL,

    CONSTRAINT "AuditCheckpoint_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "AuditCheckpoint_signature_key" ON "AuditCheckpoint"("signature");

CREATE FUNCTION append_only_table() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditCheckpoint_no_update_delete"
  BEFORE UPDATE OR DELETE ON "AuditCheckpoint"
  FOR EACH ROW EXECUTE FUNCTION append_only_table();

CREATE TRIGGER "AuditCheckpoint_no_truncate"
  BEFORE TRUNCATE ON "AuditCheckpoint"
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_table();
