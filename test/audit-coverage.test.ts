// Every attempt leaves exactly one record, saying what was seen (SPEC 4): attempts refused before
// execution (parse, validation, limits, variables, unknown operation) over HTTP and graphql-ws,
// refused connections and subscriptions, fragment-only and partly refused operations, secrets
// redacted by what the schema declares, and staff work outside a staff view.
import { createHash } from 'node:crypto';
import { AuditAction, AuditOutcome } from '@prisma/client';
import { getNamedType, isInputObjectType, isObjectType, isScalarType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RECORDED_STRING, REDACTED } from '../server/audit/redact.ts';
import { schema } from '../server/schema/index.ts';
import { NOT_SENSITIVE } from '../server/schema/sensitive.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { collect, customerId, startSession } from './impersonation-helpers.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let app: TestApp;
let mara: string;
let token: string;
let sessionId: string;

beforeAll(async () => {
  app = await startTestApp();
  mara = await app.signIn('mara');
  ({
    token,
    session: { id: sessionId },
  } = await startSession(app, mara));
});
afterAll(async () => {
  await app?.close();
});

type Seen = { fields?: string[]; records?: Record<string, { count: number; ids: string[] }>; refused?: string[] };

const operations = () =>
  app.services.prisma.auditEvent.findMany({
    where: { sessionId, action: AuditAction.OPERATION },
    orderBy: { id: 'asc' },
  });

/** Runs `attempt` and returns the records it left in the session. */
async function recordsOf(attempt: () => Promise<unknown>) {
  const before = (await operations()).length;
  await attempt();
  return (await operations()).slice(before);
}

const post = async (body: string, authorization = `Bearer ${token}`) =>
  app.app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body,
  });

describe('Attempts refused before execution', () => {
  it('a parse error leaves one DENIED record', async () => {
    const records = await recordsOf(() => post(JSON.stringify({ query: '{ me { name ' })));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: AuditOutcome.DENIED, errorCode: 'GRAPHQL_PARSE_FAILED' });
  });

  it('a validation error leaves one DENIED record naming the operation', async () => {
    const records = await recordsOf(() => app.gql('query Peek { me { passwordHash } }', {}, token));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      outcome: AuditOutcome.DENIED,
      errorCode: 'GRAPHQL_VALIDATION_FAILED',
      operationName: 'Peek',
      rootFields: ['me'],
    });
  });

  it('an unknown operationName leaves one DENIED record', async () => {
    const body = JSON.stringify({ query: 'query A { me { name } }', operationName: 'B' });
    const records = await recordsOf(() => post(body));
    expect(records).toHaveLength(1);
    expect(records[0]!.outcome).toBe(AuditOutcome.DENIED);
  });

  it('a variable that does not coerce leaves one DENIED record', async () => {
    const records = await recordsOf(() =>
      app.gql(
        'query V($upcoming: Boolean) { me { appointments(upcoming: $upcoming) { id } } }',
        { upcoming: 'x' },
        token,
      ),
    );
    expect(records).toHaveLength(1);
    expect(records[0]!.outcome).toBe(AuditOutcome.DENIED);
  });

  it('a limit refusal leaves one DENIED record', async () => {
    const deep = '{ me { pets { appointments { pet { appointments { pet { appointments { pet { name } } } } } } } } }';
    const records = await recordsOf(() => app.gql(deep, {}, token));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: AuditOutcome.DENIED, errorCode: 'QUERY_TOO_COMPLEX' });
  });

  it('a parse error and a validation error over graphql-ws leave one record each', async () => {
    const client = app.wsClient(token);
    const records = await recordsOf(async () => {
      await collect(client, 'subscription { impersonationSession { ').done;
      await collect(client, 'subscription { impersonationSession { passwordHash } }').done;
    });
    expect(records.map((record) => record.errorCode)).toEqual(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']);
  });

  it('a subscription the staff view may not open leaves one DENIED record', async () => {
    const client = app.wsClient(token);
    const records = await recordsOf(() => collect(client, 'subscription { activeImpersonationSessions { id } }').done);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: AuditOutcome.DENIED, errorCode: 'FORBIDDEN' });
  });
});

