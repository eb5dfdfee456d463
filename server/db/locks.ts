// Every PostgreSQL advisory-lock key the app takes, in one registry, so no two features collide and
// a reader finds what each key guards. SQL that cannot import this (migrations) names the entry.

/** Advisory-lock keys (the first of a two-key lock where a second key is given). */
export const AdvisoryLock = {
  /** Session lock held while migrations run (server/db/migrate.ts): concurrent starts apply them once. */
  Migrations: 727_100_001,
  /**
   * Transaction lock of the single audit hash chain, per schema (append_audit_event, migrations
   * 0003-0007). Since migration 0010 appends lock their shard's AuditChainHead row instead; the
   * migration takes this lock once, to wait for an old instance's last append.
   */
  AuditChain: 727_100_002,
  /** Transaction lock serializing bookings and reschedules so two cannot take one slot. */
  AppointmentSlots: 727_100_003,
  /** Transaction lock of the audit checkpoint chain, per schema (server/audit/checkpoints.ts). */
  AuditCheckpoints: 727_100_004,
  /** Transaction lock of the audit maintenance job, per schema: one instance at a time (server/audit/retention/job.ts). */
  AuditMaintenance: 727_100_005,
} as const;
