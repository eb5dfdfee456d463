-- Customers' cached identities (issue 26, item 2): every change that can end or alter a customer's
-- sign-in is written here by the database itself, so no route (the app, a script, a DBA's UPDATE)
-- can skip it. Each change takes the next epoch under the one row's lock, held to commit, so
-- epochs commit in order: an instance that has read epoch N has seen every change up to N
-- (server/auth/revocation-fence.ts).
CREATE TABLE "IdentityEpoch" (
    "id" INTEGER NOT NULL,
    "epoch" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "IdentityEpoch_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "IdentityEpoch_one_row" CHECK ("id" = 1)
);
INSERT INTO "IdentityEpoch" ("id", "epoch") VALUES (1, 0);

CREATE TABLE "IdentityRevocation" (
    "epoch" BIGINT NOT NULL,
    "authSessionId" TEXT,
    "customerId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "IdentityRevocation_pkey" PRIMARY KEY ("epoch")
);
CREATE INDEX "IdentityRevocation_createdAt_idx" ON "IdentityRevocation"("createdAt");

CREATE FUNCTION identity_revoked(auth_session_id TEXT, customer_id TEXT) RETURNS void AS $$
DECLARE
    next_epoch BIGINT;
BEGIN
    UPDATE "IdentityEpoch" SET "epoch" = "epoch" + 1 WHERE "id" = 1 RETURNING "epoch" INTO next_epoch;
    INSERT INTO "IdentityRevocation" ("epoch", "authSessionId", "customerId") VALUES (next_epoch, auth_session_id, customer_id);
END;
$$ LANGUAGE plpgsql;

-- A customer's sign-in revoked, shortened, moved or deleted.
CREATE FUNCTION auth_session_identity_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD."kind" = 'CUSTOMER' THEN PERFORM identity_revoked(OLD."id", NULL); END IF;
        RETURN OLD;
    END IF;
    IF (OLD."kind" = 'CUSTOMER' OR NEW."kind" = 'CUSTOMER') AND (
        OLD."revokedAt" IS DISTINCT FROM NEW."revokedAt" OR OLD."expiresAt" IS DISTINCT FROM NEW."expiresAt"
        OR OLD."kind" IS DISTINCT FROM NEW."kind" OR OLD."customerId" IS DISTINCT FROM NEW."customerId"
        OR OLD."tokenHash" IS DISTINCT FROM NEW."tokenHash") THEN
        PERFORM identity_revoked(OLD."id", NULL);
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuthSession_identity_changed"
    AFTER UPDATE OR DELETE ON "AuthSession"
    FOR EACH ROW EXECUTE FUNCTION auth_session_identity_changed();

-- Any change of a customer's row (disabled, renamed, another time zone): her cached identities go.
CREATE FUNCTION customer_identity_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM identity_revoked(NULL, OLD."id");
        RETURN OLD;
    END IF;
    IF OLD IS DISTINCT FROM NEW THEN PERFORM identity_revoked(NULL, OLD."id"); END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Customer_identity_changed"
    AFTER UPDATE OR DELETE ON "Customer"
    FOR EACH ROW EXECUTE FUNCTION customer_identity_changed();
