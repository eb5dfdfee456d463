// Every HTTP request gets an id generated here, never taken from the client: it is the
// `requestId` of the context (and so of the audit), it is sent back in the `x-request-id`
// response header, and it is on the request's log line. A client's own `x-request-id` is kept
// apart as `clientRequestId` (context only) so that nobody can choose or repeat audit request ids.
import { randomUUID } from 'node:crypto';
import type { Plugin, YogaLogger } from 'graphql-yoga';

interface RequestRecord {
  id: string;
  startedAt: number;
}

const records = new WeakMap<Request, RequestRecord>();

/** The server's id of this HTTP request; a fresh one for a request that has none (graphql-ws). */
export function serverRequestId(request: Request | undefined): string {
  return (request && records.get(request)?.id) ?? randomUUID();
}

/** Options of {@link useRequestId}. */
export interface RequestIdOptions {
  /** Receives one line per HTTP request: id, method, path, status, duration. */
  logger: YogaLogger;
}

/** Gives every HTTP request a server-generated id (response header, context, log line). */
export function useRequestId({ logger }: RequestIdOptions): Plugin {
  return {
    onRequest({ request }) {
      records.set(request, { id: randomUUID(), startedAt: performance.now() });
    },
    onResponse({ request, response }) {
      const record = records.get(request);
      if (!record) return;
      response.headers.set('x-request-id', record.id);
      const url = new URL(request.url);
      logger.info('request', {
        requestId: record.id,
        method: request.method,
        path: url.pathname,
        status: response.status,
        durationMs: Math.round((performance.now() - record.startedAt) * 10) / 10,
      });
    },
  };
}
