// A subscription waiting for its next event holds nothing of the last one (issue 26: the 10,000-banner
// GC stall). Yoga's executor keeps the last event's result alive until the next event (a finished
// generator in its flattening step); with useLeanSubscriptionEvents only the pending `next()` waits.
// The same pipeline answers the same results, refusals and errors, and a `return()` reaches the source.
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { GraphQLError, parse, type ExecutionResult } from 'graphql';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { executedEvents, useLeanSubscriptionEvents } from '../server/plugins/use-lean-subscription-events.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A source stream the test pushes events into (or an error), and whose `return()` it sees. */
class Source implements AsyncIterableIterator<{ n: number }> {
  returned = false;
  private readonly queued: IteratorResult<{ n: number }>[] = [];
  private failure: Error | null = null;
  private waiting: { resolve: (r: IteratorResult<{ n: number }>) => void; reject: (e: unknown) => void } | null = null;
  push(n: number) {
    this.queued.push({ value: { n }, done: false });
    this.wake();
  }
  fail(error: Error) {
    this.failure = error;
    this.wake();
  }
  next() {
    const promise = new Promise<IteratorResult<{ n: number }>>(
      (resolve, reject) => (this.waiting = { resolve, reject }),
    );
    this.wake();
    return promise;
  }
  private wake() {
    const waiting = this.waiting;
    if (!waiting) return;
    if (this.queued.length > 0) waiting.resolve(this.queued.shift()!);
    else if (this.failure) waiting.reject(this.failure);
    else return;
    this.waiting = null;
  }
  return() {
    this.returned = true;
    this.waiting?.resolve({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true } as IteratorResult<{ n: number }>);
  }
  [Symbol.asyncIterator]() {
    return this;
  }
}

function setUp(plugins: Plugin[]) {
  let source = new Source();
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: /* GraphQL */ `
        type Query {
          ok: Boolean
        }
        type Tick {
          n: Int
          label: String
          parts: [Int]
        }
        type Subscription {
          tick(refuse: Boolean): Tick
        }
      `,
      resolvers: {
        Subscription: {
          tick: {
            subscribe: (_root: unknown, { refuse }: { refuse?: boolean }) => {
              if (refuse) throw new GraphQLError('Not yours', { extensions: { code: 'FORBIDDEN' } });
              return (source = new Source());
            },
            resolve: (event: { n: number }) => ({
              n: event.n,
              label: `tick ${event.n}`.repeat(20),
              parts: Array.from({ length: 50 }, (_, i) => i),
            }),
          },
        },
      },
    }),
    plugins,
    logging: false,
    maskedErrors: false,
  });
  const subscribe = async (query: string, initial: Record<string, unknown> = {}) => {
    const { subscribe: run, contextFactory, schema } = yoga.getEnveloped(initial);
    return run({ schema, document: parse(query), contextValue: await contextFactory() }) as Promise<
      AsyncIterableIterator<ExecutionResult> | ExecutionResult
    >;
  };
  return { subscribe, source: () => source };
}

/** After one event was taken, is its result still reachable while the next is awaited? */
async function lastResultKept(plugins: Plugin[], initial: Record<string, unknown> = {}): Promise<boolean> {
  const { subscribe, source } = setUp(plugins);
  const stream = (await subscribe(
    'subscription { tick { n label parts } }',
    initial,
  )) as AsyncIterableIterator<ExecutionResult>;
  let taken: Promise<IteratorResult<ExecutionResult>> | null = stream.next();
  source().push(1);
  const kept = new WeakRef((await taken).value as object);
  taken = null;
  const waiting = stream.next(); // what graphql-ws does once the event was sent
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  const alive = kept.deref() !== undefined;
  source().push(2);
  await waiting;
  await stream.return?.();
  return alive;
}

describe('a subscription between two events', () => {
  test("Yoga's executor keeps the last result alive until the next event (what the plugin is for)", async () => {
    expect(await lastResultKept([])).toBe(true);
  });

  test('with useLeanSubscriptionEvents it keeps nothing of it', async () => {
    expect(await lastResultKept([useLeanSubscriptionEvents()])).toBe(false);
  });

  test("an operation over HTTP (a context with a Fetch request) keeps the executor's path", async () => {
    const request = new Request('http://localhost/graphql', { method: 'POST' });
    expect(await lastResultKept([useLeanSubscriptionEvents()], { request })).toBe(true);
  });
});

