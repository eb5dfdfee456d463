// The audit browser's server side: page names for what each record saw, session summaries for
// managers, the customer's access log in plain words, and the streamed CSV / NDJSON export.
import { request } from 'node:http';
import { parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BillingPageDocument,
  HomePageDocument,
  MessagesPageDocument,
  PetsPageDocument,
  ReportCardsPageDocument,
  SettingsPageDocument,
  AppointmentsPageDocument,
} from '../client/src/gql/graphql.ts';
import { accessSummary } from '../server/audit/access-summary.ts';
import { nearestPage, ownPageOf, pagesOfSession, type PagedRecord } from '../server/audit/pages.ts';
import { loadPageAnchors, loadSessionActivity } from '../server/audit/session-activity.ts';
import { expectData, MINUTE } from './factories.ts';
import { errorCode, startTestApp, type TestApp } from './harness.ts';
import { startSession } from './impersonation-helpers.ts';

let app: TestApp;
let mara: string;
let max: string;

beforeAll(async () => {
  app = await startTestApp();
  mara = await app.signIn('mara');
  max = await app.signIn('max');
});
afterAll(async () => {
  await app?.close();
});

const TIMELINE = `query Timeline($id: ID!) {
  auditSession(id: $id) {
    timeline { edges { node { id action outcome operationName page } } }
  }
}`;

