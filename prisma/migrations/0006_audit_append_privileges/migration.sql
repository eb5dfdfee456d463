-- Only the role the app writes with may append to the audit chain. PostgreSQL grants EXECUTE on a
-- new function to PUBLIC, so any role able to connect could append a well-linked forged record.
-- The owner keeps EXECUTE; README "Database roles" shows how a production install grants it to a
-- separate app role. On PGlite (one superuser) this changes nothing and is harmless.
REVOKE EXECUTE ON FUNCTION append_audit_event(jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION append_audit_event(jsonb, text) TO CURRENT_USER;
