// Where a request came from, for the audit: request id, client address, user agent. Read from the
// Fetch request (HTTP) or Node's request (HTTP server, WebSocket upgrade), for any transport.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestInfo } from './context.ts';

/** What a transport hands to the context factory besides Yoga's own initial context. */
export interface TransportContext {
  /** Node's request (HTTP server or the WebSocket upgrade request). */
  req?: IncomingMessage;
  /** graphql-ws `connectionParams`; `authorization` carries the bearer token. */
  connectionParams?: Record<string, unknown>;
}

/** The request id, address and user agent of one request. */
export function requestInfo(initial: { request?: Request } & TransportContext): RequestInfo {
  const header = (name: string) =>
    initial.request?.headers.get(name) ?? (initial.req?.headers[name] as string | undefined) ?? null;
  return {
    requestId: header('x-request-id')?.slice(0, 100) || randomUUID(),
    ip: initial.req?.socket.remoteAddress ?? null,
    userAgent: header('user-agent')?.slice(0, 500) ?? null,
  };
}
