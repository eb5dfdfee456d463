// `npm run bench -- --quick`: every performance target of the project in one short run (under a
// minute on the 2-core development box), on the PostgreSQL of DATABASE_URL. It runs the quick mode
// of each scenario one after the other (never together: they would measure each other):
//   pageload      staff-view and customer Home page loads as the client sends them (pageload.ts)
//   banners       live banner subscriptions, forced termination, socket close (banners.ts)
//   audit-writes  64 concurrent audit writers on the sharded chains (audit-writes.ts)
//   audit-query   auditEvents under every filter over a seeded log (audit-query.ts)
// Each scenario prints its own table; then one line of CPU per page (server and PostgreSQL, the staff
// view's and the customer's page: the headline, which the box's load moves least), and the last line
// of stdout is one JSON object holding the headline figures of all of them (`quick: true`, and the
// sizes the quick modes used), so a script can read it.
import { performance } from 'node:perf_hooks';
import { runAuditQueryBench } from './audit-query.ts';
import { runAuditWritesBench } from './audit-writes.ts';
import { runBannersBench } from './banners.ts';
import { runPageloadBench } from './pageload.ts';

type Figures = Record<string, number | string | boolean>;

/** The headline keys, in the order the JSON line shows them, and the scenario each comes from. */
const HEADLINE = {
  pageload: [
    'cpuMsPerPage',
    'serverCpuMsPerPage',
    'pgCpuMsPerPage',
    'customerCpuMsPerPage',
    'customerServerCpuMsPerPage',
    'customerPgCpuMsPerPage',
    'customerPostsPerPage',
    'sqlPerPage',
    'customerSqlPerPage',
    'pageLoadsPerSec',
    'customerPageLoadsPerSec',
    'customerClientPageLoadsPerSec',
    'overheadRatio',
    'overheadRatioClientPages',
  ],
  banners: [
    'bannerSubscribers',
    'bannerLagP99Ms',
    'bannerKBPerConn',
    'bannerMemoryAfterLeaveMB',
    'terminationP99Ms',
    'socketCloseP99Ms',
  ],
  'audit-writes': ['auditRecordsPerSec'],
  'audit-query': ['auditQueryP99Ms'],
} as const;

const SCENARIOS: Record<keyof typeof HEADLINE, (options: { quick: boolean }) => Promise<Figures>> = {
  pageload: runPageloadBench as (options: { quick: boolean }) => Promise<Figures>,
  banners: runBannersBench,
  'audit-writes': runAuditWritesBench as (options: { quick: boolean }) => Promise<Figures>,
  'audit-query': (options) => runAuditQueryBench(options),
};

/** The summary's first line: CPU per page (server + PostgreSQL), what the box's load moves least. */
function headline(line: Figures): string {
  const ms = (key: string) => (typeof line[key] === 'number' ? (line[key] as number).toFixed(2) : '-');
  const key = (prefix: string, name: string) => (prefix ? `${prefix}${name}` : name[0]!.toLowerCase() + name.slice(1));
  const page = (prefix: string, what: string) =>
    `${what} ${ms(key(prefix, 'CpuMsPerPage'))} ms (server ${ms(key(prefix, 'ServerCpuMsPerPage'))} + ` +
    `PostgreSQL ${ms(key(prefix, 'PgCpuMsPerPage'))})`;
  return (
    `CPU per page: ${page('', 'staff view')}; ${page('customer', "the customer's page")}; ` +
    `SQL per page ${line.sqlPerPage ?? '-'} / ${line.customerSqlPerPage ?? '-'}; quick run ${line.totalSeconds} s`
  );
}

/** Runs every scenario's quick mode in turn; returns the exit code (1 if one failed or missed a check). */
export async function runQuickBench(): Promise<number> {
  const started = performance.now();
  const line: Figures = { quick: true };
  const details: Record<string, Figures> = {};
  let failed = false;
  for (const [name, run] of Object.entries(SCENARIOS) as [keyof typeof HEADLINE, (typeof SCENARIOS)['pageload']][]) {
    const scenarioStarted = performance.now();
    console.error(`== quick: ${name}`);
    try {
      const figures = await run({ quick: true });
      details[name] = figures;
      for (const key of HEADLINE[name]) line[key] = figures[key] ?? null!;
      if (figures.pageloadOk === false || figures.auditWritesVerified === false) failed = true;
      if (typeof figures.bannerProblems === 'number' && figures.bannerProblems > 0) failed = true;
    } catch (error) {
      failed = true;
      line[`${name}Error`] = error instanceof Error ? error.message : String(error);
      console.error(`quick: ${name} failed:`, error);
    }
    line[`${name}Seconds`] = Math.round((performance.now() - scenarioStarted) / 100) / 10;
  }
  // What the quick modes shrank, so the line says which sizes its figures come from.
  for (const [name, figures] of Object.entries(details)) {
    for (const [key, value] of Object.entries(figures)) {
      if (/quick|rows|records$|Size$|Sizes$/i.test(key) && !(key in line)) line[`${name}.${key}`] = value;
    }
  }
  line.totalSeconds = Math.round((performance.now() - started) / 100) / 10;
  console.log(headline(line));
  console.log(JSON.stringify(line));
  return failed ? 1 : 0;
}
