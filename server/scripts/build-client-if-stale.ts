// `npm start`'s first step: builds the client (vite build client) only when client/dist is
// missing or older than any source it is built from, so a restart does not rebuild for nothing.
import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT, clientBuildState } from './client-build.ts';

const state = clientBuildState();
if (state === 'fresh') {
  console.log('client/dist is up to date');
} else {
  console.log(
    state === 'missing' ? 'client/dist is missing: building the client' : 'client sources changed: rebuilding',
  );
  const build = spawnSync('npm', ['run', 'build:client'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  process.exit(build.status ?? 1);
}
