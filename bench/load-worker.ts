// The load generator's thread: one long-lived worker, so its keep-alive connections (undici's
// global pool of this thread) carry over from each warm-up to the measurement that follows.
import { parentPort } from 'node:worker_threads';
import { runPhase, type PhaseRequest } from './load.ts';

parentPort!.on('message', (request: PhaseRequest) => {
  runPhase(request).then(
    (result) => parentPort!.postMessage({ result }, [result.latenciesMs.buffer as ArrayBuffer]),
    (error: unknown) => parentPort!.postMessage({ error: String((error as Error)?.stack ?? error) }),
  );
});
