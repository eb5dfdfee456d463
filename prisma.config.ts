import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// The CLI is used only to generate the client and to author migrations; the app applies
// migrations itself (server/db/migrate.ts), so no native engine is ever needed.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL ?? 'postgresql://localhost/unused' });
  },
});
