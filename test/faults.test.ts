// Faults (SPEC 8): the database or Redis going away and coming back, a restart in the middle of a
// staff view, and the process killed in the middle of a burst. What must hold through each: no
// data without its audit record, termination enforced at request time, recovery without restart.
//
// The database outage needs DATABASE_URL (a TCP proxy in front of PostgreSQL is cut and restored),
// the Redis outage REDIS_URL; the restart and the kill run on the embedded database too (a data
// folder that outlives the process) and on a fresh schema of DATABASE_URL when it is set.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { startTestApp, startTestAppBeside, type TestApp } from './harness.ts';
import { collect, startSession } from './impersonation-helpers.ts';
import {
  BANNER,
  cleanupsAfterEach,
  HOME,
  persistentStore,
  post,
  ready,
  runToCompletion,
  signIn,
  spawnServer,
  startChloeView,
  wsClient,
  type Banner,
} from './server-process.ts';
import { startTcpProxy, throughProxy, type TcpProxy } from './tcp-proxy.ts';

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

const cleanup = cleanupsAfterEach();

async function startServer(env: Record<string, string | undefined>) {
  const server = await spawnServer(env);
  cleanup(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });
  if (!server.url) throw new Error(`the server did not start: ${server.output.join('\n').slice(-2000)}`);
  return server as typeof server & { url: string; child: ChildProcess };
}

describe.skipIf(!databaseUrl)('The database unavailable', () => {
  let proxy: TcpProxy;
  let app: TestApp;

  async function startBehindProxy() {
    const target = new URL(databaseUrl!);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    cleanup(() => proxy.close());
    app = await startTestApp({ databaseUrl: throughProxy(databaseUrl!, proxy) });
    cleanup(async () => {
      await proxy.restore();
      await app.close();
    });
  }

  it('refuses an impersonated query with SERVICE_UNAVAILABLE and no data, and serves again once it is back', async () => {
    await startBehindProxy();
    const mara = await app.signIn('mara');
    const { token, session } = await startSession(app, mara);
    expect((await post(app.url, HOME, token)).body.data.me.name).toBe('Chloe Martin');

    await proxy.cut();
    const down = await post(app.url, HOME, token);
    expect(down.status).toBe(503);
    expect(down.body.data ?? null).toBeNull();
    // The staff view's identity is cached (auth/identity-cache.ts), so the first statement to fail is
    // the audit append that would confirm the session: fail closed, with the audit's own code.
    expect(down.body.errors).toEqual([
      {
        message: 'The audit record could not be written; nothing was served',
        extensions: { code: 'AUDIT_UNAVAILABLE' },
      },
    ]);
    expect(await ready(app.url)).toMatchObject({ status: 503, body: { database: 'unreachable' } });

    await proxy.restore();
    const back = await post(app.url, HOME, token);
    expect(back.body.data?.me.name).toBe('Chloe Martin');
    expect(await ready(app.url)).toMatchObject({ status: 200, body: { database: 'ok' } });

    // The refused request served nothing and left nothing; the one after the outage has its record.
    const records = await app.services.prisma.auditEvent.findMany({
      where: { sessionId: session.id, requestId: { in: [down.requestId!, back.requestId!] } },
    });
    expect(records.map((record) => [record.requestId, record.outcome])).toEqual([[back.requestId, 'ALLOWED']]);
  });

  it('answers a customer and an anonymous visitor without data or driver messages while it is down', async () => {
    await startBehindProxy();
    const chloe = await app.signIn('chloe');
    await proxy.cut();
    const customer = await post(app.url, HOME, chloe);
    const anonymous = await post(app.url, '{ services { name } }');
    expect(customer.status).toBe(503);
    for (const result of [customer, anonymous]) {
      expect(result.body.data ?? null).toBeNull();
      expect(JSON.stringify(result.body)).not.toMatch(/prisma|127\.0\.0\.1|ECONNREFUSED|invocation/i);
    }
  });
});

