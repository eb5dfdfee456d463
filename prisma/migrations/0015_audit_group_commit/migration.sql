-- Group commit for audit appends (issue 13, target 3). An app instance gathers the records that
-- arrive while its previous appends are in flight and writes them with one call of
-- append_audit_events: one statement, one transaction, one WAL flush for the whole batch instead
-- of one per record (server/audit/group-commit.ts). Each record is appended exactly as a single
-- append_audit_event call would (migration 0010): same shard chains, same hashes, same live check,
-- so the verifier and the signed checkpoints are unchanged.
--
-- The heads of every shard the batch touches are locked first, in shard order: two batches (or a
-- batch and a single append, which locks one head) then never wait for each other in a cycle.
-- Within the batch, records are appended in array order, so a session's records keep their order.
-- Returns one id per record, NULL where the record's live_sign_in was no longer live (nothing is
-- written for it; the caller refuses that operation, the other records are unaffected).
CREATE FUNCTION append_audit_events(entries jsonb[], contents text[], chains smallint[], live_sign_ins text[])
RETURNS bigint[] AS $$
DECLARE
  ids bigint[] := '{}';
  i integer;
BEGIN
  IF cardinality(entries) IS DISTINCT FROM cardinality(contents)
     OR cardinality(entries) IS DISTINCT FROM cardinality(chains)
     OR cardinality(entries) IS DISTINCT FROM cardinality(live_sign_ins) THEN
    RAISE EXCEPTION 'append_audit_events: arrays of different lengths' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  PERFORM 1 FROM "AuditChainHead" WHERE "shard" = ANY (chains) ORDER BY "shard" FOR UPDATE;
  FOR i IN 1 .. coalesce(cardinality(entries), 0) LOOP
    ids := array_append(ids, append_audit_event(entries[i], contents[i], chains[i], live_sign_ins[i]));
  END LOOP;
  RETURN ids;
END;
$$ LANGUAGE plpgsql;

-- As migration 0006: only the role the app writes with may append.
REVOKE EXECUTE ON FUNCTION append_audit_events(jsonb[], text[], smallint[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION append_audit_events(jsonb[], text[], smallint[], text[]) TO CURRENT_USER;
