// SERVER_PROCESSES (server/cluster.ts): the real entry as a supervisor of worker processes sharing
// one port. What must hold: every worker serves, a session's end reaches banners on every worker,
// a worker that dies is replaced while the others keep serving, SIGTERM stops them all cleanly,
// and a setting that cannot work (no shared database or pub/sub) is refused before anything starts.
import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../server/config.ts';
import { collect } from './impersonation-helpers.ts';
import {
  BANNER,
  cleanupsAfterEach,
  HOME,
  persistentStore,
  post,
  runToCompletion,
  signIn,
  spawnServer,
  startChloeView,
  wsClient,
  type Banner,
} from './server-process.ts';

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;

const cleanup = cleanupsAfterEach();

/** The log lines (JSON) the process has written so far with this `msg`. */
const linesOf = (output: string[], msg: string) =>
  output
    .flatMap((chunk) => chunk.split('\n'))
    .flatMap((line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        return entry.msg === msg ? [entry] : [];
      } catch {
        return [];
      }
    });

/** A graphql-ws socket signed in and acknowledged, which records the code it is closed with. */
function openSocket(url: string, token: string): Promise<{ closedWith?: number }> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const state: { closedWith?: number } = {};
  cleanup(async () => socket.terminate());
  socket.on('close', (code) => (state.closedWith = code));
  socket.on('error', () => undefined);
  socket.on('open', () =>
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
  );
  return new Promise((resolve, reject) => {
    socket.on('message', (data) => {
      if ((JSON.parse(data.toString()) as { type: string }).type === 'connection_ack') resolve(state);
    });
    socket.on('close', (code) => reject(new Error(`closed with ${code} before connection_ack`)));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('SERVER_PROCESSES settings', () => {
  it('refuses more than one process without a shared database and pub/sub', () => {
    expect(() => loadConfig({ SERVER_PROCESSES: '2' })).toThrow(
      /SERVER_PROCESSES above 1 needs DATABASE_URL and REDIS_URL/,
    );
    expect(() => loadConfig({ SERVER_PROCESSES: '2', DATABASE_URL: 'postgresql://db.test/salon' })).toThrow(
      /needs DATABASE_URL and REDIS_URL/,
    );
    expect(() => loadConfig({ SERVER_PROCESSES: '0' })).toThrow(/SERVER_PROCESSES/);
    expect(
      loadConfig({ SERVER_PROCESSES: '2', DATABASE_URL: 'postgresql://db.test/salon', REDIS_URL: 'redis://redis.test' })
        .SERVER_PROCESSES,
    ).toBe(2);
    expect(loadConfig({}).SERVER_PROCESSES).toBe(1);
  });
});

describe('A supervisor whose workers cannot start', () => {
  it('stops with exit code 1 instead of restarting them forever', { timeout: 60_000 }, async () => {
    // Nothing listens on port 1: every worker fails as it opens the database.
    const server = await spawnServer({
      SERVER_PROCESSES: '2',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/salon',
      REDIS_URL: 'redis://127.0.0.1:1',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
    });
    expect(server.url).toBeNull();
    expect(await server.exited).toBe(1);
    expect(linesOf(server.output, 'workers keep exiting as they start; stopping')).toHaveLength(1);
    // The first early exit is replaced; the second in a row (as many as there are workers) stops the server.
    const exits = linesOf(server.output, 'worker exited');
    expect(exits.length).toBeGreaterThanOrEqual(2);
    expect(exits.at(-1)).toMatchObject({ replaced: false });
    expect(exits[0]).toMatchObject({ replaced: true });
  });
});

describe.skipIf(!databaseUrl || !redisUrl)('Two worker processes on one port', () => {
  it(
    'serve, end a session on every worker, replace a killed worker and stop together on SIGTERM',
    { timeout: 120_000 },
    async () => {
      const { env: stored } = await persistentStore(cleanup, 'processes');
      const env = { ...stored, REDIS_URL: redisUrl, REDIS_PREFIX: `processes-${randomBytes(4).toString('hex')}` };
      await runToCompletion(env, 'prisma/seed/index.ts');
      const server = await spawnServer({ ...env, SERVER_PROCESSES: '2' });
      cleanup(async () => {
        if (server.child.exitCode === null && server.child.signalCode === null) {
          server.child.kill('SIGKILL');
          for (const started of linesOf(server.output, 'started'))
            if (alive(started.pid as number)) process.kill(started.pid as number, 'SIGKILL');
        }
      });
      expect(server.url, server.output.join('\n').slice(-2000)).not.toBeNull();
      const url = server.url!;
      await vi.waitFor(() => expect(linesOf(server.output, 'started')).toHaveLength(2), { timeout: 30_000 });
      const workers = linesOf(server.output, 'started');
      // Two processes, neither of them the supervisor, on one address.
      expect(new Set(workers.map((w) => w.pid)).size).toBe(2);
      expect(workers.map((w) => w.pid)).not.toContain(server.child.pid);
      expect(new Set(workers.map((w) => w.api))).toEqual(new Set([url]));

      // A staff view, and its banner on four sockets: the cluster hands connections to the workers
      // in turn, so both hold some. The manager's termination is one request, to one of them.
      const mara = await signIn(url, 'mara@salon.test', 'demo-manager-pass');
      const { token, session } = await startChloeView(url, mara);
      const banners = Array.from({ length: 4 }, () => {
        const client = wsClient(url, token);
        cleanup(async () => client.dispose());
        return collect<Banner>(client, BANNER);
      });
      for (const banner of banners) await banner.until((value) => value.impersonationSession.state === 'ACTIVE');
      const max = await signIn(url, 'max@salon.test', 'demo-manager-pass');
      const ended = await post(
        url,
        'mutation End($id: ID!) { terminateImpersonation(sessionId: $id, reason: "Ended by the owner") { state } }',
        max,
        { id: session.id },
      );
      expect(ended.body.data?.terminateImpersonation.state).toBe('TERMINATED');
      for (const banner of banners) {
        const last = await banner.until((value) => value.impersonationSession.state === 'TERMINATED', 10_000);
        expect(last.impersonationSession.endReason).toBe('Ended by the owner');
        await banner.done;
      }
      // Every worker refuses the ended view's token (each new connection goes to the next worker).
      for (let i = 0; i < 4; i++) {
        const refused = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, connection: 'close' },
          body: JSON.stringify({ query: HOME }),
        });
        expect(refused.status).toBe(401);
        const body = (await refused.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
        expect(body.data ?? null).toBeNull();
        expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
      }

      // Four sockets opened one after another, as the banners were: killing one worker drops the
      // ones it held and leaves the others open, so consecutive sockets went to both workers (and
      // the end above reached a worker that had not taken the manager's request).
      const chloe = await signIn(url, 'chloe@example.test', 'demo-customer-pass');
      const sockets: { closedWith?: number }[] = [];
      for (let i = 0; i < 4; i++) sockets.push(await openSocket(url, chloe));

      // One worker killed: the supervisor starts another, and the server keeps answering meanwhile.
      const killed = workers[0]!.pid as number;
      process.kill(killed, 'SIGKILL');
      await vi.waitFor(() => expect(linesOf(server.output, 'worker exited')).toMatchObject([{ replaced: true }]), {
        timeout: 10_000,
      });
      expect((await post(url, HOME, chloe)).body.data.me.name).toBe('Chloe Martin');
      // Answered by the worker left: the replacement is forked a second after the exit.
      expect(linesOf(server.output, 'started')).toHaveLength(2);
      await vi.waitFor(() => expect(sockets.filter((socket) => socket.closedWith === 1006).length).toBeGreaterThan(0));
      expect(sockets.filter((socket) => socket.closedWith === undefined).length).toBeGreaterThan(0);
      await vi.waitFor(() => expect(linesOf(server.output, 'started')).toHaveLength(3), { timeout: 30_000 });
      const replacement = linesOf(server.output, 'started')[2]!.pid as number;
      expect([killed, workers[1]!.pid]).not.toContain(replacement);
      for (let i = 0; i < 4; i++) {
        const answer = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${chloe}`, connection: 'close' },
          body: JSON.stringify({ query: HOME }),
        });
        expect(((await answer.json()) as { data: { me: { name: string } } }).data.me.name).toBe('Chloe Martin');
      }

      // SIGTERM to the supervisor: every worker drains and exits, then the supervisor, with 0.
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(alive(workers[1]!.pid as number)).toBe(false);
      expect(alive(replacement)).toBe(false);
      expect(linesOf(server.output, 'stopped').length).toBeGreaterThanOrEqual(3);
    },
  );
});
