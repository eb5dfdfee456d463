// The audit trail: what is recorded under impersonation, redaction, append-only storage,
// fail-closed serving, the manager queries, the customer's access log and the hash chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from './factories.ts';
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

const AUDIT = `query Audit($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id action outcome staffName customerName sessionId operationName operationType rootFields variables errorCode reason requestId ip userAgent } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function events(filter: Record<string, unknown>, first = 50) {
  const result = await app.gql(AUDIT, { filter, first }, mara);
  expect(result.errors).toBeUndefined();
  return result.data.auditEvents.edges.map((edge: { node: Record<string, unknown> }) => edge.node) as Record<
    string,
    any
  >[];
}

describe('Recording', () => {
  it('records the start, every operation with its details, denied attempts with redacted secrets, and the end', async () => {
    const { token, session } = await startSession(app, mara);
    const response = await app.app.yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'user-agent': 'audit-test',
        'x-request-id': 'req-123',
      },
      body: JSON.stringify({ query: 'query PortalHome { me { name } services { name } }' }),
    });
    expect(response.status).toBe(200);
    await app.gql(
      'mutation ChangePassword($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }',
      { current: 'demo-customer-pass', next: 'a-new-secret-pass' },
      token,
    );
    await app.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, token);

    const trail = (await events({ sessionId: session.id })).reverse();
    expect(trail.map((event) => `${event.action}:${event.outcome}`)).toEqual([
      'SESSION_STARTED:ALLOWED',
      'OPERATION:ALLOWED',
      'OPERATION:DENIED',
      // The end commits during the End operation; the operation's record follows its effect.
      'SESSION_ENDED:ALLOWED',
      'OPERATION:ALLOWED',
    ]);
    expect(trail[1]).toMatchObject({
      staffName: 'Mara Quinn',
      customerName: 'Chloe Martin',
      operationName: 'PortalHome',
      operationType: 'query',
      rootFields: ['me', 'services'],
      // The server's id (echoed in the response header), never the client's x-request-id.
      requestId: response.headers.get('x-request-id'),
      userAgent: 'audit-test',
      errorCode: null,
    });
    expect(trail[2]).toMatchObject({
      operationName: 'ChangePassword',
      operationType: 'mutation',
      rootFields: ['changePassword'],
      errorCode: 'FORBIDDEN',
      variables: { current: '[REDACTED]', next: '[REDACTED]' },
    });
    expect(JSON.stringify(trail)).not.toContain('a-new-secret-pass');
    expect(trail[4]).toMatchObject({ operationName: 'End', rootFields: ['endImpersonation'] });
  });

  it('records an attempt with the token of an ended session as denied, and serves nothing', async () => {
    const { token, session } = await startSession(app, mara);
    await app.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, mara);
    const late = await app.gql('query LateLook { me { name email } }', {}, token);
    expect(errorCode(late)).toBe('UNAUTHENTICATED');
    expect(late.data ?? null).toBeNull();
    const [latest] = await events({ sessionId: session.id }, 1);
    expect(latest).toMatchObject({
      action: 'OPERATION',
      outcome: 'DENIED',
      errorCode: 'UNAUTHENTICATED',
      operationName: 'LateLook',
      rootFields: ['me'],
      staffName: 'Mara Quinn',
      customerName: 'Chloe Martin',
    });
  });

  it('does not record what customers do in their own portal', async () => {
    const chloe = await app.signIn('chloe');
    await app.gql('query OwnVisit { me { name } }', {}, chloe);
    const own = (await events({ action: 'OPERATION' }, 200)).filter((event) => event.operationName === 'OwnVisit');
    expect(own).toHaveLength(0);
  });
});

describe('Storage', () => {
  it('refuses UPDATE, DELETE and TRUNCATE on the audit log', async () => {
    await expect(app.services.pool.query(`UPDATE "AuditEvent" SET reason = 'edited'`)).rejects.toThrow(/append-only/);
    await expect(app.services.pool.query(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    await expect(app.services.pool.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
  });

  it('serves nothing under impersonation when the record cannot be written (fail closed)', async () => {
    const { token, session } = await startSession(app, mara);
    await app.services.pool.query(
      `CREATE FUNCTION audit_outage() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql`,
    );
    await app.services.pool.query(
      `CREATE TRIGGER audit_outage BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION audit_outage()`,
    );
    try {
      const result = await app.gql('{ me { name email } }', {}, token);
      expect(errorCode(result)).toBe('AUDIT_UNAVAILABLE');
      expect(result.data ?? null).toBeNull();
      expect(JSON.stringify(result)).not.toContain('chloe@example.test');
    } finally {
      await app.services.pool.query('DROP TRIGGER audit_outage ON "AuditEvent"');
      await app.services.pool.query('DROP FUNCTION audit_outage()');
    }
    const served = await app.gql('{ me { name } }', {}, token);
    expect(served.data.me.name).toBe('Chloe Martin');
    await app.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, mara);
  });
});

describe('Queries', () => {
  it('the audit log is for managers', async () => {
    const result = await app.gql(AUDIT, { first: 1 }, max);
    expect(result.errors).toBeUndefined();
    expect(result.data.auditEvents.edges).toHaveLength(1);
  });

  it('the audit log is for managers (unauthorized)', async () => {
    const rita = await app.signIn('rita');
    const chloe = await app.signIn('chloe');
    expect(errorCode(await app.gql(AUDIT, {}, rita))).toBe('FORBIDDEN');
    expect(errorCode(await app.gql(AUDIT, {}, chloe))).toBe('FORBIDDEN');
  });

  it('pages newest first with a cursor', async () => {
    const first = await app.gql(AUDIT, { first: 2 }, mara);
    const second = await app.gql(AUDIT, { first: 2, after: first.data.auditEvents.pageInfo.endCursor }, mara);
    const ids = [...first.data.auditEvents.edges, ...second.data.auditEvents.edges].map(
      (edge: { node: { id: string } }) => Number(edge.node.id),
    );
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(4);
    expect(first.data.auditEvents.pageInfo.hasNextPage).toBe(true);
  });

  it('filters by action, outcome, staff and time', async () => {
    const denied = await events({ outcome: 'DENIED' });
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((event) => event.outcome === 'DENIED')).toBe(true);
    const starts = await events({ action: 'SESSION_STARTED' });
    expect(starts.every((event) => event.action === 'SESSION_STARTED')).toBe(true);
    const future = await events({ from: new Date(app.clock.now().getTime() + HOUR).toISOString() });
    expect(future).toHaveLength(0);
    const staff = await app.gql('{ staffMembers { id email } }', {}, mara);
    const maxId = staff.data.staffMembers.find((s: { email: string }) => s.email === 'max@salon.test').id;
    expect(await events({ staffId: maxId, action: 'OPERATION' })).toHaveLength(0);
  });

  it('refuses a cursor it did not hand out', async () => {
    expect(errorCode(await app.gql(AUDIT, { after: 'not-a-cursor' }, mara))).toBe('BAD_USER_INPUT');
  });

  it('shows the customer who viewed their account, when and why', async () => {
    const chloe = await app.signIn('chloe');
    const log = await app.gql('{ me { staffAccessLog { staffName reason startedAt endState } } }', {}, chloe);
    expect(log.data.me.staffAccessLog.length).toBeGreaterThan(0);
    expect(log.data.me.staffAccessLog[0]).toMatchObject({
      staffName: 'Mara Quinn',
      reason: 'Customer called about a billing question',
    });
  });

  it('active sessions are listed for managers', async () => {
    const { session } = await startSession(app, mara);
    const active = await app.gql(
      '{ activeImpersonationSessions { id reason remainingSeconds staff { name } customer { name } } }',
      {},
      max,
    );
    expect(active.data.activeImpersonationSessions).toEqual([
      expect.objectContaining({
        id: session.id,
        staff: { name: 'Mara Quinn' },
        customer: { name: 'Chloe Martin' },
        remainingSeconds: app.services.limits.durationMs / 1000,
      }),
    ]);
    await app.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, mara);
  });

  it('active sessions are listed for managers (unauthorized)', async () => {
    const chloe = await app.signIn('chloe');
    expect(errorCode(await app.gql('{ activeImpersonationSessions { id } }', {}, chloe))).toBe('FORBIDDEN');
  });
});

describe('Hash chain', () => {
  const VERIFY = '{ verifyAuditChain { ok checked brokenAtId problem } }';

  it('verifies an intact log', async () => {
    const result = await app.gql(VERIFY, {}, mara);
    expect(result.data.verifyAuditChain).toMatchObject({ ok: true, brokenAtId: null });
    expect(result.data.verifyAuditChain.checked).toBeGreaterThan(5);
  });

  it('detects an edited row and a deleted row (by someone able to disable the trigger)', async () => {
    const pool = app.services.pool;
    const { rows } = await pool.query<{ id: string }>(`SELECT id::text FROM "AuditEvent" ORDER BY id LIMIT 3`);
    await pool.query('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_no_update_delete"');
    try {
      await pool.query(`UPDATE "AuditEvent" SET reason = 'nothing to see' WHERE id = $1`, [rows[1]!.id]);
      const edited = await app.gql(VERIFY, {}, mara);
      expect(edited.data.verifyAuditChain).toMatchObject({
        ok: false,
        brokenAtId: rows[1]!.id,
        problem: 'row content changed',
      });

      await pool.query(`DELETE FROM "AuditEvent" WHERE id = $1`, [rows[1]!.id]);
      const deleted = await app.gql(VERIFY, {}, mara);
      expect(deleted.data.verifyAuditChain).toMatchObject({
        ok: false,
        brokenAtId: rows[2]!.id,
        problem: 'previous row missing or changed',
      });
    } finally {
      await pool.query('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_no_update_delete"');
    }
  });
});
