// The cursors of the schema's lists and their pages. A cursor names the list it came from and a
// position in it, base64url-encoded: `auditEvents:<record id>`, `auditSessions:<session id>`,
// `timeline:<session id>:<record id>`. A list reads only its own cursors, each part checked for
// its shape (and a timeline's for its session) before anything reaches the database: any other
// string (another list's cursor, plugin-prisma's, random base64, kilobytes of text) is
// BAD_USER_INPUT "Not a cursor from this list", never a database error. Pages follow
// plugin-prisma's rules (one row more than asked for tells whether another page follows; `last`
// and `before` page backwards), so the lists answer as they did as plugin-prisma connections.
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { badInput } from '../errors.ts';

/** The refusal of a cursor this list did not hand out (yoga.ts says the same of Pothos' own). */
export const NOT_A_CURSOR = 'Not a cursor from this list';

/** A record id (PostgreSQL bigint): 1 to 2^63 - 1, decimal, no leading zero. */
const RECORD_ID = /^[1-9][0-9]{0,18}$/;
const MAX_RECORD_ID = 2n ** 63n - 1n;
/** A row id as Prisma writes them (cuid) and seeds may: letters, digits, `_` and `-`. */
const ROW_ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const refuse = () => badInput(NOT_A_CURSOR);

/** The parts of a cursor of `list`, or a refusal: canonical base64url of `list:part:…`. */
function partsOf(list: string, cursor: string, count: number): string[] {
  if (!BASE64URL.test(cursor)) throw refuse();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  // Decoding skips what is not base64url and ignores stray bits: only the exact encoding is ours.
  if (Buffer.from(text, 'utf8').toString('base64url') !== cursor) throw refuse();
  const [name, ...parts] = text.split(':');
  if (name !== list || parts.length !== count) throw refuse();
  return parts;
}

const encode = (...parts: string[]) => Buffer.from(parts.join(':'), 'utf8').toString('base64url');

function recordId(part: string): bigint {
  if (!RECORD_ID.test(part)) throw refuse();
  const id = BigInt(part);
  if (id > MAX_RECORD_ID) throw refuse();
  return id;
}

function rowId(part: string): string {
  if (!ROW_ID.test(part)) throw refuse();
  return part;
}

/** Query.auditEvents: a position is an audit record's id. */
export const auditEventsCursor = {
  /** The cursor of a record of the log. */
  encode: (id: bigint) => encode('auditEvents', String(id)),
  /** The record id of a cursor of the log, or BAD_USER_INPUT. */
  decode: (cursor: string): bigint => recordId(partsOf('auditEvents', cursor, 1)[0]!),
};

/** Query.auditSessions: a position is a session's id. */
export const auditSessionsCursor = {
  /** The cursor of a session of the list. */
  encode: (id: string) => encode('auditSessions', id),
  /** The session id of a cursor of the list, or BAD_USER_INPUT. */
  decode: (cursor: string): string => rowId(partsOf('auditSessions', cursor, 1)[0]!),
};

/** Query.webhookDeliveries: a position is a delivery's id. */
export const webhookDeliveriesCursor = {
  /** The cursor of a delivery of the log. */
  encode: (id: string) => encode('webhookDeliveries', id),
  /** The delivery id of a cursor of the log, or BAD_USER_INPUT. */
  decode: (cursor: string): string => rowId(partsOf('webhookDeliveries', cursor, 1)[0]!),
};

/** AuditSession.timeline: a position is a record of that one session; another session's is refused. */
export const timelineCursor = {
  /** The cursor of a record of a session's timeline. */
  encode: (sessionId: string, id: bigint) => encode('timeline', sessionId, String(id)),
  /** The record id of a cursor of this session's timeline, or BAD_USER_INPUT. */
  decode: (sessionId: string, cursor: string): bigint => {
    const [session, id] = partsOf('timeline', cursor, 2) as [string, string];
    if (rowId(session) !== sessionId) throw refuse();
    return recordId(id);
  },
};

/** The arguments every connection takes. */
export interface ConnectionArgs {
  after?: string | null;
  before?: string | null;
  first?: number | null;
  last?: number | null;
}

/** One page as asked for: the position it starts after (excluded), and rows to read (negative: backwards). */
export interface PageRequest<Position> {
  cursor: Position | null;
  /** One more than the page holds, to tell whether another follows; negative for `last`/`before`. */
  take: number;
}

/**
 * Reads a connection's arguments as plugin-prisma did (same refusals, same sizes), with the list's
 * own `decode` for the cursor: a cursor is refused before any query is built.
 */
export function pageRequest<Position>(
  args: ConnectionArgs,
  sizes: { defaultSize: number; maxSize: number },
  decode: (cursor: string) => Position,
): PageRequest<Position> {
  const { after, before, first, last } = args;
  if (first != null && first < 0) throw badInput('Argument "first" must be a non-negative integer');
  if (last != null && last < 0) throw badInput('Argument "last" must be a non-negative integer');
  if (before != null && after != null)
    throw badInput('Arguments "before" and "after" are not supported at the same time');
  if (before != null && first != null)
    throw badInput('Arguments "before" and "first" are not supported at the same time');
  if (after != null && last != null) throw badInput('Arguments "after" and "last" are not supported at the same time');
  const size = Math.min(first ?? last ?? sizes.defaultSize, sizes.maxSize) + 1;
  const cursor = before ?? after;
  return {
    cursor: cursor == null ? null : decode(cursor),
    take: before != null || last != null ? -size : size,
  };
}

/** A connection as the schema's Connection types read it. */
export interface Connection<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: { startCursor: string | null; endCursor: string | null; hasPreviousPage: boolean; hasNextPage: boolean };
}

/**
 * The connection of the rows read for `page` (in the list's order, at most |take|), as plugin-prisma
 * wrapped them: the extra row is dropped, and it tells whether a page follows (or precedes).
 */
export function connectionOf<Node>(
  rows: Node[],
  args: ConnectionArgs,
  page: PageRequest<unknown>,
  cursorOf: (node: Node) => string,
): Connection<Node> {
  const full = rows.length === Math.abs(page.take);
  const backward = args.before != null || args.last != null;
  const nodes = full ? rows.slice(page.take < 0 ? 1 : 0, page.take < 0 ? rows.length : -1) : rows;
  const edges = nodes.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasPreviousPage: args.after != null ? true : backward ? full : false,
      hasNextPage: args.before != null ? true : args.last != null ? false : full,
    },
  };
}

/**
 * What the fields selected under a connection's nodes need of each row (the relations they
 * select), planned by plugin-prisma as for its own connections: spread into the page's query.
 * For a node type in include mode (no `select` of its own, as AuditEvent and AuditSession), which
 * plugin-prisma plans as an `include` (whole rows, with the relations asked for).
 */
export async function nodeQuery<Include extends object>(
  context: object,
  info: GraphQLResolveInfo,
  typeName: string,
): Promise<{ include?: Include }> {
  const query = await queryFromInfo({
    context,
    info,
    typeName,
    paths: [['nodes'], ['edges', 'node']],
    awaitSelections: true,
  });
  return query as { include?: Include };
}
