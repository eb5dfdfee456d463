-- The audit log's export (server/audit/export.ts) is an administrative action of its own: a
-- manager took a copy of the log, with the filter used. ADD VALUE runs inside the migration's
-- transaction; the new value is used only later.
ALTER TYPE "AuditAction" ADD VALUE 'AUDIT_EXPORTED';
