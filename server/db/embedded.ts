// The embedded default database: PGlite (PostgreSQL compiled to WASM) kept in a data folder and
// served over the PostgreSQL wire protocol, so the app talks to it through the same `pg` driver
// and Prisma adapter it uses for a real PostgreSQL. pglite-socket has no authentication: whoever
// reaches the socket is the superuser and could, say, drop the audit triggers. So it listens on a
// Unix socket in a fresh private directory (0700, socket 0600), never on TCP: only processes of
// the app's own OS user can connect.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** The file name `pg` (libpq's convention) looks for in the socket directory on the default port. */
const SOCKET_FILE = '.s.PGSQL.5432';

/** A running embedded database. */
export interface EmbeddedDatabase {
  /** A `postgresql://` URL for the socket server (its `host` is the socket directory). */
  url: string;
  /** The directory holding the socket; private to this process's user, removed on stop. */
  socketDir: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite and its socket server on a Unix socket in a new private directory.
 * @param dataDir folder kept between runs (created 0700); omit for an in-memory database (tests).
 */
export async function startEmbeddedDatabase(dataDir?: string): Promise<EmbeddedDatabase> {
  if (dataDir) await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const db = await PGlite.create(dataDir);
  // Outside the data folder: a Unix socket path is limited to ~107 bytes, and a data folder
  // may be anywhere. mkdtemp creates the directory 0700 with a name nobody could pre-create.
  const socketDir = await mkdtemp(join(tmpdir(), 'salon-pglite-'));
  const path = join(socketDir, SOCKET_FILE);
  // PGlite runs one query at a time whatever the pool size (database.ts uses one connection); a
  // few more let a second app instance in the multi-instance tests share this database.
  const server = new PGLiteSocketServer({ db, path, maxConnections: 20 });
  const stop = async () => {
    await server.stop();
    await db.close();
    await rm(socketDir, { recursive: true, force: true });
  };
  try {
    await server.start();
    await chmod(path, 0o600);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDir)}&sslmode=disable`,
    socketDir,
    stop,
  };
}
