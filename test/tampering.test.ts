// Hidden staff-view marks, escalated (access/tampering.ts): each incident the staff view reports is
// recorded and counted once, shown live in the managers' Active sessions and counted in the
// session's audit summary apart from refused attempts; at the limit the view ends (TAMPERED) with
// its end record, and its token is refused afterwards. Over HTTP and WebSocket.
import { AuditAction } from '@prisma/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApp, type TestApp } from './harness.ts';
import { collect, startSession } from './impersonation-helpers.ts';

const LIMIT = 3;
const GAP_SECONDS = 5;
const REPORT = `mutation Report($marks: [StaffViewMark!]!, $how: [StaffViewTamperSign!]!) {
  reportStaffViewTampering(marks: $marks, how: $how) { counted incidents limit ended }
}`;
const BANNER_HIDDEN = { marks: ['BANNER'], how: ['OPACITY'] };
const ACTIVE = 'subscription Active { activeImpersonationSessions { id tamperIncidents } }';
const SUMMARY = 'query S($id: ID!) { auditSession(id: $id) { tamperIncidents deniedAttempts state endReason } }';

interface Outcome {
  counted: boolean;
  incidents: number;
  limit: number;
  ended: boolean;
}

let app: TestApp;
let mara: string;
let max: string;
let view: { token: string; session: { id: string } } | null = null;

beforeAll(async () => {
  app = await startTestApp({
    config: { STAFF_VIEW_TAMPER_LIMIT: LIMIT, STAFF_VIEW_TAMPER_GAP_SECONDS: GAP_SECONDS },
  });
  mara = await app.signIn('mara');
  max = await app.signIn('max');
});
afterEach(async () => {
  if (view)
    await app.gql(
      'mutation E($id: ID!) { endImpersonation(sessionId: $id) { id } }',
      { id: view.session.id },
      view.token,
    );
  view = null;
});
afterAll(async () => {
  await app?.close();
});

async function openView() {
  view = await startSession(app, mara);
  return view;
}

async function report(token: string, variables: Record<string, unknown> = BANNER_HIDDEN): Promise<Outcome> {
  const result = await app.gql<{ reportStaffViewTampering: Outcome }>(REPORT, variables, token);
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.reportStaffViewTampering;
}

const tamperRecords = (sessionId: string) =>
  app.services.prisma.auditEvent.findMany({
    where: { sessionId, action: AuditAction.STAFF_VIEW_TAMPERED },
    orderBy: { id: 'asc' },
  });

/** The next incident, past the gap that joins reports into one. */
const afterGap = () => app.clock.advance((GAP_SECONDS + 1) * 1000);

describe('Incidents', () => {
  it('records an incident once, with its marks and signs, and counts it on the session', async () => {
    const { token, session } = await openView();
    const first = await report(token, { marks: ['WATERMARK', 'BANNER', 'BANNER'], how: ['COVERED', 'OPACITY'] });
    expect(first).toEqual({ counted: true, incidents: 1, limit: LIMIT, ended: false });
    const records = await tamperRecords(session.id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      outcome: 'DENIED',
      reason: 'Incident 1 of 3: BANNER, WATERMARK (OPACITY, COVERED)',
    });
    const row = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.tamperIncidents).toBe(1);
  });

  it('takes a report within the gap as part of the last incident', async () => {
    const { token, session } = await openView();
    await report(token);
    expect(await report(token)).toEqual({ counted: false, incidents: 1, limit: LIMIT, ended: false });
    afterGap();
    expect(await report(token)).toMatchObject({ counted: true, incidents: 2 });
    expect(await tamperRecords(session.id)).toHaveLength(2);
  });

  it('counts concurrent reports of one incident once', async () => {
    const { token, session } = await openView();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => report(token)));
    expect(outcomes.filter((outcome) => outcome.counted)).toHaveLength(1);
    expect(await tamperRecords(session.id)).toHaveLength(1);
  });

  it('counts a report sent over the staff view’s WebSocket the same way', async () => {
    const { token, session } = await openView();
    const sent = collect<{ reportStaffViewTampering: Outcome }>(
      app.wsClient(token),
      `mutation { reportStaffViewTampering(marks: [BORDER], how: [COLOR]) { counted incidents limit ended } }`,
    );
    await sent.done;
    expect(sent.values).toEqual([
      { reportStaffViewTampering: { counted: true, incidents: 1, limit: LIMIT, ended: false } },
    ]);
    expect((await tamperRecords(session.id))[0]?.reason).toBe('Incident 1 of 3: BORDER (COLOR)');
  });

  it('refuses a report that names no mark or no sign (BAD_USER_INPUT), recording nothing', async () => {
    const { token, session } = await openView();
    const noMark = await app.gql(REPORT, { marks: [], how: ['REMOVED'] }, token);
    const noSign = await app.gql(REPORT, { marks: ['BANNER'], how: [] }, token);
    expect([errorCode(noMark), errorCode(noSign)]).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    expect(await tamperRecords(session.id)).toHaveLength(0);
  });

  it('refuses a report outside a staff view (unauthorized)', async () => {
    const chloe = await app.signIn('chloe');
    expect(errorCode(await app.gql(REPORT, BANNER_HIDDEN, chloe))).toBe('FORBIDDEN');
    expect(errorCode(await app.gql(REPORT, BANNER_HIDDEN, max))).toBe('FORBIDDEN');
  });
});

