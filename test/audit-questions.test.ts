// The audit browser answers questions (issue 24, item 4): date presets of the salon's calendar,
// staff views filtered by the section they were shown, scope, alert and period, page views named by
// what they showed, the export's sessions shape (one row per staff view, human columns, local time)
// next to the raw events, and the monthly staff-access report with its CSV.
import { request } from 'node:http';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BillingPageDocument, HomePageDocument, PetsPageDocument } from '../client/src/gql/graphql.ts';
import { monthRange, periodRange } from '../server/audit/periods.ts';
import { expectData } from './factories.ts';
import { errorCode, startTestApp, type TestApp } from './harness.ts';
import { customerId, startSession } from './impersonation-helpers.ts';

const ZONE = 'America/Los_Angeles';

let app: TestApp;
let mara: string;
let max: string;

beforeAll(async () => {
  app = await startTestApp({ config: { SALON_TIME_ZONE: ZONE } });
  mara = await app.signIn('mara');
  max = await app.signIn('max');
});
afterAll(async () => {
  await app?.close();
});

const SESSIONS = `query Sessions($filter: AuditSessionFilter) {
  auditSessions(filter: $filter, first: 25) {
    edges { node { id customerName reason scope alertCount pagesViewed { page views shown } } }
  }
}`;

async function sessionIds(filter: Record<string, unknown>, token = mara): Promise<string[]> {
  const data = expectData(await app.gql(SESSIONS, { filter }, token));
  return data.auditSessions.edges.map((edge: { node: { id: string } }) => edge.node.id);
}

async function visit(token: string, document: Parameters<typeof print>[0]) {
  app.clock.advance(1000);
  return expectData(await app.gql(print(document), PAGE_VARIABLES, token));
}

async function end(sessionId: string, token: string) {
  await app.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: sessionId }, token);
}

/** The portal pages' variables in a whole-portal staff view (as the client sends them there). */
const PAGE_VARIABLES = {
  staffView: true,
  withAppointments: true,
  withBilling: true,
  withMessages: true,
  withPets: true,
  withReportCards: true,
};

/** A staff view of these pages, ended. */
async function viewOf(token: string, pages: Parameters<typeof print>[0][], email = 'chloe@example.test') {
  const { token: view, session } = await startSession(app, token, email);
  for (const page of pages) await visit(view, page);
  await end(session.id, token);
  return session.id;
}

