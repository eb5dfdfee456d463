import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// The CLI is used only to generate the client and to author migrations; the app applies
// migrations itself (server/db/migrate.ts), so no native engine is ever needed.
// `prisma generate` reads the schema's `env("DATABASE_URL")` but never connects: a placeholder
// lets `npm install` generate the client on a machine with no database configured.
process.env.DATABASE_URL ??= 'postgresql://localhost/placeholder';
// No update checks: the machines this runs on reach only the npm registry.
process.env.CHECKPOINT_DISABLE ??= '1';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL });
  },
});
