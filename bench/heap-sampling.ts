// V8's sampling heap profiler as the benches use it: what minor GCs collected is left out, so a
// profile holds what outlived the young generation (promoted, or alive when it stops), by the stack
// that allocated it. bench/banners-server.ts (BENCH_HEAP_SAMPLE) and bench/pageload-profile.ts
// (HEAP=1) take one over their measured window; bench/heap-top.ts summarises it.
import { writeFileSync } from 'node:fs';
import type { Session } from 'node:inspector/promises';

/** Starts sampling on a connected inspector session. */
export async function startSurvivorSampling(session: Session): Promise<void> {
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  });
}

/** Stops sampling and writes the profile to `file`. */
export async function writeSurvivorSample(session: Session, file: string): Promise<void> {
  const { profile } = await session.post('HeapProfiler.stopSampling');
  writeFileSync(file, JSON.stringify(profile));
}
