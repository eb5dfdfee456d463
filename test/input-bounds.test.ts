// Bounded input (SPEC 13), tried as an attacker would: reasons made of invisible characters, text
// that cannot be stored (NUL, lone surrogates) in every kind of argument, huge values, and the
// refusals they get: a stable 4xx code, never an internal error, and one audit record each under
// impersonation.
import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditAction } from '@prisma/client';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { WebSocket } from 'ws';
import { loadSigningKey } from '../server/audit/signing-key.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { customerId, startSession } from './impersonation-helpers.ts';

const CHLOE = 'chloe@example.test';

let app: TestApp;
let mara: string;

beforeAll(async () => {
  app = await startTestApp();
  mara = await app.signIn('mara');
});

afterAll(async () => {
  await app?.close();
});

const START = `mutation Start($customerId: ID!, $reason: String!) {
  startImpersonation(customerId: $customerId, reason: $reason, scope: { sections: [WHOLE_PORTAL], need: "Tests read every section of the portal" }) { status session { id } }
}`;
const END = 'mutation End($sessionId: ID!) { endImpersonation(sessionId: $sessionId) { id } }';

const codeOf = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.[0]?.extensions?.code;

describe('Reasons count letters and digits, not characters', () => {
  const invisible: [string, string][] = [
    ['Hangul fillers U+3164', '\u3164'.repeat(12)],
    ['halfwidth Hangul fillers U+FFA0', '\uFFA0'.repeat(12)],
    ['Hangul choseong fillers U+115F', '\u115F'.repeat(12)],
    ['Braille blanks U+2800', '\u2800'.repeat(12)],
    ['combining grapheme joiners U+034F', '\u034F'.repeat(12)],
    ['variation selectors VS16', '\uFE0F'.repeat(12)],
    ['private-use characters', '\uE000'.repeat(12)],
    ['zero-width spaces', '\u200B'.repeat(12)],
    ['no-break spaces', '\u00A0'.repeat(12)],
    ['byte-order marks', '\uFEFF'.repeat(12)],
    ['nine letters and punctuation', 'Billing?! ...... call'.replace('call', 'ca')],
  ];

  test.each(invisible)('a reason of %s is refused with BAD_USER_INPUT', async (_name, reason) => {
    const result = await app.gql(START, { customerId: await customerId(app, mara, CHLOE), reason }, mara);
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
  });

  test('ten letters of any script start a view (unauthorized to refuse them)', async () => {
    const result = await app.gql(
      START,
      { customerId: await customerId(app, mara, CHLOE), reason: '請求についての質問です' },
      mara,
    );
    expect(result.errors).toBeUndefined();
    const session = (result.data?.startImpersonation as { session: { id: string } }).session;
    await app.gql(END, { sessionId: session.id }, mara);
  });
});

describe('Text that cannot be stored', () => {
  test.each([
    ['a lone high surrogate', 'Billing question \uD800 about INV-1010'],
    ['a lone low surrogate', 'Billing question \uDC00 about INV-1010'],
    ['a NUL character', 'Billing question \u0000 about INV-1010'],
  ])('a reason with %s is refused with BAD_USER_INPUT, not an internal error', async (_name, reason) => {
    const result = await app.gql(START, { customerId: await customerId(app, mara, CHLOE), reason }, mara);
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
  });

  test('a staff view sending a lone surrogate leaves one DENIED record with the value escaped', async () => {
    const { token, session } = await startSession(app, mara);
    const where = { sessionId: session.id, action: AuditAction.OPERATION };
    const before = await app.services.prisma.auditEvent.count({ where });
    const result = await app.gql('{ me { name } }', { s: '\uD83D' }, token);
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    const records = await app.services.prisma.auditEvent.findMany({ where, orderBy: { id: 'asc' } });
    expect(records.length - before).toBe(1);
    expect(records.at(-1)).toMatchObject({ outcome: 'DENIED', errorCode: 'BAD_USER_INPUT' });
    expect(JSON.stringify(records.at(-1)!.variables)).toContain('redacted');
    await app.gql(END, { sessionId: session.id }, mara);
  });
});

/** A raw graphql-transport-ws socket: what it was closed with, and the messages it received. */
function rawSocket(url: string) {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const messages: { type: string; id?: string; payload?: unknown }[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
  socket.on('error', () => undefined);
  const opened = new Promise<void>((resolve) => socket.once('open', () => resolve()));
  const until = async (predicate: () => boolean) => {
    while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  return {
    socket,
    messages,
    closed,
    async init(token?: string) {
      await opened;
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} }),
      );
      await Promise.race([until(() => messages.some((m) => m.type === 'connection_ack')), closed]);
      return messages.some((m) => m.type === 'connection_ack');
    },
    send: async (message: unknown) => {
      await opened;
      socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    },
    until,
  };
}