describe.skipIf(!redisUrl)('Redis unavailable', () => {
  it('still refuses a terminated token on the other instance, reports degraded, and pushes again once Redis is back', async () => {
    const target = new URL(redisUrl!);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
    cleanup(() => proxy.close());
    const redisChannelPrefix = `faults-${randomBytes(6).toString('hex')}`;
    // Banners tick every 200 ms; with Redis up they read the session only when an end is published.
    const config = { REDIS_URL: throughProxy(redisUrl!, proxy), IMPERSONATION_TICK_MS: 200 };
    const first = await startTestApp({ redisChannelPrefix, config });
    cleanup(() => first.close());
    const second = await startTestAppBeside(first, { redisChannelPrefix, config });
    cleanup(async () => {
      await proxy.restore();
      await second.close();
    });
    await vi.waitFor(() =>
      expect([first, second].map((app) => app.services.pubsubStatus())).toEqual(['ready', 'ready']),
    );
    const mara = await first.signIn('mara');
    const max = await second.signIn('max');
    const terminate = (sessionId: string, reason: string) =>
      second.gql(
        'mutation T($id: ID!, $reason: String!) { terminateImpersonation(sessionId: $id, reason: $reason) { state } }',
        { id: sessionId, reason },
        max,
      );

    const during = await startSession(first, mara);
    const openBanner = collect<Banner>(first.wsClient(during.token), BANNER);
    await openBanner.until((value) => value.impersonationSession.state === 'ACTIVE');

    await proxy.cut();
    await vi.waitFor(() => expect(first.services.pubsubStatus()).toBe('degraded'));
    expect(await ready(first.url)).toMatchObject({
      status: 503,
      body: { ready: false, database: 'ok', pubsub: 'degraded' },
    });

    expect((await terminate(during.session.id, 'Terminated while Redis is down')).data).toEqual({
      terminateImpersonation: { state: 'TERMINATED' },
    });
    const refused = await post(first.url, HOME, during.token);
    expect(refused.status).toBe(401);
    expect(refused.body.data ?? null).toBeNull();
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // The banner opened before the end reads the row while pub/sub is degraded.
    const ended = await openBanner.until((value) => value.impersonationSession.state === 'TERMINATED', 5_000);
    expect(ended.impersonationSession.endReason).toBe('Terminated while Redis is down');

    await proxy.restore();
    await vi.waitFor(
      () => expect([first, second].map((app) => app.services.pubsubStatus())).toEqual(['ready', 'ready']),
      {
        timeout: 10_000,
        interval: 100,
      },
    );
    expect(await ready(first.url)).toMatchObject({ status: 200, body: { ready: true, pubsub: 'ready' } });

    // Live again: an end on the second instance reaches a banner on the first through Redis.
    const after = await startSession(first, mara);
    let closeCode = 0;
    const banner = collect<Banner>(
      first.wsClient(after.token, (code) => (closeCode = code)),
      BANNER,
    );
    await banner.until((value) => value.impersonationSession.state === 'ACTIVE');
    await terminate(after.session.id, 'Terminated after Redis came back');
    const pushed = await banner.until((value) => value.impersonationSession.state === 'TERMINATED', 5_000);
    expect(pushed.impersonationSession.endReason).toBe('Terminated after Redis came back');
    await vi.waitFor(() => expect(closeCode).toBe(4403));
  });
});

describe('A server restart during a staff view', () => {
  it(
    'keeps the session and its expiry: the token and the banner carry on on the new instance',
    { timeout: 120_000 },
    async () => {
      const { env } = await persistentStore(cleanup, 'faults');
      await runToCompletion(env, 'prisma/seed/index.ts');
      const before = await startServer(env);
      const mara = await signIn(before.url, 'mara@salon.test', 'demo-manager-pass');
      const { token, session } = await startChloeView(before.url, mara);
      const firstBanner = collect<Banner>(wsClient(before.url, token), BANNER);
      const shown = await firstBanner.until((value) => value.impersonationSession.state === 'ACTIVE');
      expect(shown.impersonationSession.expiresAt).toBe(session.expiresAt);

      before.child.kill('SIGTERM');
      expect(await before.exited).toBe(0);
      await firstBanner.done;

      const after = await startServer(env);
      expect((await post(after.url, HOME, token)).body.data.me.name).toBe('Chloe Martin');
      const current = await post(after.url, '{ currentImpersonation { id state expiresAt } }', token);
      expect(current.body.data.currentImpersonation).toEqual({
        id: session.id,
        state: 'ACTIVE',
        expiresAt: session.expiresAt,
      });
      const client = wsClient(after.url, token);
      cleanup(async () => client.dispose());
      const resumed = await collect<Banner>(client, BANNER).until(
        (value) => value.impersonationSession.state === 'ACTIVE',
      );
      expect(resumed.impersonationSession).toMatchObject({ sessionId: session.id, expiresAt: session.expiresAt });
    },
  );
});

describe('The process killed in the middle of a burst', () => {
  it('has an audit record for every response that carried data', { timeout: 120_000 }, async () => {
    const { env } = await persistentStore(cleanup, 'faults');
    await runToCompletion(env, 'prisma/seed/index.ts');
    const server = await startServer(env);
    const mara = await signIn(server.url, 'mara@salon.test', 'demo-manager-pass');
    const { token, session } = await startChloeView(server.url, mara);

    const served: string[] = [];
    let failed = 0;
    let killed = false;
    const KILL_AFTER = 40;
    const client = async () => {
      while (!killed || served.length === 0) {
        try {
          const result = await post(server.url, HOME, token);
          if (result.body.data?.me) served.push(result.requestId!);
        } catch {
          failed += 1;
          return;
        }
        if (served.length >= KILL_AFTER && !killed) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 12 }, client));
    await server.exited;
    expect(server.child.signalCode).toBe('SIGKILL');
    expect(failed).toBeGreaterThan(0); // requests were in flight when it died

    const restarted = await startServer(env);
    const recorded: string[] = [];
    let after: string | null = null;
    do {
      const page = await post(
        restarted.url,
        `query Audit($filter: AuditEventFilter, $after: String) {
          auditEvents(filter: $filter, first: 50, after: $after) { edges { node { requestId outcome } } pageInfo { hasNextPage endCursor } }
        }`,
        mara,
        { filter: { sessionId: session.id, action: 'OPERATION' }, after },
      );
      const connection = page.body.data?.auditEvents;
      if (!connection) throw new Error(`auditEvents failed: ${JSON.stringify(page.body)}`);
      recorded.push(...connection.edges.map((edge: { node: { requestId: string } }) => edge.node.requestId));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);

    const missing = served.filter((requestId) => !recorded.includes(requestId));
    console.log(
      `killed after ${served.length} responses with data (${failed} requests cut); ${recorded.length} OPERATION records`,
    );
    expect(missing).toEqual([]);
    expect(new Set(recorded).size).toBe(recorded.length);
    const verification = await post(restarted.url, '{ verifyAuditChain { ok problem } }', mara);
    expect(verification.body.data.verifyAuditChain).toEqual({ ok: true, problem: null });
  });
});
