// A subscription's events are executed one by one, holding nothing of an event once it was sent.
//
// Yoga's executor (graphql-tools) maps each event through `flattenAsyncIterable` and an async
// generator per event (for @defer/@stream results). Between two events a subscription then waits
// in two nested async frames whose finished generator still holds the last event's whole result,
// so everything an event allocated lives until the next event: a second for a banner in its last
// minutes, 30 s before. That outlives the young generation, so every tick's result is promoted and
// the old generation fills with it (at 10,000 banners a major GC every ~9 s, whose marking stalls
// the ticks: docs/BENCHMARKS.md, issue 26). Here the source stream is mapped with one `execute` per
// event (graphql-tools' own, as for queries) and only the pending `next()` waits between events.
//
// The source stream is graphql-js' `createSourceEventStream` (the executor does not export its own):
// it calls the field's `subscribe` (scope-auth's checks included) and answers refusals as errors
// the same way. Only graphql-ws operations (transport/websocket.ts: a context without a Fetch
// request) take this path, whose socket's close ends the stream through `return()`; an operation
// over HTTP (its variable errors carry an HTTP status from the executor), one with an abort
// signal, or a schema with @defer/@stream keeps the executor's own path.
import { execute } from '@graphql-tools/executor';
import { createGraphQLError, isAsyncIterable, mapAsyncIterator } from '@graphql-tools/utils';
import { createSourceEventStream, getOperationAST, type ExecutionArgs } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Replaces the subscribe function of graphql-ws operations (no Fetch request) on a schema without @defer/@stream. */
export function useLeanSubscriptionEvents(): Plugin {
  return {
    onSubscribe({ args, setSubscribeFn }) {
      const { schema } = args;
      const overHttp = (args.contextValue as { request?: unknown } | undefined)?.request !== undefined;
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
  return mapAsyncIterator(
    stream,
    (payload) => execute({ ...args, rootValue: payload }),
    (error: Error) => {
      throw createGraphQLError(error.message, { originalError: error, nodes: operation ? [operation] : [] });
    },
  );
}
