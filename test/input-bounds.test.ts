// Bounded input (SPEC 13), tried as an attacker would: reasons made of invisible characters, text
// that cannot be stored (NUL, lone surrogates) in every kind of argument, huge values, and the
// refusals they get: a stable 4xx code, never an internal error, and one audit record each under
// impersonation.
import { AuditAction } from '@prisma/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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
  startImpersonation(customerId: $customerId, reason: $reason) { status session { id } }
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
