// This instance's graphql-ws sockets, by the sign-in and the impersonation session they were
// opened with, so an end decided anywhere (published through pub/sub) closes them here with 4403:
// their subscriptions stop and the client must not retry. Two events close sockets: an ended
// impersonation session (once its banner delivered the end, see below), and sign-ins revoked or
// stripped of the manager role (at once). Neither event decides: each names rows that this registry
// reads again (socket-rereads.ts), and only what the rows say closes a socket. Not a Yoga plugin:
// sockets belong to the WebSocket server (transport/websocket.ts), which reports connections and
// operations here through graphql-ws's own hooks; nothing of it travels through the GraphQL context.
//
// Close after delivery: a subscription whose root field declares `extensions.deliversSessionEnd`
// (the banner) is counted from graphql-ws's `onOperation` until its `onComplete`. graphql-ws awaits
// each message's send before it asks the stream for the next, and completes only after the stream
// ended, so for a stream that ends after pushing the end, `onComplete` means the end was written to
// the socket. An ended session's socket closes at that moment, at once if it carries no such
// subscription, and at the latest after SOCKET_CLOSE_FALLBACK_MS (a stream that cannot read the row,
// a consumer that never drains).
import { getOperationAST, type ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { ImpersonationSession } from '@prisma/client';
import { isManager, type Identity } from '../auth/identity.ts';
import type { Services } from '../context.ts';
import { batcher, signInEnded, socketRereads } from './socket-rereads.ts';

/** The longest an ended session's socket stays open waiting for its banner to deliver the end. */
export const SOCKET_CLOSE_FALLBACK_MS = 1000;

/** The field extension that marks a subscription which pushes its session's end, then completes. */
export const DELIVERS_SESSION_END = 'deliversSessionEnd';

/** Whether an operation subscribes to a root field that pushes its session's end (the banner). */
export function deliversSessionEnd({ schema, document, operationName }: ExecutionArgs): boolean {
  const operation = getOperationAST(document, operationName);
  if (operation?.operation !== 'subscription') return false;
  const fields = schema.getSubscriptionType()?.getFields() ?? {};
  return operation.selectionSet.selections.some(
    (selection) =>
      selection.kind === 'Field' && fields[selection.name.value]?.extensions?.[DELIVERS_SESSION_END] === true,
  );
}

/** The sockets of one instance and what closes them. */
export interface SessionSockets {
  /** Remembers a socket opened with `identity` (anonymous sockets need no tracking). */
  track(socket: WebSocket, identity: Identity): void;
  /** Forgets a closed socket. */
  untrack(socket: WebSocket): void;
  /** The ids of the staff view a tracked socket was opened with, if any (for its refusal records). */
  staffViewOf(socket: WebSocket): StaffViewIds | null;
  /**
   * Closes every socket opened with a token of this impersonation session, each once its feeds
   * delivered their end (at most SOCKET_CLOSE_FALLBACK_MS later); returns how many.
   */
  closeSession(sessionId: string, reason: string): number;
  /** graphql-ws `onOperation`: an operation started on the socket (counted if it delivers an end). */
  operationStarted(socket: WebSocket, id: string, args: ExecutionArgs): void;
  /** graphql-ws `onComplete`: the operation is over, every message it produced was sent. */
  operationOver(socket: WebSocket, id: string): void;
  /** Closes every socket opened with one of these sign-ins (auth session ids); returns how many. */
  closeSignIns(authSessionIds: readonly string[], reason: string): number;
  /**
   * Closes sockets as sessions and sign-ins end anywhere (as the rows say, once an event names
   * them); returns a function that stops watching.
   */
  watch(): () => Promise<void>;
}

/** The ids of a staff view: the session, its staff member and its customer. */
export type StaffViewIds = Pick<ImpersonationSession, 'id' | 'staffId' | 'customerId'>;

/** What closing a socket is decided on: the ids of the sign-in and staff view it was opened with. */
interface OpenedWith {
  authSessionId: string;
  staffView: StaffViewIds | null;
  /** Opened by a manager as themselves: closes when they are no longer one. */
  asManager: boolean;
}

/** Creates the socket registry of one app instance. */
export function createSessionSockets(services: Pick<Services, 'pubsub' | 'prisma' | 'clock'>): SessionSockets {
  // The ids only, not the identity: its rows are the subscriptions' to keep (or not), and ten
  // thousand banner sockets held a second copy of each (issue 13, memory per connection).
  const openedWith = new Map<WebSocket, OpenedWith>();
  /** Operations delivering an end that are not over yet, by id, per socket (only sockets that have some). */
  const openFeeds = new Map<WebSocket, Set<string>>();
  /** Ended sessions' sockets waiting for their feeds, with the fallback timer. */
  const closing = new Map<WebSocket, { reason: string; timer: NodeJS.Timeout }>();

  const closeNow = (socket: WebSocket, reason: string) => {
    const waiting = closing.get(socket);
    if (waiting) clearTimeout(waiting.timer);
    closing.delete(socket);
    openFeeds.delete(socket);
    socket.close(CloseCode.Forbidden, reason.slice(0, 120));
  };

  const closeWhere = (matches: (opened: OpenedWith) => boolean, reason: string, afterFeeds: boolean) => {
    let closed = 0;
    for (const [socket, opened] of openedWith) {
      if (!matches(opened)) continue;
      openedWith.delete(socket);
      closed += 1;
      if (!afterFeeds || !openFeeds.has(socket)) closeNow(socket, reason);
      else if (!closing.has(socket)) {
        const timer = setTimeout(() => closeNow(socket, reason), SOCKET_CLOSE_FALLBACK_MS);
        timer.unref();
        closing.set(socket, { reason, timer });
      }
    }
    return closed;
  };

  const closeSession = (sessionId: string, reason: string) =>
    closeWhere((opened) => opened.staffView?.id === sessionId, reason, true);

  const operationOver = (socket: WebSocket, id: string) => {
    const open = openFeeds.get(socket);
    if (!open?.delete(id) || open.size > 0) return;
    openFeeds.delete(socket);
    const waiting = closing.get(socket);
    if (waiting) closeNow(socket, waiting.reason);
  };

  const closeSignIns = (authSessionIds: readonly string[], reason: string) => {
    const ids = new Set(authSessionIds);
    return closeWhere((opened) => ids.has(opened.authSessionId), reason, false);
  };

  const reads = socketRereads(services);
  const warn = (error: unknown) =>
    console.warn(JSON.stringify({ level: 'warn', event: 'sockets.reread_failed', error: String(error) }));

  /** Of the sessions named by events, those whose row ended and this instance holds sockets of. */
  const endedSessions = async (named: Map<string, true>) => {
    const held = new Set<string>();
    for (const opened of openedWith.values())
      if (opened.staffView && named.has(opened.staffView.id)) held.add(opened.staffView.id);
    if (held.size === 0) return;
    for (const id of await reads.endedSessions([...held])) closeSession(id, 'Impersonation session ended');
  };

  /** Of the sign-ins named by events (with the reason announced), the sockets whose row says they ended. */
  const endedSignIns = async (named: Map<string, string>) => {
    const held = [...openedWith].filter(([, opened]) => named.has(opened.authSessionId));
    if (held.length === 0) return;
    const rows = await reads.signIns([...new Set(held.map(([, opened]) => opened.authSessionId))]);
    const now = services.clock.now();
    for (const [socket, opened] of held) {
      if (openedWith.get(socket) !== opened) continue; // closed meanwhile
      const reason = signInEnded(rows.get(opened.authSessionId), opened, named.get(opened.authSessionId)!, now);
      if (!reason) continue;
      openedWith.delete(socket);
      closeNow(socket, reason);
    }
  };

  return {
    track(socket, identity) {
      const { authSession, impersonation } = identity;
      if (!authSession) return;
      const staffView = impersonation
        ? { id: impersonation.id, staffId: impersonation.staffId, customerId: impersonation.customerId }
        : null;
      openedWith.set(socket, { authSessionId: authSession.id, staffView, asManager: isManager(identity) });
    },
    staffViewOf: (socket) => openedWith.get(socket)?.staffView ?? null,
    untrack(socket) {
      openedWith.delete(socket);
      openFeeds.delete(socket);
      const waiting = closing.get(socket);
      if (waiting) clearTimeout(waiting.timer);
      closing.delete(socket);
    },
    closeSession,
    operationStarted(socket, id, args) {
      if (!openedWith.get(socket)?.staffView || !deliversSessionEnd(args)) return;
      const open = openFeeds.get(socket) ?? new Set<string>();
      openFeeds.set(socket, open.add(id));
    },
    operationOver,
    closeSignIns,
    watch() {
      const sessionEvents = services.pubsub.subscribe('impersonation:active');
      const signInEvents = services.pubsub.subscribe('auth:revoked');
      const sessionChecks = batcher<true>(endedSessions, warn);
      const signInChecks = batcher<string>(endedSignIns, warn);
      void (async () => {
        for await (const event of sessionEvents) if (event.ended) sessionChecks.add(event.sessionId, true);
      })();
      void (async () => {
        for await (const event of signInEvents) {
          for (const id of event.authSessionIds) signInChecks.add(id, event.reason);
        }
      })();
      return async () => {
        sessionChecks.stop();
        signInChecks.stop();
        await Promise.all([sessionEvents.return?.(), signInEvents.return?.()]);
      };
    },
  };
}
