// One instance: database, pub/sub, then the HTTP + WebSocket server; on SIGTERM or SIGINT, a
// graceful shutdown (stop accepting, let requests in flight finish, then close). The process entry
// (server/index.ts) runs it in the process itself, or in each worker of SERVER_PROCESSES.
import cluster from 'node:cluster';
import type { YogaLogger } from 'graphql-yoga';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openServices } from './services.ts';

/** Opens the services, starts listening and stops gracefully on SIGTERM or SIGINT. */
export async function serve(config: Config, log: YogaLogger): Promise<void> {
  const opened = await openServices(config);
  const app = buildApp(opened.services, { serveClient: config.SERVE_CLIENT });
  const port = await app.start(config.PORT, config.HOST);

  const base = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  log.info('started', {
    database: config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.DATA_DIR}`,
    pubsub: config.REDIS_URL ? 'Redis (REDIS_URL)' : 'in-process',
    api: `${base}/graphql`,
    graphiql: config.GRAPHIQL,
    client: config.SERVE_CLIENT ? `${base}/` : null,
    // In a worker of SERVER_PROCESSES: which one (server/cluster.ts).
    ...(cluster.isWorker ? { worker: cluster.worker!.id, pid: process.pid } : {}),
  });
  const { key, keyFile } = opened.services.auditSigning;
  log.info('audit signing key', {
    keyFile,
    fingerprint: key.fingerprint,
    publicKey: key.publicKeyPem.replace(/-----[^-]+-----|\s/g, ''),
  });

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal, drainMs: config.SHUTDOWN_TIMEOUT_MS });
    try {
      await app.stop({ drainMs: config.SHUTDOWN_TIMEOUT_MS });
      await opened.close();
      log.info('stopped');
      process.exit(0);
    } catch (error) {
      log.error('shutdown failed', error);
      process.exit(1);
    }
  }
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