describe('Transports', () => {
  it('a batch of two operations leaves one record each', async () => {
    const body = JSON.stringify([{ query: 'query One { me { name } }' }, { query: 'query Two { me { email } }' }]);
    const records = await recordsOf(() => post(body));
    // The two run side by side: their records may land in either order.
    expect(records.map((record) => record.operationName).sort()).toEqual(['One', 'Two']);
  });

  it('a GET query leaves one record', async () => {
    const records = await recordsOf(async () =>
      app.app.yoga.fetch(`http://test/graphql?query=${encodeURIComponent('query Get { me { name } }')}`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      }),
    );
    expect(records).toMatchObject([{ operationName: 'Get', outcome: AuditOutcome.ALLOWED }]);
  });

  it('a request refused whole (too many operations) leaves one record', async () => {
    const body = JSON.stringify(Array.from({ length: 11 }, () => ({ query: '{ me { name } }' })));
    const records = await recordsOf(() => post(body));
    expect(records).toHaveLength(1);
    expect(records[0]!.outcome).toBe(AuditOutcome.DENIED);
  });
});

describe('What was seen', () => {
  it('a fragment-only query lists the fields and records it served', async () => {
    const query = `query Innocent { ...F }
      fragment F on Query { me { paymentMethods { last4 } messages { body } } }`;
    const [record] = await recordsOf(() => app.gql(query, {}, token));
    const seen = record!.seen as Seen;
    expect(record!.outcome).toBe(AuditOutcome.ALLOWED);
    expect(seen.fields).toEqual(expect.arrayContaining(['me.paymentMethods.last4', 'me.messages.body']));
    expect(seen.records?.PaymentMethod?.count).toBeGreaterThan(0);
    expect(seen.records?.Message?.count).toBeGreaterThan(0);
  });

  it('a query whose name looks denied but served data is PARTIAL, naming the refused path', async () => {
    const query = `query LooksDenied { ...F viewer { staff { email } } }
      fragment F on Query { me { paymentMethods { last4 } } }`;
    const [record] = await recordsOf(() => app.gql(query, {}, token));
    expect(record!.outcome).toBe(AuditOutcome.PARTIAL);
    expect((record!.seen as Seen).refused).toContain('viewer.staff.email');
    expect((record!.seen as Seen).fields).toContain('me.paymentMethods.last4');
  });

  it('aliases do not hide a field', async () => {
    const [record] = await recordsOf(() => app.gql('{ harmless: me { notes: messages { text: body } } }', {}, token));
    expect((record!.seen as Seen).fields).toContain('me.messages.body');
  });

  it('a refused mutation is DENIED and serves nothing', async () => {
    const [record] = await recordsOf(() => app.gql('mutation { sendMessage(body: "hi") { id } }', {}, token));
    expect(record).toMatchObject({ outcome: AuditOutcome.DENIED, errorCode: 'FORBIDDEN' });
    expect((record!.seen as Seen).fields).toEqual([]);
  });
});

