// No audit record over 64 KB and no attempt without its record, whatever bytes it carried (SPEC 13):
// NUL characters and lone surrogates are stored escaped, oversized columns are replaced by their
// length and digest, and the record still verifies in its chain.
import { AuditAction } from '@prisma/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_RECORD_MAX_BYTES, boundedEntry } from '../server/audit/bounded.ts';
import { storableText } from '../server/db/storable-text.ts';
import { verifyAuditLog } from '../server/audit/verify.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { startSession } from './impersonation-helpers.ts';

describe('boundedEntry', () => {
  const entry = { action: AuditAction.OPERATION, outcome: 'ALLOWED' as const, createdAt: new Date(0) };

  it('escapes NUL and replaces lone surrogates in every string, keys included', () => {
    const bounded = boundedEntry({ ...entry, reason: 'a\u0000b\uD800c', variables: { 'k\u0000': ['\uDC00x'] } });
    expect(bounded.reason).toBe('a\\u0000b\uFFFDc');
    expect(bounded.variables).toEqual({ 'k\\u0000': ['\uFFFDx'] });
  });

  it('keeps a well-formed surrogate pair (unauthorized to replace it)', () => {
    expect(storableText('dog \uD83D\uDC36')).toBe('dog \uD83D\uDC36');
  });

  it('replaces the variables, then what was seen, until the record fits in 64 KB', () => {
    const huge = { fields: Array.from({ length: 20_000 }, (_, i) => `me.pets.${i}.name`) };
    const bounded = boundedEntry({ ...entry, variables: { a: 'x'.repeat(100_000) }, seen: huge });
    expect(Buffer.byteLength(JSON.stringify(bounded))).toBeLessThanOrEqual(AUDIT_RECORD_MAX_BYTES);
    expect(bounded.variables).toMatchObject({ withheld: expect.any(String), length: expect.any(Number) });
    expect(bounded.seen).toMatchObject({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('leaves a small record as it is (unauthorized to withhold)', () => {
    const small = {
      ...entry,
      reason: 'Billing question',
      variables: { upcoming: true },
      seen: { fields: ['me.name'] },
    };
    expect(boundedEntry(small)).toMatchObject(small);
  });
});

describe('Records of attempts with unstorable bytes', () => {
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    app = await startTestApp();
    ({ token } = await startSession(app, await app.signIn('mara')));
  });

  afterAll(async () => {
    await app?.close();
  });

  it('a NUL or a lone surrogate in a variable of a staff view still leaves its one record, which verifies', async () => {
    const before = await app.services.prisma.auditEvent.count({ where: { action: AuditAction.OPERATION } });
    for (const value of ['a\u0000b', 'x\uD800y']) {
      const result = await app.gql('query Q($v: String) { me { name } }', { v: value }, token);
      expect(JSON.stringify(result)).not.toContain('AUDIT_UNAVAILABLE');
    }
    expect(await app.services.prisma.auditEvent.count({ where: { action: AuditAction.OPERATION } })).toBe(before + 2);
    const { key, checkpointFile } = app.services.auditSigning;
    await app.app.auditCheckpoints.checkpointNow();
    const verification = await verifyAuditLog(app.services.pool, { publicKey: key.publicKey, checkpointFile });
    expect(verification.findings).toEqual([]);
  });
});