/** GETs an export; the body as text. */
function fetchExport(query: string, token: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request(
      new URL(`/audit/export?${query}`, app.url),
      { headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Splits CSV text into rows of cells (quoted cells may hold commas). */
function csvRows(text: string): string[][] {
  return text
    .trimEnd()
    .split('\r\n')
    .map((line) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"')),
    )
    .map((cells) => cells.slice(0, -1));
}

describe('Date presets of the salon’s calendar', () => {
  it('starts today at the salon’s midnight, across a daylight-saving change', () => {
    // 06:30 UTC on 9 March 2026 is 23:30 on 8 March in Los Angeles, the day clocks went forward.
    const now = new Date('2026-03-09T06:30:00Z');
    expect(periodRange('TODAY', now, ZONE)).toEqual({
      from: new Date('2026-03-08T08:00:00Z'),
      to: new Date('2026-03-09T07:00:00Z'),
    });
    expect(periodRange('LAST_7_DAYS', now, ZONE).from).toEqual(new Date('2026-03-02T08:00:00Z'));
    expect(periodRange('TODAY', now, 'Europe/Paris').from).toEqual(new Date('2026-03-08T23:00:00Z'));
  });

  it('takes last month as the salon’s previous calendar month, over a new year', () => {
    expect(periodRange('LAST_MONTH', new Date('2026-01-15T12:00:00Z'), 'UTC')).toEqual({
      from: new Date('2025-12-01T00:00:00Z'),
      to: new Date('2026-01-01T00:00:00Z'),
    });
    expect(monthRange({ year: 2026, month: 11 }, ZONE)).toEqual({
      from: new Date('2026-11-01T07:00:00Z'),
      to: new Date('2026-12-01T08:00:00Z'),
    });
  });
});

describe('Staff views filters', () => {
  let billing: string;
  let home: string;
  let pets: string;

  beforeAll(async () => {
    billing = await viewOf(mara, [BillingPageDocument]);
    home = await viewOf(mara, [HomePageDocument]);
    pets = await viewOf(max, [PetsPageDocument]);
  });

  it('finds the views shown a section’s data: its page, or the Home page that showed it', async () => {
    const ids = await sessionIds({ section: 'BILLING' });
    expect(ids).toEqual(expect.arrayContaining([billing, home]));
    expect(ids).not.toContain(pets);
    const petViews = await sessionIds({ section: 'PETS' });
    expect(petViews).toEqual(expect.arrayContaining([pets, home]));
    expect(petViews).not.toContain(billing);
  });

  it('filters by the scope the view was started with', async () => {
    const chloe = await customerId(app, mara, 'chloe@example.test');
    const started = expectData(
      await app.gql(
        `mutation Start($customerId: ID!) { startImpersonation(customerId: $customerId,
          reason: "Checking an invoice she asked about", scope: { sections: [BILLING] }) { session { id } } }`,
        { customerId: chloe },
        mara,
      ),
    );
    const scoped = started.startImpersonation.session.id as string;
    await end(scoped, mara);
    expect(await sessionIds({ scope: 'BILLING' })).toEqual([scoped]);
    const whole = await sessionIds({ scope: 'WHOLE_PORTAL' });
    expect(whole).toEqual(expect.arrayContaining([billing, home, pets]));
    expect(whole).not.toContain(scoped);
  });

  it('reads a preset in the salon’s calendar: a view ten days old is not in the last 7 days', async () => {
    const old = await viewOf(mara, [BillingPageDocument]);
    await app.services.prisma.impersonationSession.update({
      where: { id: old },
      data: {
        startedAt: new Date(app.clock.now().getTime() - 10 * 86_400_000),
        endedAt: new Date(app.clock.now().getTime() - 10 * 86_400_000 + 60_000),
      },
    });
    const week = await sessionIds({ period: 'LAST_7_DAYS', section: 'BILLING' });
    expect(week).toEqual(expect.arrayContaining([billing, home]));
    expect(week).not.toContain(old);
    expect(await sessionIds({ period: 'TODAY' })).toEqual(expect.arrayContaining([billing, home, pets]));
  });

  it('refuses a preset with a custom range, and the whole portal as a section, with BAD_USER_INPUT', async () => {
    const both = await app.gql(SESSIONS, { filter: { period: 'TODAY', from: new Date().toISOString() } }, mara);
    expect(errorCode(both)).toBe('BAD_USER_INPUT');
    expect(errorCode(await app.gql(SESSIONS, { filter: { section: 'WHOLE_PORTAL' } }, mara))).toBe('BAD_USER_INPUT');
  });

  it('filters by whether the view raised an alert', async () => {
    await app.services.pool.query(
      `INSERT INTO "Alert" (id, rule, summary, "staffId", "sessionId", "createdAt")
       SELECT 'alert-questions-1', 'TAMPERING', 'Hidden marks', "staffId", id, $2 FROM "ImpersonationSession" WHERE id = $1`,
      [pets, app.clock.now()],
    );
    const alerted = expectData(await app.gql(SESSIONS, { filter: { alerted: true } }, mara)).auditSessions.edges;
    expect(alerted.map((edge: { node: { id: string } }) => edge.node.id)).toContain(pets);
    for (const edge of alerted) expect(edge.node.alertCount).toBeGreaterThan(0);
    expect(await sessionIds({ alerted: false })).not.toContain(pets);
  });

  it('filters staff views for managers only (unauthorized)', async () => {
    const groomer = await app.signIn('rita');
    expect(errorCode(await app.gql(SESSIONS, { filter: { section: 'BILLING' } }, groomer))).toBe('FORBIDDEN');
  });

  it('names each page view by what it showed, and marks the header queries folded into it', async () => {
    const data = expectData(await app.gql(SESSIONS, { filter: {} }, mara));
    const node = data.auditSessions.edges.find((edge: { node: { id: string } }) => edge.node.id === home).node;
    expect(node.pagesViewed).toEqual([{ page: 'Home', views: 1, shown: expect.stringMatching(/\d+ invoices?/) }]);
    const timeline = expectData(
      await app.gql(
        `query T($id: ID!) { auditSession(id: $id) { timeline { edges { node { operationName page shown headerOnly } } } } }`,
        { id: home },
        mara,
      ),
    ).auditSession.timeline.edges.map((edge: { node: Record<string, unknown> }) => edge.node);
    const homePage = timeline.find((event: { operationName: string }) => event.operationName === 'HomePage');
    expect(homePage).toMatchObject({ page: 'Home', headerOnly: false, shown: expect.stringMatching(/invoice/) });
  });
});

describe('Exports in two shapes', () => {
  it('exports staff views one row each, with human column names and the salon’s local times', async () => {
    const session = await viewOf(mara, [BillingPageDocument]);
    const response = await fetchExport(`shape=sessions&period=TODAY&section=BILLING`, mara);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/filename="staff-views-.*\.csv"/);
    const [header, ...rows] = csvRows(response.body);
    expect(header).toEqual([
      'Staff member',
      'Customer',
      'Reason',
      'Ticket',
      'Scope',
      `Started (${ZONE})`,
      `Ended (${ZONE})`,
      'How it ended',
      'Approved by (second manager)',
      'Pages viewed',
      'Refused attempts',
      'Hidden-mark incidents',
      'Alerts',
      'Session id',
    ]);
    const row = rows.find((cells) => cells.at(-1) === session)!;
    const started = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session } });
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: ZONE,
      hourCycle: 'h23',
      dateStyle: 'short',
      timeStyle: 'short',
    }).format(started.startedAt);
    expect(row.slice(0, 2)).toEqual(['Mara Quinn', 'Chloe Martin']);
    expect(row[4]).toBe('Whole portal');
    expect(row[5]).toBe(local.replace(',', ''));
    expect(row[7]).toBe('Ended by Mara Quinn');
    expect(row[9]).toMatch(/^Billing( \(.*\))?$/);
    expect(new Set(rows.map((cells) => cells.at(-1))).size).toBe(rows.length);
  });

  it('keeps the raw events shape, one row per record, with the preset applied', async () => {
    const response = await fetchExport('shape=events&format=csv&period=TODAY&action=SESSION_STARTED', mara);
    expect(response.status).toBe(200);
    const [header, ...rows] = csvRows(response.body);
    expect(header!.slice(0, 5)).toEqual(['id', 'createdAt', 'action', 'outcome', 'page']);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row[2]).toBe('SESSION_STARTED');
  });

  it('answers an unknown shape or value with 400 and its reason', async () => {
    expect((await fetchExport('shape=pivot', mara)).status).toBe(400);
    expect((await fetchExport('shape=sessions&section=WHOLE_PORTAL', mara)).status).toBe(400);
    expect((await fetchExport('shape=sessions&period=TODAY&from=2026-01-01T00:00:00Z', mara)).status).toBe(400);
    expect((await fetchExport('shape=report&year=2026', mara)).status).toBe(400);
  });
});

