// Where a change came from, as its audit record stores it: the request id, client address and
// user agent of the request that made it, or nulls for a change nobody asked for (the sweeper).
import type { RequestInfo } from '../context.ts';

/** The request details of an audit record (who, where from); nulls for what the request lacks. */
export const auditRequestContext = (request: Partial<RequestInfo> | undefined) => ({
  requestId: request?.requestId ?? null,
  ip: request?.ip ?? null,
  userAgent: request?.userAgent ?? null,
});