describe('One size for every transport', () => {
  test('an anonymous 20 MB connection_init closes the socket (1009), and the server goes on serving', async () => {
    const client = rawSocket(app.wsUrl);
    await client.send(JSON.stringify({ type: 'connection_init', payload: { pad: ' '.repeat(20_000_000) } }));
    expect((await client.closed).code).toBe(1009);
    expect((await fetch(new URL('/health', app.url))).status).toBe(200);
  });

  test('a staff view’s message over the limit closes its socket and leaves one record', async () => {
    const { token, session } = await startSession(app, mara);
    const client = rawSocket(app.wsUrl);
    expect(await client.init(token)).toBe(true);
    const query = 'query Q($s: String) { me { name } }';
    await client.send({ id: '1', type: 'subscribe', payload: { query, variables: { s: 'x'.repeat(200_000) } } });
    expect((await client.closed).code).toBe(1009);
    const refusal = async () =>
      app.services.prisma.auditEvent.findFirst({
        where: { sessionId: session.id, errorCode: 'REQUEST_ENTITY_TOO_LARGE' },
      });
    while (!(await refusal())) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await refusal()).toMatchObject({ outcome: 'DENIED', operationType: 'connection' });
    await app.gql(END, { sessionId: session.id }, mara);
  });

  test('a staff view’s frame of invalid UTF-8 closes its socket (1007), leaves one record, logs no error', async () => {
    const errors = vi.spyOn(console, 'error');
    const { token, session } = await startSession(app, mara);
    const client = rawSocket(app.wsUrl);
    expect(await client.init(token)).toBe(true);
    client.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await client.closed).code).toBe(1007);
    const refusal = () =>
      app.services.prisma.auditEvent.findFirst({ where: { sessionId: session.id, errorCode: 'BAD_REQUEST' } });
    while (!(await refusal())) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await refusal()).toMatchObject({ outcome: 'DENIED', operationType: 'connection' });
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
    await app.gql(END, { sessionId: session.id }, mara);
  });

  test('a message under the limit is served (unauthorized to refuse it)', async () => {
    const client = rawSocket(app.wsUrl);
    expect(await client.init()).toBe(true);
    await client.send({ id: '1', type: 'subscribe', payload: { query: '{ services { id } }' } });
    await client.until(() => client.messages.some((m) => m.type === 'next'));
    client.socket.close();
  });
});

test('a flood of 1,000 sockets from one token stops at the default limit per sign-in', async () => {
  const token = await app.signIn('chloe');
  const sockets = Array.from({ length: 1000 }, () => rawSocket(app.wsUrl));
  const admitted = await Promise.all(sockets.map((client) => client.init(token)));
  expect(admitted.filter(Boolean)).toHaveLength(app.services.config.WS_CONNECTIONS_PER_SIGN_IN);
  expect((await fetch(new URL('/health', app.url))).status).toBe(200);
  for (const client of sockets) client.socket.close();
  await Promise.all(sockets.map((client) => client.closed));
});

describe('Sockets and operations per client', () => {
  let limited: TestApp;

  beforeAll(async () => {
    limited = await startTestApp({
      config: { WS_CONNECTIONS_PER_SIGN_IN: 3, WS_CONNECTIONS_PER_ADDRESS: 6, WS_SUBSCRIPTIONS_PER_CONNECTION: 2 },
    });
  });

  afterAll(async () => {
    await limited?.close();
  });

  test('one sign-in’s sockets stop at its limit with 4429 TOO_MANY_CONNECTIONS', async () => {
    const token = await limited.signIn('chloe');
    const sockets = Array.from({ length: 4 }, () => rawSocket(limited.wsUrl));
    const admitted = [];
    for (const client of sockets) admitted.push(await client.init(token));
    expect(admitted).toEqual([true, true, true, false]);
    expect(await sockets[3]!.closed).toEqual({ code: 4429, reason: 'TOO_MANY_CONNECTIONS' });
    // A closed socket gives its place back.
    sockets[0]!.socket.close();
    await sockets[0]!.closed;
    const again = rawSocket(limited.wsUrl);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await again.init(token)).toBe(true);
    for (const client of [...sockets, again]) client.socket.close();
    await Promise.all([...sockets, again].map((client) => client.closed));
  });

  test('one address’s sockets stop at its limit, before any sign-in', async () => {
    const sockets = Array.from({ length: 7 }, () => rawSocket(limited.wsUrl));
    const results = await Promise.all(sockets.map((client) => client.init()));
    expect(results.filter(Boolean)).toHaveLength(6);
    expect((await Promise.race(sockets.map((client) => client.closed))).code).toBe(4429);
    for (const client of sockets) client.socket.close();
    await Promise.all(sockets.map((client) => client.closed));
  });

  test('a socket runs at most its limit of operations at once: the next is refused with TOO_MANY_SUBSCRIPTIONS', async () => {
    const token = await limited.signIn('chloe');
    const client = rawSocket(limited.wsUrl);
    expect(await client.init(token)).toBe(true);
    const subscription = 'subscription { staffPresence { id } }';
    for (const id of ['1', '2', '3']) await client.send({ id, type: 'subscribe', payload: { query: subscription } });
    await client.until(() => client.messages.some((m) => m.type === 'error'));
    const error = client.messages.find((m) => m.type === 'error');
    expect(error).toMatchObject({ id: '3', payload: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }] });
    client.socket.close();
    await client.closed;
  });
});

