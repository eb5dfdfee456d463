// Group commit of audit records (audit/group-commit.ts, migration 0015) on the real database:
// records appended together share one statement, each keeps its own outcome (its id, null when its
// sign-in was no longer live, or its own error), a session's records stay in order along their
// shard's chain, and the log written this way verifies intact against a signed checkpoint.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditShard, type AuditEntry } from '../server/audit/chain.ts';
import { createAuditBatcher } from '../server/audit/group-commit.ts';
import { verifyAuditLog } from '../server/audit/verify.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { startSession } from './impersonation-helpers.ts';

let app: TestApp;
let mara: string;

beforeAll(async () => {
  // No timer checkpoints: the test takes its own.
  app = await startTestApp({ config: { AUDIT_CHECKPOINT_INTERVAL_MS: 3_600_000 } });
  mara = await app.signIn('mara');
});
afterAll(async () => {
  await app?.close();
});

const record = (sessionId: string, n: number): AuditEntry => ({
  action: 'OPERATION',
  outcome: 'ALLOWED',
  createdAt: app.clock.now(),
  sessionId,
  staffId: 'staff-group-commit',
  operationName: `Page${n}`,
  operationType: 'query',
  rootFields: ['me'],
});

/** Runs `run` counting the statements sent that call append_audit_events. */
async function batchStatementsDuring<T>(run: () => Promise<T>): Promise<{ result: T; batches: number }> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  let batches = 0;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
    if (text.includes('append_audit_events(')) batches += 1;
    return original.apply(this, args);
  };
  try {
    return { result: await run(), batches };
  } finally {
    proto.query = original;
  }
}

describe('Records appended together', () => {
  it('share statements (fewer statements than records), each gets its own id, and the log verifies', async () => {
    const batcher = createAuditBatcher(app.services.pool);
    const sessions = Array.from({ length: 20 }, (_, s) => `group-commit-session-${s}`);
    const { result: ids, batches } = await batchStatementsDuring(() =>
      Promise.all(sessions.flatMap((sessionId) => [0, 1, 2, 3, 4].map((n) => batcher.append(record(sessionId, n))))),
    );
    expect(ids).toHaveLength(100);
    expect(ids.every((id) => typeof id === 'bigint')).toBe(true);
    expect(new Set(ids.map(String)).size).toBe(100);
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(batches).toBeLessThan(100);

    const rows = await app.services.prisma.auditEvent.findMany({
      where: { staffId: 'staff-group-commit' },
      orderBy: { id: 'asc' },
    });
    expect(rows).toHaveLength(100);
    // A session's records in the order they were submitted, on the session's shard.
    for (const sessionId of sessions) {
      const own = rows.filter((row) => row.sessionId === sessionId);
      expect(own.map((row) => row.operationName)).toEqual(['Page0', 'Page1', 'Page2', 'Page3', 'Page4']);
      expect(new Set(own.map((row) => row.shard))).toEqual(new Set([auditShard({ sessionId })]));
    }

    await app.app.auditCheckpoints.checkpointNow();
    const verification = await verifyAuditLog(app.services.pool, {
      publicKey: app.services.auditSigning.key.publicKey,
      checkpointFile: app.services.auditSigning.checkpointFile,
    });
    expect(verification.findings).toEqual([]);
    expect(verification.ok).toBe(true);
  });
});

describe('Each record keeps its own outcome', () => {
  it('a record whose sign-in is no longer live gets null and is not written; the others in its batch are', async () => {
    const { session } = await startSession(app, mara);
    const signIn = await app.services.prisma.authSession.findFirstOrThrow({
      where: { impersonationSessionId: session.id },
    });
    await app.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, mara);
    const batcher = createAuditBatcher(app.services.pool);
    const [before, ended, after] = await Promise.all([
      batcher.append(record('live-neighbour-1', 1)),
      batcher.append({ ...record(session.id, 1), operationName: 'AfterTheEnd' }, signIn.id),
      batcher.append(record('live-neighbour-2', 1)),
    ]);
    expect(ended).toBeNull();
    expect(typeof before).toBe('bigint');
    expect(typeof after).toBe('bigint');
    expect(await app.services.prisma.auditEvent.count({ where: { operationName: 'AfterTheEnd' } })).toBe(0);
  });

  it('a record with a live sign-in is written', async () => {
    const { session } = await startSession(app, mara);
    const signIn = await app.services.prisma.authSession.findFirstOrThrow({
      where: { impersonationSessionId: session.id },
    });
    const id = await createAuditBatcher(app.services.pool).append(
      { ...record(session.id, 1), operationName: 'WhileLive' },
      signIn.id,
    );
    expect(typeof id).toBe('bigint');
    expect(await app.services.prisma.auditEvent.count({ where: { operationName: 'WhileLive' } })).toBe(1);
    await app.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, mara);
  });

  it('a record the database refuses fails alone: the rest of its batch is written', async () => {
    const batcher = createAuditBatcher(app.services.pool);
    const results = await Promise.allSettled([
      batcher.append({ ...record('refused-neighbour', 1), operationName: 'Neighbour1' }),
      batcher.append({ ...record('refused-neighbour', 2), action: 'NOT_AN_ACTION' as AuditEntry['action'] }),
      batcher.append({ ...record('refused-neighbour', 3), operationName: 'Neighbour3' }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/NOT_AN_ACTION/);
    const written = await app.services.prisma.auditEvent.findMany({
      where: { sessionId: 'refused-neighbour' },
      orderBy: { id: 'asc' },
    });
    expect(written.map((row) => row.operationName)).toEqual(['Neighbour1', 'Neighbour3']);
  });
});

describe('Through the app', () => {
  it('concurrent staff-view pages are each recorded once, with fewer append statements than pages', async () => {
    const { token, session } = await startSession(app, mara);
    const pages = 30;
    const { result, batches } = await batchStatementsDuring(() =>
      Promise.all(Array.from({ length: pages }, (_, n) => app.gql(`query Burst${n} { me { name } }`, {}, token))),
    );
    expect(result.every((answer) => answer.data?.me?.name === 'Chloe Martin')).toBe(true);
    const recorded = await app.services.prisma.auditEvent.findMany({
      where: { sessionId: session.id, action: 'OPERATION', operationName: { startsWith: 'Burst' } },
    });
    expect(recorded).toHaveLength(pages);
    expect(new Set(recorded.map((row) => row.operationName)).size).toBe(pages);
    expect(batches).toBeLessThan(pages);
    await app.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: session.id }, mara);
  });
});