describe('Redaction by schema', () => {
  it('redacts a card number passed in a variable of any name, at any depth', async () => {
    const [record] = await recordsOf(() =>
      app.gql(
        'mutation Card($cc: AddPaymentMethodInput!) { addPaymentMethod(input: $cc) { id } }',
        { cc: { cardNumber: '4111111111111111', expMonth: 12, expYear: 2030 } },
        token,
      ),
    );
    expect(record!.variables).toEqual({ cc: { cardNumber: REDACTED, expMonth: 12, expYear: 2030 } });
  });

  it('redacts a password passed in a variable named pin', async () => {
    const [record] = await recordsOf(() =>
      app.gql(
        'mutation P($pin: String!, $next: String!) { changePassword(currentPassword: $pin, newPassword: $next) }',
        { pin: 'old-secret-1', next: 'new-secret-12' },
        token,
      ),
    );
    expect(record!.variables).toEqual({ pin: REDACTED, next: REDACTED });
  });

  /** What a withheld value looks like in a record: its length and a keyed digest, never the value. */
  const withheldValue = (length: number) => ({
    redacted: REDACTED,
    length,
    hmacSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  });

  it('withholds a variable the operation does not declare: its length and keyed digest only', async () => {
    const [record] = await recordsOf(() => app.gql('{ me { name } }', { cardNo: '4111111111111111' }, token));
    expect(record!.variables).toEqual({ cardNo: withheldValue(16) });
    expect(JSON.stringify(record!.variables)).not.toContain('4111');
  });

  it('withholds a declared variable the operation does not use', async () => {
    const [record] = await recordsOf(() =>
      app.gql('query Q($cvv: String) { me { name } }', { cvv: '123'.padEnd(50_000, ' ') }, token),
    );
    expect(record!.variables).toEqual({ cvv: withheldValue(50_000) });
  });

  it('withholds a variable bound to a misspelled argument or input field', async () => {
    const [misspelledField] = await recordsOf(() =>
      app.gql(
        'mutation C($n: String!) { addPaymentMethod(input: { cardNumbr: $n, expMonth: 1, expYear: 2030 }) { id } }',
        { n: '4111111111111111' },
        token,
      ),
    );
    expect(misspelledField!.variables).toEqual({ n: withheldValue(16) });
    const [misspelledMutation] = await recordsOf(() =>
      app.gql('mutation P($p: String!) { chagePassword(newPassword: $p) }', { p: 'a-new-secret-1' }, token),
    );
    expect(misspelledMutation!.variables).toEqual({ p: withheldValue(14) });
  });

  it('keeps values that are not secrets (unauthorized to hide)', async () => {
    const [record] = await recordsOf(() =>
      app.gql(
        'query U($upcoming: Boolean) { me { appointments(upcoming: $upcoming) { id } } }',
        { upcoming: true },
        token,
      ),
    );
    expect(record!.variables).toEqual({ upcoming: true });
  });

  it('every String and ID argument and input field is declared sensitive or reviewed', () => {
    const unreviewed: string[] = [];
    const isText = (type: Parameters<typeof getNamedType>[0]) => {
      const named = getNamedType(type);
      return isScalarType(named) && (named.name === 'String' || named.name === 'ID');
    };
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          for (const arg of field.args) {
            const coordinate = `${type.name}.${field.name}(${arg.name}:)`;
            const text = isText(arg.type) || isInputObjectType(getNamedType(arg.type));
            if (text && !arg.extensions.sensitive && !(coordinate in NOT_SENSITIVE)) unreviewed.push(coordinate);
          }
        }
      }
      if (isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          const coordinate = `${type.name}.${field.name}`;
          if (isText(field.type) && !field.extensions.sensitive && !(coordinate in NOT_SENSITIVE)) {
            unreviewed.push(coordinate);
          }
        }
      }
    }
    expect(unreviewed).toEqual([]);
  });
});