const SESSIONS = `query Sessions($filter: AuditSessionFilter, $first: Int) {
  auditSessions(filter: $filter, first: $first) {
    edges { node {
      id staffName customerName reason startedAt endedAt state endState endReason endedByName
      pagesViewed { page views records { type count } } deniedAttempts partialAttempts
    } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Runs a client document under the staff view (as the client sends it there), a second apart (as a person clicks). */
async function visit(
  token: string,
  document: Parameters<typeof print>[0],
  variables: Record<string, unknown> = { staffView: true },
) {
  app.clock.advance(1000);
  return app.gql(print(document), variables, token);
}

/** Operations that read only the chrome (the header, the banner), as clients sent them beside each page. */
const HEADER_ONLY = parse('query PortalHeader { me { id name } }');
const BANNER_ONLY = parse('query CurrentStaffView { currentImpersonation { id expiresAt } }');

async function end(sessionId: string, token = mara) {
  await app.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: sessionId }, token);
}

async function timeline(sessionId: string) {
  const data = expectData(await app.gql(TIMELINE, { id: sessionId }, mara));
  return data.auditSession.timeline.edges.map((edge: { node: Record<string, unknown> }) => edge.node) as {
    action: string;
    outcome: string;
    operationName: string | null;
    page: string | null;
  }[];
}

describe('Page names', () => {
  it('names the record of each portal page’s own query by the section the portal shows', async () => {
    const { token, session } = await startSession(app, mara);
    const pages = [
      HomePageDocument,
      AppointmentsPageDocument,
      PetsPageDocument,
      ReportCardsPageDocument,
      BillingPageDocument,
      MessagesPageDocument,
      SettingsPageDocument,
    ];
    for (const page of pages) expectData(await visit(token, page));
    await end(session.id);
    const operations = (await timeline(session.id)).filter((event) => event.operationName?.endsWith('Page'));
    expect(operations.map((event) => [event.operationName, event.page])).toEqual([
      ['HomePage', 'Home'],
      ['AppointmentsPage', 'Appointments'],
      ['PetsPage', 'My Pets'],
      ['ReportCardsPage', 'Report Cards'],
      ['BillingPage', 'Billing'],
      ['MessagesPage', 'Messages'],
      ['SettingsPage', 'Settings'],
    ]);
  });

  it('folds a query that read only the header or the staff banner into the page it came with', async () => {
    const { token, session } = await startSession(app, mara);
    await visit(token, HEADER_ONLY, {});
    await visit(token, BANNER_ONLY, {});
    await visit(token, BillingPageDocument);
    app.clock.advance(60_000);
    await visit(token, PetsPageDocument);
    await visit(token, HEADER_ONLY, {});
    await end(session.id);
    const pages = (await timeline(session.id))
      .filter((event) => event.action === 'OPERATION')
      .map((event) => [event.operationName, event.page]);
    expect(pages).toEqual([
      ['PortalHeader', 'Billing'],
      ['CurrentStaffView', 'Billing'],
      ['BillingPage', 'Billing'],
      ['PetsPage', 'My Pets'],
      ['PortalHeader', 'My Pets'],
    ]);
  });

  it('names header queries from the page anchors alone as from all the session’s records, reading no header-only record without `seen`', async () => {
    const { token, session } = await startSession(app, mara);
    await visit(token, HEADER_ONLY, {});
    await visit(token, BillingPageDocument);
    // Refused before execution: a record with no `seen` and only the header's root field.
    expect(errorCode(await app.gql('query Broken { me { name notAField } }', {}, token))).toBe(
      'GRAPHQL_VALIDATION_FAILED',
    );
    app.clock.advance(60_000);
    await visit(token, PetsPageDocument);
    await visit(token, HEADER_ONLY, {});
    await end(session.id);
    const records = await app.services.prisma.auditEvent.findMany({
      where: { sessionId: session.id, action: 'OPERATION' },
      orderBy: { id: 'asc' },
    });
    expect(records.some((r) => r.seen === null && r.rootFields.join() === 'me')).toBe(true);
    const anchors = (await loadPageAnchors(app.services.prisma, [session.id])).get(session.id)!;
    const all = (await loadSessionActivity(app.services.prisma, [session.id])).get(session.id)!;
    expect(anchors.map((anchor) => anchor.page)).toEqual(['Billing', 'My Pets']);
    const byAnchors = records.map((r) => {
      const own = ownPageOf(r);
      return own === 'chrome' ? nearestPage(anchors, r) : own;
    });
    expect(byAnchors).toEqual(records.map((r) => all.pages.get(r.id) ?? null));
    expect(byAnchors).toEqual(['Billing', 'Billing', 'Billing', 'My Pets', 'My Pets']);
  });

  it('folds the header queries of several sessions on one page of the log, each into its own session’s page', async () => {
    app.clock.advance(1000);
    const from = app.clock.now();
    const billing = await startSession(app, mara);
    await visit(billing.token, BillingPageDocument);
    await visit(billing.token, HEADER_ONLY, {});
    await end(billing.session.id);
    const pets = await startSession(app, mara);
    await visit(pets.token, PetsPageDocument);
    await visit(pets.token, HEADER_ONLY, {});
    await end(pets.session.id);
    const data = expectData(
      await app.gql(
        `query Log($filter: AuditEventFilter) {
          auditEvents(filter: $filter, first: 50) { edges { node { sessionId operationName page } } }
        }`,
        { filter: { action: 'OPERATION', from: from.toISOString() } },
        mara,
      ),
    );
    const headers = data.auditEvents.edges
      .map((edge: { node: { sessionId: string; operationName: string; page: string } }) => edge.node)
      .filter((node: { operationName: string }) => node.operationName === 'PortalHeader');
    expect(headers).toEqual([
      { sessionId: pets.session.id, operationName: 'PortalHeader', page: 'My Pets' },
      { sessionId: billing.session.id, operationName: 'PortalHeader', page: 'Billing' },
    ]);
  });

  it('names a refused change by the page that offers it, and no page for a lifecycle record', () => {
    const record = (rootFields: string[], action: PagedRecord['action'] = 'OPERATION') => ({
      action,
      rootFields,
      seen: null,
    });
    expect(ownPageOf(record(['payInvoice']))).toBe('Billing');
    expect(ownPageOf(record(['bookAppointment']))).toBe('Appointments');
    expect(ownPageOf(record(['updatePet']))).toBe('My Pets');
    expect(ownPageOf(record([], 'SESSION_STARTED'))).toBeNull();
  });

  it('falls back to the record types served when no path names a page, and leaves a lone header query unnamed', () => {
    const at = new Date();
    const records: PagedRecord[] = [
      {
        id: 1n,
        createdAt: at,
        action: 'OPERATION',
        outcome: 'ALLOWED',
        rootFields: ['me'],
        seen: { fields: ['me', 'me.id', 'me.name'], records: { Customer: { count: 1, ids: ['c'] } }, refused: [] },
      },
    ];
    expect(pagesOfSession(records).get(1n)).toBeNull();
    expect(
      ownPageOf({
        action: 'OPERATION',
        rootFields: ['node'],
        seen: { fields: [], records: { Invoice: { count: 2, ids: ['a', 'b'] } } },
      }),
    ).toBe('Billing');
  });
});

describe('Session summaries', () => {
  it('summarises a session: pages viewed with their records, refused attempts, and who ended it how', async () => {
    const { token, session } = await startSession(app, mara, 'dan@example.test');
    await visit(token, BillingPageDocument);
    await visit(token, BillingPageDocument);
    await visit(token, PetsPageDocument);
    const refusedPayment = await app.gql(
      'mutation Pay { payInvoice(id: "x", paymentMethodId: "y", tipCents: 0) { id } }',
      {},
      token,
    );
    expect(errorCode(refusedPayment)).toBe('FORBIDDEN');
    // Far from its end, so the extension is refused: a refused attempt, not an extension.
    const refusedExtension = await app.gql(
      'mutation Extend($id: ID!) { extendImpersonation(sessionId: $id) { id } }',
      { id: session.id },
      token,
    );
    expect(errorCode(refusedExtension)).toBe('CONFLICT');
    const terminated = await app.gql(
      'mutation Stop($id: ID!, $reason: String!) { terminateImpersonation(sessionId: $id, reason: $reason) { id } }',
      { id: session.id, reason: 'No ticket for this view' },
      max,
    );
    expectData(terminated);

    const dan = await app.services.prisma.customer.findUniqueOrThrow({
      where: { email: 'dan@example.test' },
      include: { invoices: true, paymentMethods: true, pets: true },
    });
    const data = expectData(await app.gql(SESSIONS, { filter: { customerId: dan.id } }, mara));
    const [summary] = data.auditSessions.edges.map((edge: { node: unknown }) => edge.node);
    expect(summary).toMatchObject({
      id: session.id,
      staffName: 'Mara Quinn',
      customerName: 'Dan Whitaker',
      reason: 'Customer called about a billing question',
      state: 'TERMINATED',
      endState: 'TERMINATED',
      endReason: 'No ticket for this view',
      endedByName: 'Max Okafor',
      deniedAttempts: 2,
      partialAttempts: 0,
    });
    expect(summary.pagesViewed.map((view: { page: string; views: number }) => [view.page, view.views])).toEqual([
      ['Billing', 2],
      ['My Pets', 1],
    ]);
    const billingRecords = Object.fromEntries(
      summary.pagesViewed[0].records.map((r: { type: string; count: number }) => [r.type, r.count]),
    );
    expect(billingRecords).toMatchObject({ Invoice: dan.invoices.length, PaymentMethod: dan.paymentMethods.length });
    const events = await timeline(session.id);
    expect(events.filter((event) => event.action === 'SESSION_EXTENDED')).toEqual([]);
    expect(events.find((event) => event.operationName === 'Extend')?.outcome).toBe('DENIED');
  });

  it('lists sessions newest first and filters them by staff member and by refused attempts', async () => {
    const quiet = await startSession(app, max);
    await visit(quiet.token, HomePageDocument);
    await end(quiet.session.id, max);
    const maxStaff = await app.services.prisma.staff.findUniqueOrThrow({ where: { email: 'max@salon.test' } });

    const byMax = expectData(await app.gql(SESSIONS, { filter: { staffId: maxStaff.id } }, mara));
    expect(byMax.auditSessions.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([quiet.session.id]);
    const refused = expectData(await app.gql(SESSIONS, { filter: { outcome: 'DENIED' } }, mara));
    const ids = refused.auditSessions.edges.map((edge: { node: { id: string } }) => edge.node.id);
    expect(ids).not.toContain(quiet.session.id);
    expect(ids.length).toBeGreaterThan(0);
    const all = expectData(await app.gql(SESSIONS, { first: 100 }, mara));
    const started = all.auditSessions.edges.map((edge: { node: { startedAt: string } }) => edge.node.startedAt);
    expect([...started].sort().reverse()).toEqual(started);
  });

  it('filters sessions to those running in a time range', async () => {
    const from = new Date(app.clock.now().getTime() + 10 * MINUTE);
    const none = expectData(await app.gql(SESSIONS, { filter: { from: from.toISOString() } }, mara));
    expect(none.auditSessions.edges).toEqual([]);
  });

  it('session summaries are for managers', async () => {
    const result = await app.gql(SESSIONS, {}, mara);
    expect(result.errors).toBeUndefined();
  });

  it('session summaries are for managers (unauthorized)', async () => {
    const rita = await app.signIn('rita');
    expect(errorCode(await app.gql(SESSIONS, {}, rita))).toBe('FORBIDDEN');
    const chloe = await app.signIn('chloe');
    expect(errorCode(await app.gql(SESSIONS, {}, chloe))).toBe('FORBIDDEN');
  });
});

describe('The customer’s access log in plain words', () => {
  it('tells the customer who viewed which pages and which pets, and how many records', async () => {
    const { token, session } = await startSession(app, mara);
    await visit(token, BillingPageDocument);
    await visit(token, PetsPageDocument);
    await end(session.id);
    const chloe = await app.signIn('chloe');
    const data = expectData(
      await app.gql(
        '{ me { invoices { id } paymentMethods { id } staffAccessLog { id summary viewed { page views } } } }',
        {},
        chloe,
      ),
    );
    const entry = data.me.staffAccessLog.find((e: { id: string }) => e.id === session.id);
    const invoices = data.me.invoices.length;
    const cards = data.me.paymentMethods.length;
    expect(entry.summary).toBe(
      `Mara Quinn viewed Billing (${invoices} invoices, ${cards} payment method${cards === 1 ? '' : 's'}) and My Pets (Biscuit and Miso)`,
    );
    expect(entry.viewed).toEqual([
      { page: 'Billing', views: 1 },
      { page: 'My Pets', views: 1 },
    ]);
  });

  it('bounds the names, counts one of a kind in the singular, and mentions refused attempts', () => {
    const pets = ['a', 'b', 'c', 'd', 'e'];
    const summary = accessSummary({
      staffName: 'Mara Quinn',
      views: [
        { page: 'My Pets', views: 1, records: { Pet: { count: 5, ids: pets } } },
        { page: 'Messages', views: 1, records: { Message: { count: 1, ids: ['m'] } } },
        { page: 'Settings', views: 1, records: {} },
      ],
      petNames: new Map(pets.map((id) => [id, id.toUpperCase()])),
      refused: 1,
      active: false,
    });
    expect(summary).toBe(
      'Mara Quinn viewed My Pets (A, B, C and 2 more), Messages (1 message) and Settings; 1 attempt was refused',
    );
  });

  it('says when nothing was viewed, and speaks in the present while the view lasts', () => {
    const base = { staffName: 'Max Okafor', views: [], petNames: new Map(), refused: 0 };
    expect(accessSummary({ ...base, active: false })).toBe('Max Okafor opened your account but viewed no page');
    expect(accessSummary({ ...base, active: true })).toBe('Max Okafor is viewing your account');
  });
});

/** GETs an export over the network, counting the chunks the body arrives in. */
function fetchExport(query: string, token?: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string; chunks: number }>(
    (resolve, reject) => {
      const url = new URL(`/audit/export?${query}`, app.url);
      const req = request(url, { headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
        let body = '';
        let chunks = 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          chunks += 1;
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, chunks }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('Export', () => {
  it('exports the filtered log as CSV: a header, then one row per record, newest first', async () => {
    const { token, session } = await startSession(app, mara);
    await visit(token, BillingPageDocument);
    await end(session.id);
    const response = await fetchExport(`format=csv&sessionId=${session.id}`, mara);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="audit-.*\.csv"$/);
    const [header, ...rows] = response.body.trimEnd().split('\r\n');
    expect(header).toMatch(/^id,createdAt,action,outcome,page,staffId,staffName,customerId,customerName,sessionId,/);
    expect(rows.map((row) => row.split(',').slice(2, 5))).toEqual([
      ['SESSION_ENDED', 'ALLOWED', ''],
      ['OPERATION', 'ALLOWED', 'Billing'],
      ['SESSION_STARTED', 'ALLOWED', ''],
    ]);
    expect(rows.every((row) => row.includes(session.id) && row.includes('Mara Quinn'))).toBe(true);
  });

  it('exports NDJSON, one record per line, with the filters applied', async () => {
    const response = await fetchExport('format=ndjson&action=SESSION_TERMINATED', mara);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = response.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatchObject({ action: 'SESSION_TERMINATED', staffName: 'Max Okafor' });
  });

  it('records every export, with its filter, as an administrative action', async () => {
    await fetchExport('format=csv&outcome=DENIED', mara);
    const [latest] = await app.services.prisma.auditEvent.findMany({
      where: { action: 'AUDIT_EXPORTED' },
      orderBy: { id: 'desc' },
      take: 1,
    });
    expect(latest).toMatchObject({ outcome: 'ALLOWED', variables: { format: 'csv', outcome: 'DENIED' } });
  });

  it('refuses an unknown format or filter value', async () => {
    expect((await fetchExport('format=xml', mara)).status).toBe(400);
    expect((await fetchExport('format=csv&outcome=MAYBE', mara)).status).toBe(400);
  });

  it('the export is for managers', async () => {
    expect((await fetchExport('format=csv&action=SESSION_STARTED', max)).status).toBe(200);
  });

  it('the export is for managers (unauthorized)', async () => {
    expect((await fetchExport('format=csv')).status).toBe(401);
    expect((await fetchExport('format=csv', 'not-a-token')).status).toBe(401);
    const rita = await app.signIn('rita');
    expect((await fetchExport('format=csv', rita)).status).toBe(403);
    const chloe = await app.signIn('chloe');
    const refused = await fetchExport('format=csv', chloe);
    expect(refused.status).toBe(403);
    expect(refused.body).not.toContain('SESSION_STARTED');
    const { token } = await startSession(app, mara);
    expect((await fetchExport('format=csv', token)).status).toBe(403);
  });

  it('an export attempt with a staff view token leaves one record, live or ended', async () => {
    const manager = await app.signIn('max');
    const view = await startSession(app, manager, 'dan@example.test');
    const exportsOf = () =>
      app.services.prisma.auditEvent.findMany({
        where: { sessionId: view.session.id, action: 'AUDIT_EXPORTED' },
        orderBy: { id: 'asc' },
      });
    expect((await fetchExport('format=csv', view.token)).status).toBe(403);
    expect((await fetchExport('format=xml', view.token)).status).toBe(400);
    await app.gql(
      'mutation E($id: ID!) { endImpersonation(sessionId: $id) { id } }',
      { id: view.session.id },
      view.token,
    );
    expect((await fetchExport('format=csv', view.token)).status).toBe(401);
    expect((await exportsOf()).map((record) => [record.outcome, record.errorCode])).toEqual([
      ['DENIED', 'FORBIDDEN'],
      ['DENIED', 'BAD_USER_INPUT'],
      ['DENIED', 'UNAUTHENTICATED'],
    ]);
  });

  it('streams a large export in pages as it reads them', async () => {
    const before = await app.services.prisma.auditEvent.count();
    // Three thousand records in one statement: each call links to the previous row's hash.
    await app.services.pool.query(
      `SELECT append_audit_event(jsonb_build_object(
         'createdAt', now()::timestamp(3), 'action', 'DIRECTORY_SEARCH', 'outcome', 'ALLOWED',
         'rootFields', '[]'::jsonb, 'staffId', 'bulk', 'reason', 'bulk ' || n), 'bulk ' || n)
       FROM generate_series(1, 3000) AS n`,
    );
    const response = await fetchExport('format=ndjson&staffId=bulk', mara);
    expect(response.status).toBe(200);
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(response.body.trimEnd().split('\n')).toHaveLength(3000);
    // Pages of 1000: at least one chunk per page.
    expect(response.chunks).toBeGreaterThanOrEqual(3);
    expect(await app.services.prisma.auditEvent.count()).toBe(before + 3000 + 1);
  });
});
