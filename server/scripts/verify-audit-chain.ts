// CLI: walks the audit log of the configured database (DATABASE_URL, or the embedded one in
// DATA_DIR) and exits 1 if any record was edited or deleted.
import { verifyAuditChain } from '../audit/chain.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';

const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR });
try {
  const result = await verifyAuditChain(database.prisma);
  if (result.ok) {
    console.log(`Audit chain intact: ${result.checked} records checked`);
  } else {
    console.error(
      `Audit chain BROKEN at record ${result.brokenAtId}: ${result.problem} (${result.checked} records intact before it)`,
    );
    process.exitCode = 1;
  }
} finally {
  await database.close();
}
