// Vitest setup of the runs through PgBouncer (bench/pgbouncer.ts; test/pgbouncer.vitest.config.ts).
// PgBouncer before 1.20 refuses the `options` startup parameter, with which the app's pool sets its
// schema (`-c search_path=…`, server/db/database.ts); told to ignore it (ignore_startup_parameters),
// it drops it, and every server connection keeps its role's default search_path. So an app on a
// schema of its own needs a role whose default search_path is that schema, which is what this
// setup gives each test schema: a connection asking for search_path "test_…" connects as a role of
// that name (created on PostgreSQL directly, `ALTER ROLE … SET search_path`, added to PgBouncer's
// auth_file, PgBouncer reloaded). PgBouncer pools per database and user, so each schema has its
// own server connections, in transaction mode as in session mode. bench/pgbouncer.ts drops the roles.
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const authFile = process.env.PGBOUNCER_AUTH_FILE;
const pgbouncerPid = Number(process.env.PGBOUNCER_PID);
const directUrl = process.env.PGBOUNCER_DIRECT_URL;
const bouncerUrl = process.env.DATABASE_URL;

/** Creates (once) the login role `schema` with that schema as its search_path, and makes PgBouncer know it. */
async function schemaRole(schema: string): Promise<void> {
  const direct = new pg.Client({ connectionString: directUrl });
  await direct.connect();
  try {
    await direct.query(
      `DO $$ BEGIN CREATE ROLE "${schema}" LOGIN SUPERUSER; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
    );
    await direct.query(`ALTER ROLE "${schema}" SET search_path = "${schema}"`);
  } finally {
    await direct.end();
  }
  appendFileSync(authFile!, `"${schema}" ""\n`);
  process.kill(pgbouncerPid, 'SIGHUP');
  for (let attempt = 0; ; attempt += 1) {
    const probe = new pg.Client({ connectionString: bouncerUrl, user: schema });
    try {
      await probe.connect();
      await probe.end();
      return;
    } catch (error) {
      if (attempt >= 50) throw error;
      await sleep(50);
    }
  }
}

if (authFile && pgbouncerPid && directUrl && bouncerUrl) {
  type Connectable = {
    connectionParameters: { user: string; options?: string };
    user: string;
    _connect(callback: (error?: Error) => void): void;
  };
  const proto = pg.Client.prototype as unknown as Connectable;
  const connect = proto._connect;
  const roles = new Map<string, Promise<void>>();
  proto._connect = function (this: Connectable, callback) {
    const schema = /search_path="([^"]+)"/.exec(this.connectionParameters.options ?? '')?.[1];
    if (!schema || schema === 'public') return connect.call(this, callback);
    let ready = roles.get(schema);
    if (!ready) roles.set(schema, (ready = schemaRole(schema)));
    this.connectionParameters.user = this.user = schema;
    ready.then(() => connect.call(this, callback), callback);
  };
}
