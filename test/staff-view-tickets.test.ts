// A ticket for every view (SPEC 10, issue 23 item 4): a start names its case/ticket id, checked
// against TICKET_PATTERN and required where the salon says so (TICKET_REQUIRED); the ticket is kept
// on the session and in its start's audit record, linked (TICKET_URL) in the admin app and the audit,
// filterable in the audit browser (sessions and records) and exported, and never told the customer.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportPages, header } from '../server/audit/export.ts';
import { loadConfig } from '../server/config.ts';
import { TicketRefusal, checkTicket, ticketUrl } from '../server/impersonation/ticket.ts';
import { END } from './access-helpers.ts';
import { STEP_UP_AFTER_A_YEAR, expectData } from './factories.ts';
import { errorCode, startTestApp, type GqlResult, type TestApp } from './harness.ts';
import { REASON, customerId } from './impersonation-helpers.ts';

const START = `mutation Start($customerId: ID!, $reason: String!, $ticket: String) {
  startImpersonation(customerId: $customerId, reason: $reason, ticket: $ticket,
    scope: { sections: [BILLING] }) {
    status token session { id ticket ticketUrl }
  }
}`;
const ACTIVE = '{ activeImpersonationSessions { id ticket ticketUrl } }';
const AUDIT_SESSIONS = `query Sessions($ticket: String) {
  auditSessions(filter: { ticket: $ticket }, first: 5) { edges { node { id ticket ticketUrl } } }
}`;
const AUDIT_EVENTS = `query Events($ticket: String) {
  auditEvents(filter: { ticket: $ticket }, first: 20) { edges { node { id sessionId action } } }
}`;
const URL_TEMPLATE = 'https://help.example/tickets/{ticket}';

let app: TestApp;
let mara: string;
let chloe: string;
let chloeId: string;

beforeAll(async () => {
  app = await startTestApp({
    config: {
      TICKET_REQUIRED: true,
      TICKET_PATTERN: 'SUP-[0-9]{1,8}',
      TICKET_URL: URL_TEMPLATE,
      IMPERSONATION_STARTS_PER_WINDOW: 1000,
      ...STEP_UP_AFTER_A_YEAR,
    },
  });
  mara = await app.signIn('mara');
  chloe = await app.signIn('chloe');
  chloeId = await customerId(app, mara, 'chloe@example.test');
});
afterAll(async () => {
  await app?.close();
});
beforeEach(async () => {
  await app.services.prisma.impersonationSession.updateMany({
    where: { endedAt: null },
    data: { endedAt: app.clock.now(), endState: 'ENDED', endReason: 'test reset' },
  });
});

type Started = {
  startImpersonation: { token: string; session: { id: string; ticket: string | null; ticketUrl: string | null } };
};
const start = (ticket?: string | null): Promise<GqlResult<Started>> =>
  app.gql<Started>(START, { customerId: chloeId, reason: REASON, ...(ticket === undefined ? {} : { ticket }) }, mara);
const reasonOf = (result: GqlResult) => result.errors?.[0]?.extensions?.reason;
/** A view of this ticket that has ended (one live view per manager): its session. */
async function endedView(ticket: string) {
  const session = expectData(await start(ticket)).startImpersonation.session;
  expectData(await app.gql(END, { id: session.id }, mara));
  return session;
}

describe('Start', () => {
  it('starts a view that names a ticket of the salon’s pattern, with its link', async () => {
    const session = expectData(await start(' SUP-1010 ')).startImpersonation.session;
    expect(session).toEqual({ id: session.id, ticket: 'SUP-1010', ticketUrl: 'https://help.example/tickets/SUP-1010' });
    const row = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.ticket).toBe('SUP-1010');
  });

  it.each([
    ['no ticket (unauthorized)', undefined, TicketRefusal.Required],
    ['a blank ticket (unauthorized)', '   ', TicketRefusal.Required],
    ['a ticket of another pattern (unauthorized)', 'ZD-1010', TicketRefusal.Bad],
    ['a ticket that only contains the pattern (unauthorized)', 'xSUP-1010y', TicketRefusal.Bad],
  ])('refuses a start with %s where the salon requires one', async (_case, ticket, reason) => {
    const before = await app.services.prisma.impersonationSession.count();
    const result = await start(ticket);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(reasonOf(result)).toBe(reason);
    expect(await app.services.prisma.impersonationSession.count()).toBe(before);
  });

  it('refuses a ticket over the declared length before it runs (unauthorized)', async () => {
    const result = await start(`SUP-${'1'.repeat(200)}`);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
  });

  it('records the ticket in the start’s audit record', async () => {
    const session = expectData(await start('SUP-2020')).startImpersonation.session;
    const record = await app.services.prisma.auditEvent.findFirstOrThrow({
      where: { sessionId: session.id, action: 'SESSION_STARTED' },
    });
    expect(record.seen).toMatchObject({ ticket: 'SUP-2020' });
  });

  it('shows the ticket and its link in Active sessions', async () => {
    const session = expectData(await start('SUP-3030')).startImpersonation.session;
    const active = expectData(await app.gql(ACTIVE, {}, mara)).activeImpersonationSessions;
    expect(active).toContainEqual({
      id: session.id,
      ticket: 'SUP-3030',
      ticketUrl: `https://help.example/tickets/SUP-3030`,
    });
  });

  it('shows the ticket on the staff member’s own banner query', async () => {
    const { token, session } = expectData(await start('SUP-3131')).startImpersonation;
    const current = expectData(await app.gql('{ currentImpersonation { id ticket } }', {}, token));
    expect(current.currentImpersonation).toEqual({ id: session.id, ticket: 'SUP-3131' });
  });

  it('never tells the customer the ticket: not in her notices, her access log or her requests', async () => {
    const session = expectData(await start('SUP-4040')).startImpersonation.session;
    expectData(await app.gql(END, { id: session.id }, mara));
    const messages = await app.services.prisma.message.findMany({ where: { customerId: chloeId } });
    expect(messages.some((message) => message.body.includes('SUP-4040'))).toBe(false);
    const outbox = await app.services.prisma.notificationOutbox.findMany({ where: { sessionId: session.id } });
    expect(JSON.stringify(outbox)).not.toContain('SUP-4040');
    const ticketOnHerTypes = await app.gql('{ me { staffAccessLog { ticket } } }', {}, chloe);
    expect(ticketOnHerTypes.errors?.[0]?.message).toMatch(/Cannot query field "ticket"/);
  });
});

