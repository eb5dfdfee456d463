// Process entry: configuration, database, pub/sub, then the HTTP + WebSocket server; on SIGTERM
// or SIGINT, a graceful shutdown (stop accepting, let requests in flight finish, then close).
import './heap.ts';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { createJsonLogger } from './observability/logger.ts';
import { openServices } from './services.ts';

const config = loadConfig();
const log = createJsonLogger(config.LOG_LEVEL);
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
