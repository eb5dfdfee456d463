// Process entry: configuration, database, pub/sub, then the HTTP + WebSocket server.
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openServices } from './services.ts';

const config = loadConfig();
const opened = await openServices(config);
const app = buildApp(opened.services, { serveClient: config.SERVE_CLIENT });
const port = await app.start(config.PORT);

const where = config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.DATA_DIR}`;
console.log(`Database: ${where}`);
console.log(`Pub/sub: ${config.REDIS_URL ? 'Redis (REDIS_URL)' : 'in-process'}`);
const { key, keyFile } = opened.services.auditSigning;
console.log(
  `Audit checkpoints signed by ${keyFile}: ${key.fingerprint}, public key ${key.publicKeyPem.replace(/-----[^-]+-----|\s/g, '')}`,
);
console.log(`GraphQL API and GraphiQL: http://localhost:${port}/graphql`);
if (config.SERVE_CLIENT) console.log(`Portal and admin app: http://localhost:${port}/`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  await app.stop();
  await opened.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
