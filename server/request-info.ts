// Where a request came from, for the audit and the logs: the server's request id (never the
// client's: that is kept apart as clientRequestId), the client address (X-Forwarded-For only as
// far as it passed TRUSTED_PROXIES), and the user agent. For any transport: the Fetch request
// (HTTP) or Node's request (HTTP server, WebSocket upgrade), or an origin read from one earlier (a
// WebSocket keeps its origin for its life, not its upgrade request).
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { Config } from './config.ts';
import type { RequestInfo } from './context.ts';
import { serverRequestId } from './plugins/use-request-id.ts';

/** Where a request came from: its RequestInfo but the server's id, which each operation gets anew. */
export type RequestOrigin = Omit<RequestInfo, 'requestId'>;

/** What a transport hands to the context factory besides Yoga's own initial context. */
export interface TransportContext {
  /** Node's request (HTTP server or the WebSocket upgrade request). */
  req?: IncomingMessage;
  /** The origin already read from Node's request (a WebSocket's operations: see {@link originOf}). */
  origin?: RequestOrigin;
  /** graphql-ws `connectionParams`; `authorization` carries the bearer token. */
  connectionParams?: Record<string, unknown>;
}

/**
 * An operation that came over graphql-ws: the WebSocket transport (transport/websocket.ts) builds its
 * context without a Fetch request, which every HTTP operation's context has.
 */
export function isSocketOperation(context: unknown): boolean {
  return (context as { request?: unknown } | undefined)?.request === undefined;
}

/** Reads a request's origin: one function per app, configured with its trusted proxies. */
export type RequestInfoReader = (initial: { request?: Request } & TransportContext) => RequestInfo;

/** The request-info reader for this configuration. */
export function createRequestInfo(config: Pick<Config, 'TRUSTED_PROXIES'>): RequestInfoReader {
  const trusted = proxyAddr.compile(config.TRUSTED_PROXIES);
  return (initial) => {
    if (initial.origin) return { requestId: serverRequestId(initial.request), ...initial.origin };
    const header = (name: string) =>
      initial.request?.headers.get(name) ?? (initial.req?.headers[name] as string | undefined) ?? null;
    return {
      requestId: serverRequestId(initial.request),
      clientRequestId: header('x-request-id')?.slice(0, 100) || null,
      ip: initial.req?.socket ? proxyAddr(initial.req, trusted) || null : null,
      userAgent: header('user-agent')?.slice(0, 500) ?? null,
    };
  };
}

/** A request's origin, to keep instead of the request (its headers, its socket's parser state). */
export function originOf({ clientRequestId, ip, userAgent }: RequestInfo): RequestOrigin {
  return { clientRequestId, ip, userAgent };
}