describe('Audit', () => {
  it('filters the audit browser’s sessions by ticket', async () => {
    const first = await endedView('SUP-5050');
    const other = await endedView('SUP-5051');
    const sessions = expectData(await app.gql(AUDIT_SESSIONS, { ticket: 'SUP-5050' }, mara)).auditSessions.edges;
    expect(sessions.map((edge: { node: unknown }) => edge.node)).toEqual([
      { id: first.id, ticket: 'SUP-5050', ticketUrl: 'https://help.example/tickets/SUP-5050' },
    ]);
    expect(JSON.stringify(sessions)).not.toContain(other.id);
  });

  it('filters the audit records by ticket: the records of its sessions only', async () => {
    const { token, session } = expectData(await start('SUP-6060')).startImpersonation;
    expectData(await app.gql('{ me { invoices { id } } }', {}, token));
    expectData(await app.gql(END, { id: session.id }, mara));
    const other = await endedView('SUP-6061');
    const records = expectData(await app.gql(AUDIT_EVENTS, { ticket: 'SUP-6060' }, mara)).auditEvents.edges.map(
      (edge: { node: { sessionId: string; action: string } }) => edge.node,
    );
    expect(records.length).toBeGreaterThanOrEqual(2);
    expect(records.every((record: { sessionId: string }) => record.sessionId === session.id)).toBe(true);
    expect(records.map((record: { action: string }) => record.action)).toEqual(
      expect.arrayContaining(['SESSION_STARTED', 'OPERATION']),
    );
    expect(JSON.stringify(records)).not.toContain(other.id);
  });

  it('finds nothing for a ticket no view named', async () => {
    const records = expectData(await app.gql(AUDIT_EVENTS, { ticket: 'SUP-0' }, mara)).auditEvents.edges;
    expect(records).toEqual([]);
    const sessions = expectData(await app.gql(AUDIT_SESSIONS, { ticket: 'SUP-0' }, mara)).auditSessions.edges;
    expect(sessions).toEqual([]);
  });

  it('exports the ticket of each record in its own column, filtered by ticket', async () => {
    const session = await endedView('SUP-7070');
    await endedView('SUP-7071');
    expect(header.csv.split(',')).toContain('ticket');
    let ndjson = '';
    for await (const chunk of exportPages(app.services, { ticket: 'SUP-7070' }, 'ndjson', 50)) ndjson += chunk;
    const rows = ndjson
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { ticket: string; sessionId: string });
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatchObject({ ticket: 'SUP-7070', sessionId: session.id });
  });
});

describe('Rules', () => {
  const settings = { TICKET_PATTERN: '[A-Za-z0-9][A-Za-z0-9._#-]{0,63}', TICKET_REQUIRED: false };

  it('lets a start name no ticket where the salon does not require one', () => {
    expect(checkTicket(settings, undefined)).toBeNull();
    expect(checkTicket(settings, '  ')).toBeNull();
  });

  it('accepts the default pattern’s ids and refuses control characters whatever the pattern', () => {
    expect(checkTicket(settings, 'ZD#5521')).toBe('ZD#5521');
    expect(() => checkTicket({ ...settings, TICKET_PATTERN: '.+' }, 'SUP\u00071')).toThrow(/not a ticket id/);
  });

  it('links a ticket with its id URL-encoded, and not without a template', () => {
    expect(ticketUrl({ TICKET_URL: URL_TEMPLATE }, 'A/B C')).toBe('https://help.example/tickets/A%2FB%20C');
    expect(ticketUrl({ TICKET_URL: undefined }, 'SUP-1')).toBeNull();
    expect(ticketUrl({ TICKET_URL: URL_TEMPLATE }, null)).toBeNull();
  });

  it('stops at startup on a pattern that does not compile or a link without {ticket}', () => {
    expect(() => loadConfig({ TICKET_PATTERN: 'SUP-[0-9' })).toThrow(/TICKET_PATTERN/);
    expect(() => loadConfig({ TICKET_URL: 'https://help.example/tickets/' })).toThrow(/TICKET_URL/);
    expect(() => loadConfig({ TICKET_URL: 'javascript:alert({ticket})' })).toThrow(/TICKET_URL/);
    expect(loadConfig({ TICKET_REQUIRED: 'true' }).TICKET_REQUIRED).toBe(true);
    expect(loadConfig({}).TICKET_REQUIRED).toBe(false);
  });
});
