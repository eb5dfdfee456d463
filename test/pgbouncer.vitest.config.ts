// The suite's configuration with the PgBouncer setup (test/pgbouncer-setup.ts), for bench/pgbouncer.ts.
import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import base from '../vitest.config.ts';

export default mergeConfig(base, {
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: { setupFiles: [fileURLToPath(new URL('./pgbouncer-setup.ts', import.meta.url))] },
});
