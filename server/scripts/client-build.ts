// Whether client/dist is older than any source it is built from (a dozen lines of mtime
// comparison, not worth a make-like dependency). Read by `npm start` (build-client-if-stale.ts)
// and by the browser tests, which build once for all their files.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project's root folder. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const built = join(PROJECT_ROOT, 'client/dist/index.html');
const sources = [
  'client/src',
  'client/public',
  'client/index.html',
  'client/vite.config.ts',
  'shared',
  'package-lock.json',
];

/** The newest modification time under a file or folder (0 when it does not exist). */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

/** `missing`, `stale` (a source changed since the build) or `fresh`. */
export function clientBuildState(): 'missing' | 'stale' | 'fresh' {
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  if (builtAt === 0) return 'missing';
  const sourcesAt = Math.max(...sources.map((source) => newest(join(PROJECT_ROOT, source))));
  return builtAt > sourcesAt ? 'fresh' : 'stale';
}
