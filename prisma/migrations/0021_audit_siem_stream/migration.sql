-- SIEM streaming (issue 22, item 5; server/audit/siem/): one row per stream (a syslog destination)
-- with what its receiver has acknowledged and who may send. Records are followed per shard: within a
-- shard, ids are given under the shard head's lock, so they commit in id order and a cursor per
-- shard never skips a record a slower transaction commits later (a single global id would).
-- "shards" is {"<shard>": {"lastId": "<id>", "count": <records>}}; checkpoints commit one at a time
-- under their advisory lock, so one id suffices for them. The lease (holder, until, on the
-- database's clock) lets one instance send at a time; every cursor move is fenced by it.
CREATE TABLE "AuditSiemStream" (
    "stream" TEXT NOT NULL,
    "shards" JSONB NOT NULL DEFAULT '{}',
    "checkpointId" BIGINT NOT NULL DEFAULT 0,
    "leaseHolder" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditSiemStream_pkey" PRIMARY KEY ("stream")
);