describe('Refusal codes in the record', () => {
  test('a variable that does not coerce is recorded as BAD_USER_INPUT, the code the client gets', async () => {
    const { token, session } = await startSession(app, mara);
    const result = await app.gql(
      'query Q($upcoming: Boolean) { me { appointments(upcoming: $upcoming) { id } } }',
      { upcoming: 'not-a-boolean' },
      token,
    );
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    const record = await app.services.prisma.auditEvent.findFirst({
      where: { sessionId: session.id, action: AuditAction.OPERATION },
      orderBy: { id: 'desc' },
    });
    expect(record).toMatchObject({ outcome: 'DENIED', errorCode: 'BAD_USER_INPUT' });
    await app.gql(END, { sessionId: session.id }, mara);
  });
});

describe('POSTs another site could forge', () => {
  const post = (contentType: string, body: string) =>
    fetch(app.url, { method: 'POST', headers: { 'content-type': contentType }, body });
  const signIn = 'mutation { signIn(email: "gus@salon.test", password: "wrong-password") { token } }';

  test.each([
    ['application/x-www-form-urlencoded', `query=${encodeURIComponent(signIn)}`],
    [
      'multipart/form-data; boundary=x',
      `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: signIn })}\r\n--x--\r\n`,
    ],
    ['text/plain', JSON.stringify({ query: signIn })],
  ])('a %s POST is refused with 415 before anything runs', async (contentType, body) => {
    const before = await app.services.prisma.auditEvent.count({ where: { action: AuditAction.STAFF_SIGN_IN_FAILED } });
    const response = await post(contentType, body);
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] });
    expect(await app.services.prisma.auditEvent.count({ where: { action: AuditAction.STAFF_SIGN_IN_FAILED } })).toBe(
      before,
    );
  });

  test('a staff view’s text/plain POST is refused with 415 and leaves one record', async () => {
    const { token, session } = await startSession(app, mara);
    const where = { sessionId: session.id, action: AuditAction.OPERATION };
    const before = await app.services.prisma.auditEvent.count({ where });
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { name } }' }),
    });
    expect(response.status).toBe(415);
    const records = await app.services.prisma.auditEvent.findMany({ where, orderBy: { id: 'asc' } });
    expect(records.length - before).toBe(1);
    expect(records.at(-1)).toMatchObject({ outcome: 'DENIED', errorCode: 'HTTP_415' });
    await app.gql(END, { sessionId: session.id }, mara);
  });

  test('a JSON POST is served (unauthorized to refuse it)', async () => {
    const response = await post('application/json; charset=utf-8', JSON.stringify({ query: '{ services { id } }' }));
    expect(response.status).toBe(200);
  });
});

describe('The audit signing key in production', () => {
  const keyFile = async (mode: number) => {
    const folder = await mkdtemp(join(tmpdir(), 'salon-key-'));
    const file = join(folder, 'key.pem');
    await writeFile(file, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await chmod(file, mode);
    return file;
  };

  test('a key file its group or others may read is refused, saying how to fix it', async () => {
    const file = await keyFile(0o644);
    await expect(loadSigningKey(file, { create: false, privateOnly: true })).rejects.toThrow(/chmod 600/);
  });

  test('a key file only its owner may read is loaded (unauthorized to refuse it)', async () => {
    const file = await keyFile(0o600);
    await expect(loadSigningKey(file, { create: false, privateOnly: true })).resolves.toMatchObject({
      fingerprint: expect.stringMatching(/^SHA256:/),
    });
  });
});
