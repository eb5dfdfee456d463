// SQL statements per page, the requests' own: every HTTP request of the app's server runs in an
// AsyncLocalStorage context, and pg's Client.query (Prisma's adapter and the raw pool both use the
// `pg` module) counts a statement only when it is sent from inside one, i.e. by a request or by
// work a request started (a promise, a timer it set). The background jobs (expiry sweeper, audit
// checkpoints, notification outbox, database clock) run in the contexts they were started in and
// are counted apart, so a statement of theirs that falls inside the sample no longer inflates it
// (the previous way, subtracting an idle window's rate, missed one transaction in a quick run).
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Server } from 'node:http';
import pg from 'pg';

type Counts = Map<string, number>;

const keywordOf = (first: unknown) => {
  const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
  return /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '?';
};

/**
 * Wraps `server`'s request listeners and pg's Client.query (once; `restore` undoes both).
 * `count(run)` returns the statements sent while `run` ran: by requests, and in the background.
 */
export function requestStatements(server: Server) {
  const inRequest = new AsyncLocalStorage<true>();
  let sink: { requests: Counts; background: Counts } | null = null;
  const listeners = server.listeners('request') as ((...args: unknown[]) => void)[];
  server.removeAllListeners('request');
  // Only while counting: an AsyncLocalStorage in use turns on Node 20's promise hooks for every
  // promise in the process, which would add its cost to the measured rounds' server CPU.
  for (const listener of listeners)
    server.on('request', (...args: unknown[]) =>
      sink ? inRequest.run(true, () => listener.apply(server, args)) : listener.apply(server, args),
    );

  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    if (sink) {
      const into = inRequest.getStore() ? sink.requests : sink.background;
      const keyword = keywordOf(args[0]);
      into.set(keyword, (into.get(keyword) ?? 0) + 1);
    }
    return original.apply(this, args);
  };

  return {
    async count(run: () => Promise<void>): Promise<{ requests: Counts; background: Counts }> {
      const counts = { requests: new Map(), background: new Map() };
      sink = counts;
      try {
        await run();
      } finally {
        sink = null;
        inRequest.disable();
      }
      return counts;
    },
    restore() {
      proto.query = original;
      server.removeAllListeners('request');
      for (const listener of listeners) server.on('request', listener);
    },
  };
}
