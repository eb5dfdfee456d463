// Which audit log a checkpoint belongs to. Every line a sink holds names its log: the database
// cluster's system identifier, the database, the schema and the fingerprint of the key that signed
// the log's first checkpoint (kept across key rotation), so a folder shared by two logs (two test
// databases, two deployments with one DATA_DIR parent) is read as two streams, not as a mismatch.
import type { Queryable } from './checkpoint-table.ts';

/** The name of one audit log, as each sink line carries it. */
export interface AuditLogName {
  /** `pg_control_system().system_identifier`: one per PostgreSQL cluster (or PGlite data folder). */
  system: string;
  database: string;
  schema: string;
  /** The fingerprint of the key that signed the first checkpoint (the current key before there is one). */
  key: string;
}

/** The cluster's system identifier; `unknown` where the function is not allowed. */
async function systemIdentifier(db: Queryable): Promise<string> {
  try {
    const { rows } = await db.query<{ system: string }>(
      'SELECT system_identifier::text AS system FROM pg_control_system()',
    );
    return rows[0]?.system ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The name of the log in `db`; `currentKey` names the key while the log has no checkpoint yet. */
export async function readLogName(db: Queryable, currentKey: string): Promise<AuditLogName> {
  const { rows } = await db.query<{ database: string; schema: string; key: string | null }>(
    `SELECT current_database() AS database, current_schema() AS schema,
       (SELECT "keyFingerprint" FROM "AuditCheckpoint" ORDER BY "AuditCheckpoint".id LIMIT 1) AS key`,
  );
  const row = rows[0]!;
  return { system: await systemIdentifier(db), database: row.database, schema: row.schema, key: row.key ?? currentKey };
}

/** Whether a line names this log; a line without a name (written before names) is taken as this log's. */
export const namesLog = (line: { log?: AuditLogName | null }, log: AuditLogName) =>
  !line.log ||
  (line.log.system === log.system &&
    line.log.database === log.database &&
    line.log.schema === log.schema &&
    line.log.key === log.key);

/** The log's name for a message. */
export const describeLog = (log: AuditLogName) =>
  `${log.database}/${log.schema} of cluster ${log.system}, key ${log.key}`;