describe('Staff work outside a staff view', () => {
  const staffRecords = (action: AuditAction) =>
    app.services.prisma.auditEvent.findMany({ where: { action }, orderBy: { id: 'asc' } });

  it('a directory search records who searched for what', async () => {
    const rita = await app.signIn('rita');
    await app.gql('query Find($search: String) { customers(search: $search) { id } }', { search: 'chlo' }, rita);
    const [search] = (await staffRecords(AuditAction.DIRECTORY_SEARCH)).slice(-1);
    const ritaId = (await app.services.prisma.staff.findUniqueOrThrow({ where: { email: 'rita@salon.test' } })).id;
    expect(search).toMatchObject({ staffId: ritaId, variables: { search: 'chlo' }, outcome: AuditOutcome.ALLOWED });
  });

  it('a long directory search is recorded cut, with its length and SHA-256', async () => {
    const rita = await app.signIn('rita');
    const search = 'chlo'.repeat(12_500);
    await app.gql('query Find($search: String) { customers(search: $search) { id } }', { search }, rita);
    const [record] = (await staffRecords(AuditAction.DIRECTORY_SEARCH)).slice(-1);
    expect(record!.variables).toEqual({
      search: { cut: search.slice(0, MAX_RECORDED_STRING), length: 50_000, sha256: sha256(search) },
    });
  });

  it('a customer reading their own portal leaves no record (unauthorized to audit customers)', async () => {
    const chloe = await app.signIn('chloe');
    const before = await app.services.prisma.auditEvent.count();
    await app.gql('{ me { name } }', {}, chloe);
    expect(await app.services.prisma.auditEvent.count()).toBe(before);
  });

  it('staff sign-ins, failed sign-ins and sign-outs are recorded', async () => {
    const gus = await app.signIn('gus');
    await app.gql('mutation { signIn(email: "gus@salon.test", password: "wrong-password") { token } }');
    await app.gql('mutation { signOut }', {}, gus);
    const gusId = (await app.services.prisma.staff.findUniqueOrThrow({ where: { email: 'gus@salon.test' } })).id;
    const of = async (action: AuditAction) => (await staffRecords(action)).filter((r) => r.staffId === gusId);
    expect(await of(AuditAction.STAFF_SIGNED_IN)).toHaveLength(1);
    expect(await of(AuditAction.STAFF_SIGN_IN_FAILED)).toMatchObject([{ outcome: AuditOutcome.DENIED }]);
    expect(await of(AuditAction.STAFF_SIGNED_OUT)).toHaveLength(1);
  });

  it('administrative changes record their target, before and after', async () => {
    const max = await app.signIn('max');
    const gusId = (await app.services.prisma.staff.findUniqueOrThrow({ where: { email: 'gus@salon.test' } })).id;
    await app.gql('mutation R($id: ID!) { setStaffRole(staffId: $id, role: RECEPTIONIST) { id } }', { id: gusId }, max);
    const danId = await customerId(app, max, 'dan@example.test');
    await app.gql(
      'mutation S($id: ID!) { setCustomerStatus(customerId: $id, status: DISABLED) { id } }',
      { id: danId },
      max,
    );
    const [role] = (await staffRecords(AuditAction.STAFF_UPDATED)).slice(-1);
    const [status] = (await staffRecords(AuditAction.CUSTOMER_STATUS_CHANGED)).slice(-1);
    expect(role!.seen).toEqual({
      change: { target: `Staff:${gusId}`, before: { role: 'GROOMER' }, after: { role: 'RECEPTIONIST' } },
    });
    expect(status).toMatchObject({
      customerId: danId,
      seen: { change: { target: `Customer:${danId}`, before: { status: 'ACTIVE' }, after: { status: 'DISABLED' } } },
    });
  });
});

describe('Staff view marks', () => {
  it('a report of a removed banner is recorded in the session', async () => {
    const before = await app.services.prisma.auditEvent.count({ where: { action: AuditAction.STAFF_VIEW_TAMPERED } });
    const result = await app.gql(
      'mutation R { reportStaffViewTampering(marks: [BANNER], how: [REMOVED]) { counted } }',
      {},
      token,
    );
    expect(result.data).toEqual({ reportStaffViewTampering: { counted: true } });
    const records = await app.services.prisma.auditEvent.findMany({
      where: { action: AuditAction.STAFF_VIEW_TAMPERED },
      orderBy: { id: 'asc' },
    });
    expect(records).toHaveLength(before + 1);
    expect(records.at(-1)).toMatchObject({ sessionId, reason: 'Incident 1 of 3: BANNER (REMOVED)' });
  });

  it('reports are refused outside a staff view (unauthorized)', async () => {
    const chloe = await app.signIn('chloe');
    const result = await app.gql(
      'mutation { reportStaffViewTampering(marks: [BORDER], how: [COLOR]) { counted } }',
      {},
      chloe,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('reports are rate-limited per session', async () => {
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < app.services.config.STAFF_VIEW_REPORTS_PER_MINUTE + 1; i += 1) {
      const result = await app.gql(
        'mutation { reportStaffViewTampering(marks: [WATERMARK], how: [IMAGE]) { counted } }',
        {},
        token,
      );
      codes.push(result.errors?.[0]?.extensions?.code as string | undefined);
    }
    expect(codes).toContain('RATE_LIMITED');
  });
});

describe('Refused connections', () => {
  it('a WebSocket opened with the token of an ended session leaves one DENIED record', async () => {
    const max = await app.signIn('max');
    const ended = await startSession(app, max, 'chloe@example.test');
    await app.gql(
      'mutation E($id: ID!) { endImpersonation(sessionId: $id) { id } }',
      { id: ended.session.id },
      ended.token,
    );
    const closed = new Promise<number>((resolve) => app.wsClient(ended.token, resolve));
    expect(await closed).toBe(4403);
    const records = await app.services.prisma.auditEvent.findMany({
      where: { sessionId: ended.session.id, action: AuditAction.OPERATION, operationType: 'connection' },
    });
    expect(records).toMatchObject([{ operationType: 'connection', outcome: AuditOutcome.DENIED }]);
  });
});
