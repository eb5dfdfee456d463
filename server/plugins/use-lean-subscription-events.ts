// A subscription's events are executed one by one, holding nothing of an event once it was sent.
//
// Yoga's executor (graphql-tools) maps each event through `flattenAsyncIterable` and an async
// generator per event (for @defer/@stream results). Between two events a subscription then waits
// in two nested async frames whose finished generator still holds the last event's whole result,
// so everything an event allocated lives until the next event: a second for a banner in its last
// minutes, 30 s before. That outlives the young generation, so every tick's result is promoted and
// the old generation fills with it (at 10,000 banners a major GC every ~9 s, whose marking stalls
// the ticks: docs/BENCHMARKS.md, issue 26). Here the source stream is mapped with one `execute` per
// event (graphql-tools' own, as for queries) and only the pending `next()` waits between events;
// a result sent is emptied when the next is asked for (`executedEvents`).
//
// The source stream is graphql-js' `createSourceEventStream` (the executor does not export its own):
// it calls the field's `subscribe` (scope-auth's checks included) and answers refusals as errors
// the same way. Only graphql-ws operations (transport/websocket.ts: a context without a Fetch
// request) take this path, whose socket's close ends the stream through `return()`; an operation
// over HTTP (its variable errors carry an HTTP status from the executor), one with an abort
// signal, or a schema with @defer/@stream keeps the executor's own path.
import { execute } from '@graphql-tools/executor';
import { createGraphQLError, isAsyncIterable, isPromise, type MaybePromise } from '@graphql-tools/utils';
import { createSourceEventStream, getOperationAST, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isSocketOperation } from '../request-info.ts';

/** Replaces the subscribe function of graphql-ws operations (no Fetch request) on a schema without @defer/@stream. */
export function useLeanSubscriptionEvents(): Plugin {
  return {
    onSubscribe({ args, setSubscribeFn }) {
      const { schema } = args;
      const overHttp = !isSocketOperation(args.contextValue);
      const signal = (args as { signal?: unknown }).signal !== undefined;
      if (overHttp || signal || schema.getDirective('defer') || schema.getDirective('stream')) return;
      setSubscribeFn(subscribeLean as never);
    },
  };
}

/** The source stream, each event executed as the executor would, errors wrapped as it wraps them. */
async function subscribeLean(args: ExecutionArgs) {
  const stream = await createSourceEventStream(args);
  if (!isAsyncIterable(stream)) return stream;
  const operation = getOperationAST(args.document, args.operationName);
  // One result per event: without @defer/@stream in the schema no operation validates with them.
  return executedEvents(
    stream[Symbol.asyncIterator](),
    (payload) => execute({ ...args, rootValue: payload }) as MaybePromise<ExecutionResult>,
    (error) =>
      createGraphQLError((error as Error).message, {
        originalError: error as Error,
        nodes: operation ? [operation] : [],
      }),
  );
}

/**
 * `stream`'s events, each executed by `run` as the consumer asks for it, and each result emptied once
 * the next is asked for. As graphql-tools' `mapAsyncIterator` does, a failure of the source is mapped
 * by `fail` and a failure either way closes the source first; it is written out here (one layer, no
 * promise helpers per event) for what it adds. graphql-ws reads a stream with `for await (const result
 * of ...)`, and a suspended async function keeps its variables' last values (V8 does not clear them
 * while it waits): without the emptying, each socket's last result, its whole `data`, would live until
 * the next event (a second, or 30 s), outlive the young generation and be promoted, as on the
 * executor's own path. Asking for the next result means the consumer (graphql-ws, after the plugins'
 * per-event hooks, which all run before it sends) is done with the last one.
 */
export function executedEvents<T>(
  stream: AsyncIterator<T>,
  run: (event: T) => MaybePromise<ExecutionResult>,
  fail: (error: unknown) => Error,
): AsyncIterableIterator<ExecutionResult> {
  return new ExecutedEvents(stream, run, fail);
}

/** A class, not closures: ten thousand banner sockets hold one each for hours. */
class ExecutedEvents<T> implements AsyncIterableIterator<ExecutionResult> {
  private last: Record<string, unknown> | null = null;
  private readonly executed = (step: IteratorResult<T>): MaybePromise<IteratorResult<ExecutionResult>> => {
    if (step.done) return step as IteratorResult<ExecutionResult>;
    let result: MaybePromise<ExecutionResult>;
    try {
      result = this.run(step.value);
    } catch (error) {
      return this.abort(error);
    }
    return isPromise(result)
      ? result.then(
          (value) => this.keep(value),
          (error: unknown) => this.abort(error),
        )
      : this.keep(result);
  };
  private readonly failed = (error: unknown) => this.abort(this.fail(error));

  constructor(
    private readonly stream: AsyncIterator<T>,
    private readonly run: (event: T) => MaybePromise<ExecutionResult>,
    private readonly fail: (error: unknown) => Error,
  ) {}

  next(): Promise<IteratorResult<ExecutionResult>> {
    this.release();
    return this.stream.next().then(this.executed, this.failed);
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.release();
    return this.stream.return
      ? this.stream.return().then(this.executed, this.failed)
      : Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.release();
    return this.stream.throw ? this.stream.throw(error).then(this.executed, this.failed) : this.abort(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private release() {
    const last = this.last;
    if (last) for (const key of Object.keys(last)) last[key] = undefined;
    this.last = null;
  }

  private keep(value: ExecutionResult): IteratorResult<ExecutionResult> {
    this.last = value as Record<string, unknown>;
    return { value, done: false };
  }

  /** A failure closes the source, then rejects with the failure. */
  private abort(error: unknown): Promise<never> {
    const rethrow = (): never => {
      throw error;
    };
    return this.stream.return ? this.stream.return().then(rethrow, rethrow) : Promise.reject(error as Error);
  }
}
