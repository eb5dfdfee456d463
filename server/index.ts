// Process entry: the V8 heap settings, the configuration, then one instance (server/serve.ts) in
// this process, or with SERVER_PROCESSES > 1 a supervisor of that many worker processes, each an
// instance, sharing the port (server/cluster.ts). Neither loads the other's modules.
import './heap.ts';
import cluster from 'node:cluster';
import { loadConfig } from './config.ts';
import { createJsonLogger } from './observability/logger.ts';

const config = loadConfig();
const log = createJsonLogger(config.LOG_LEVEL);
if (config.SERVER_PROCESSES > 1 && cluster.isPrimary) {
  const { superviseWorkers } = await import('./cluster.ts');
  superviseWorkers(config, log);
} else {
  const { serve } = await import('./serve.ts');
  await serve(config, log);
}
