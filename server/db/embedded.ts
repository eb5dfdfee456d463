// The embedded default database: PGlite (PostgreSQL compiled to WASM) kept in a data folder and
// served over the PostgreSQL wire protocol on a loopback port, so the app talks to it through
// the same `pg` driver and Prisma adapter it uses for a real PostgreSQL.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A running embedded database. */
export interface EmbeddedDatabase {
  /** A `postgresql://` URL for the socket server. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite and its socket server on an ephemeral loopback port.
 * @param dataDir folder kept between runs; omit for an in-memory database (tests).
 */
export async function startEmbeddedDatabase(dataDir?: string): Promise<EmbeddedDatabase> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  // PGlite runs one query at a time whatever the pool size; 20 connections let a Prisma pool,
  // the audit writer and the test helpers each hold their own without waiting to connect.
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 20 });
  await server.start();
  return {
    url: `postgresql://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