describe('Monthly staff-access report', () => {
  const REPORT = `query Report($year: Int, $month: Int) {
    staffAccessReport(year: $year, month: $month) {
      year month timeZone totalViews
      staff { staffName views customers refusedAttempts breakGlass alerts reasons { label count } scopes { label count } }
      alertsByRule { label count }
      reviews { label count }
    }
  }`;

  it('counts each manager’s views of the month, their reasons, scopes and alerts', async () => {
    const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: 'numeric' })
      .formatToParts(app.clock.now())
      .filter((part) => part.type !== 'literal')
      .map((part) => Number(part.value));
    const report = expectData(await app.gql(REPORT, { year, month }, mara)).staffAccessReport;
    const rows = await app.services.prisma.impersonationSession.groupBy({
      by: ['staffId'],
      _count: true,
      where: { startedAt: { gte: monthRange({ year: year!, month: month! }, ZONE).from } },
    });
    expect(report.timeZone).toBe(ZONE);
    expect(report.totalViews).toBe(rows.reduce((sum, row) => sum + row._count, 0));
    const maxRow = report.staff.find((row: { staffName: string }) => row.staffName === 'Max Okafor');
    expect(maxRow).toMatchObject({ customers: 1, alerts: expect.any(Number) });
    expect(maxRow.alerts).toBeGreaterThanOrEqual(1);
    const maraRow = report.staff.find((row: { staffName: string }) => row.staffName === 'Mara Quinn');
    expect(maraRow.scopes).toEqual(
      expect.arrayContaining([{ label: 'Billing', count: 1 }, expect.objectContaining({ label: 'Whole portal' })]),
    );
    expect(maraRow.reasons[0].count).toBeGreaterThan(0);
    expect(report.alertsByRule).toEqual(expect.arrayContaining([expect.objectContaining({ label: 'TAMPERING' })]));
    expect(Array.isArray(report.reviews)).toBe(true);
  });

  it('refuses half a month and a month out of range with BAD_USER_INPUT', async () => {
    expect(errorCode(await app.gql(REPORT, { year: 2026 }, mara))).toBe('BAD_USER_INPUT');
    expect(errorCode(await app.gql(REPORT, { year: 2026, month: 13 }, mara))).toBe('BAD_USER_INPUT');
  });

  it('is for managers only (unauthorized)', async () => {
    expect(errorCode(await app.gql(REPORT, {}, await app.signIn('rita')))).toBe('FORBIDDEN');
  });

  it('exports the month as CSV: a row per staff member, then alerts by rule and review decisions', async () => {
    const response = await fetchExport('shape=report', mara);
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/filename="staff-access-\d{4}-\d{2}-.*\.csv"/);
    const rows = csvRows(response.body);
    expect(rows[0]).toEqual([
      'Month',
      'Staff member',
      'Staff views',
      'Customers viewed',
      'Refused attempts',
      'Break-glass starts',
      'Alerts',
      'Most frequent reasons',
      'Scopes',
    ]);
    expect(rows.some((row) => row[1] === 'Alert rule')).toBe(true);
    expect(rows.some((row) => row[1] === 'Access-review decision')).toBe(true);
  });
});