/**
 * graphql-ws' way of reading a stream (`for await`): after the first event was sent, is that event's
 * `data` still reachable while the loop waits for the next? (A suspended async function keeps its
 * variables' last values.)
 */
async function lastDataKeptByForAwait(stream: AsyncIterableIterator<ExecutionResult>, push: () => void) {
  let kept: WeakRef<object> | null = null;
  let sent!: () => void;
  const first = new Promise<void>((resolve) => (sent = resolve));
  const loop = (async () => {
    for await (const result of stream) {
      kept ??= new WeakRef(result.data as object);
      JSON.stringify(result);
      sent();
    }
  })();
  push();
  await first;
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  const alive = kept!.deref() !== undefined;
  await stream.return?.();
  await loop;
  return alive;
}

describe("a for-await reader (graphql-ws') between two events", () => {
  /** A stream of results of the events the test pushes. */
  const results = (release: boolean) => {
    const source = new Source();
    const run = (event: { n: number }): ExecutionResult => ({ data: { tick: { ...event } } });
    const plain: AsyncIterableIterator<ExecutionResult> = {
      next: () => source.next().then((step) => (step.done ? step : { done: false, value: run(step.value) })),
      return: () => source.return() as Promise<IteratorResult<ExecutionResult>>,
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    const stream = release ? executedEvents(source, run, (error) => error as Error) : plain;
    return { stream, push: () => source.push(1) };
  };

  test('a plain mapped stream: the loop keeps the last result alive (what executedEvents empties)', async () => {
    const { stream, push } = results(false);
    expect(await lastDataKeptByForAwait(stream, push)).toBe(true);
  });

  test('executedEvents: the last result is emptied once the next is asked for', async () => {
    const { stream, push } = results(true);
    expect(await lastDataKeptByForAwait(stream, push)).toBe(false);
  });

  test('the lean path of a graphql-ws operation keeps nothing of the last event either', async () => {
    const { subscribe, source } = setUp([useLeanSubscriptionEvents()]);
    const stream = (await subscribe(
      'subscription { tick { n label parts } }',
    )) as AsyncIterableIterator<ExecutionResult>;
    expect(await lastDataKeptByForAwait(stream, () => source().push(1))).toBe(false);
  });
});

describe('the lean path answers as the executor does', () => {
  const both = [
    ['executor', [] as Plugin[]],
    ['lean', [useLeanSubscriptionEvents()]],
  ] as const;

  test.each(both)('%s: each event executed with its selection', async (_name, plugins) => {
    const { subscribe, source } = setUp([...plugins]);
    const stream = (await subscribe('subscription { tick { n } }')) as AsyncIterableIterator<ExecutionResult>;
    for (const n of [7, 8]) {
      const next = stream.next();
      source().push(n);
      expect((await next).value).toEqual({ data: { tick: { n } } });
    }
  });

  test.each(both)('%s: return() (a socket closed, a complete message) reaches the source', async (_name, plugins) => {
    const { subscribe, source } = setUp([...plugins]);
    const stream = (await subscribe('subscription { tick { n } }')) as AsyncIterableIterator<ExecutionResult>;
    const next = stream.next();
    source().push(1);
    await next;
    expect(source().returned).toBe(false);
    expect(await stream.return?.()).toMatchObject({ done: true });
    expect(source().returned).toBe(true);
  });

  test.each(both)('%s: a refusal in subscribe is an errors result with its code and path', async (_name, plugins) => {
    const { subscribe } = setUp([...plugins]);
    const result = (await subscribe('subscription { tick(refuse: true) { n } }')) as ExecutionResult;
    expect(Symbol.asyncIterator in result).toBe(false);
    expect(result.errors?.map((error) => [error.message, error.extensions.code, error.path])).toEqual([
      ['Not yours', 'FORBIDDEN', ['tick']],
    ]);
  });

  test.each(both)(
    '%s: a failing source rejects next() with a GraphQLError at the operation',
    async (_name, plugins) => {
      const { subscribe, source } = setUp([...plugins]);
      const stream = (await subscribe('subscription Watch { tick { n } }')) as AsyncIterableIterator<ExecutionResult>;
      const next = stream.next();
      source().fail(new Error('feed broke'));
      const error = await next.then(
        () => null,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).message).toBe('feed broke');
      expect((error as GraphQLError).nodes?.[0]?.kind).toBe('OperationDefinition');
    },
  );
});
