-- Rules the database itself enforces, beyond what Prisma's schema language can say.

-- One active impersonation session per staff member (SPEC 3). An expired but not yet swept
-- session still counts until the sweeper or the next start marks it EXPIRED.
CREATE UNIQUE INDEX "ImpersonationSession_one_active_per_staff"
  ON "ImpersonationSession" ("staffId") WHERE "endedAt" IS NULL;

-- The audit log is append-only (SPEC 4): UPDATE, DELETE and TRUNCATE are refused.
CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditEvent_no_update_delete"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
