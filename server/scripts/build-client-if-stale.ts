// `npm start`'s first step: builds the client (vite build client) only when client/dist is
// missing or older than any source it is built from, so a restart does not rebuild for nothing.
// Hand-written: a dozen lines of mtime comparison, not worth a make-like dependency.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const built = join(root, 'client/dist/index.html');
const sources = ['client/src', 'client/public', 'client/index.html', 'client/vite.config.ts', 'package-lock.json'];

/** The newest modification time under a file or folder (0 when it does not exist). */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
const sourcesAt = Math.max(...sources.map((source) => newest(join(root, source))));
if (builtAt > sourcesAt) {
  console.log('client/dist is up to date');
} else {
  console.log(builtAt === 0 ? 'client/dist is missing: building the client' : 'client sources changed: rebuilding');
  const build = spawnSync('npm', ['run', 'build:client'], { cwd: root, stdio: 'inherit' });
  process.exit(build.status ?? 1);
}
