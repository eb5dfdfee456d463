-- The staff view's marks (banner, border, watermark) were hidden or removed in the browser: the
-- client reports it through an exempt, rate-limited mutation, and the audit records it.
ALTER TYPE "AuditAction" ADD VALUE 'STAFF_VIEW_TAMPERED';
