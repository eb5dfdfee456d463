// The demo-data loader, run before the server by `npm start` and `npm run dev` (never imported by
// the server): opens the configured database (migrating it, as the server does), and seeds the demo
// accounts into an empty one when SEED_DEMO_DATA allows. Production seeds nothing unless asked.
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../server/db/database.ts';
import { seedDemoData } from './demo-data.ts';

const config = loadConfig();
// The schema the server will use (DATABASE_SCHEMA), or the demo accounts land where it never looks.
const database = await openDatabase({
  url: config.DATABASE_URL,
  dataDir: config.DATA_DIR,
  schema: config.DATABASE_SCHEMA,
});
try {
  if (!config.SEED_DEMO_DATA) {
    console.log('Demo data: not seeded (SEED_DEMO_DATA=false)');
  } else if ((await database.prisma.staff.count()) > 0) {
    console.log('Demo data: the database already has accounts, nothing seeded');
  } else {
    await seedDemoData(database.prisma);
    console.log('Demo data: seeded (accounts in README.md)');
  }
} finally {
  await database.close();
}
