import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

// The CLI is used only to generate the client; the app applies migrations itself
// (server/db/migrate.ts) over the pg adapter, so no native engine is ever needed at run time.
// Prisma 7's CLI wants its native schema engine even for `generate`, and it cannot be downloaded
// here: the npm scripts set PRISMA_SCHEMA_ENGINE_BINARY to prisma/no-schema-engine.sh, which
// fails loudly. `prisma generate` never connects: a placeholder URL lets `npm install` generate
// the client on a machine with no database configured.
process.env.DATABASE_URL ??= 'postgresql://localhost/placeholder';
// No update checks: the machines this runs on reach only the npm registry.
process.env.CHECKPOINT_DISABLE ??= '1';
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL('./prisma/no-schema-engine.sh', import.meta.url));

export default defineConfig({
  schema: 'prisma/schema.prisma',
  datasource: { url: process.env.DATABASE_URL },
});
