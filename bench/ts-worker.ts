// A worker thread running a TypeScript module (loaded through tsx's API, as in the main thread).
import { Worker } from 'node:worker_threads';

/** Starts `entry` (a module URL) in a worker thread. */
export function startTsWorker(entry: URL): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`,
    { eval: true },
  );
}