describe('What managers see', () => {
  it('shows the count in Active sessions, queried and pushed live', async () => {
    const { token, session } = await openView();
    const list = collect<{ activeImpersonationSessions: { id: string; tamperIncidents: number }[] }>(
      app.wsClient(max),
      ACTIVE,
    );
    const incidentsOf = (value: { activeImpersonationSessions: { id: string; tamperIncidents: number }[] }) =>
      value.activeImpersonationSessions.find((s) => s.id === session.id)?.tamperIncidents;
    await list.until((value) => incidentsOf(value) === 0);
    await report(token);
    await list.until((value) => incidentsOf(value) === 1);
    afterGap();
    await report(token);
    await list.until((value) => incidentsOf(value) === 2);
    const queried = await app.gql<{ activeImpersonationSessions: { id: string; tamperIncidents: number }[] }>(
      'query { activeImpersonationSessions { id tamperIncidents } }',
      {},
      max,
    );
    expect(queried.data!.activeImpersonationSessions.find((s) => s.id === session.id)?.tamperIncidents).toBe(2);
  });

  it('counts incidents in the session summary, not as refused attempts', async () => {
    const { token, session } = await openView();
    await report(token);
    const summary = await app.gql<{ auditSession: { tamperIncidents: number; deniedAttempts: number } }>(
      SUMMARY,
      { id: session.id },
      max,
    );
    expect(summary.data?.auditSession).toMatchObject({ tamperIncidents: 1, deniedAttempts: 0 });
  });
});

describe('The limit', () => {
  it('ends the view at the limit (TAMPERED), with its end record, pushed to the banner and the list', async () => {
    const { token, session } = await openView();
    const closed = new Promise<number>((resolve) => {
      collect(app.wsClient(token, resolve), 'subscription { impersonationSession { state endReason } }');
    });
    const list = collect<{ activeImpersonationSessions: { id: string }[] }>(app.wsClient(max), ACTIVE);
    await list.until((value) => value.activeImpersonationSessions.some((s) => s.id === session.id));
    for (let i = 1; i < LIMIT; i += 1) {
      expect(await report(token)).toMatchObject({ counted: true, incidents: i, ended: false });
      afterGap();
    }
    expect(await report(token)).toEqual({ counted: true, incidents: LIMIT, limit: LIMIT, ended: true });
    view = null;

    const row = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(row).toMatchObject({ endState: 'TAMPERED', tamperIncidents: LIMIT, endedByStaffId: null });
    expect(row.endReason).toBe("Ended automatically: the staff view's marks were hidden 3 times");
    const ends = await app.services.prisma.auditEvent.findMany({
      where: { sessionId: session.id, action: AuditAction.SESSION_ENDED_FOR_TAMPERING },
    });
    expect(ends).toHaveLength(1);
    expect(ends[0]).toMatchObject({ outcome: 'ALLOWED', reason: row.endReason });
    expect(await closed).toBe(4403);
    await list.until((value) => !value.activeImpersonationSessions.some((s) => s.id === session.id));

    const summary = await app.gql<{ auditSession: { tamperIncidents: number; state: string } }>(
      SUMMARY,
      { id: session.id },
      max,
    );
    expect(summary.data?.auditSession).toMatchObject({ tamperIncidents: LIMIT, state: 'TAMPERED' });
  });

  it('refuses the ended view’s token afterwards and records no further incident', async () => {
    const { token, session } = await openView();
    for (let i = 0; i < LIMIT; i += 1) {
      await report(token);
      afterGap();
    }
    view = null;
    const after = await app.gql(REPORT, BANNER_HIDDEN, token);
    expect(after.data).toBeFalsy();
    expect(errorCode(after)).toBe('UNAUTHENTICATED');
    expect(await tamperRecords(session.id)).toHaveLength(LIMIT);
    const row = await app.services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.tamperIncidents).toBe(LIMIT);
  });
});
