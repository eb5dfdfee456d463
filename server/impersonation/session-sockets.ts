// This instance's graphql-ws sockets, by the sign-in and the impersonation session they were
// opened with, so an end decided anywhere (published through pub/sub) closes them here with 4403:
// their subscriptions stop and the client must not retry. Two events close sockets: an ended
// impersonation session (once its banner delivered the end, see below), and sign-ins revoked or
// stripped of the manager role (at once). Not a Yoga plugin: sockets belong to the WebSocket server
// (app.ts), which tracks them at connection time.
//
// Close after delivery: a feed that pushes an end (the banner, live.ts) registers with its socket
// (`feedsOf(socket).opened()`) and reports when it is over, which for an ended session means its
// end event was written to the socket (the `ws.send` callback fired). An ended session's socket
// closes at that moment, at once if it carries no such feed, and at the latest after
// SOCKET_CLOSE_FALLBACK_MS (a feed that cannot read the row, a consumer that never drains).
import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { Identity } from '../auth/identity.ts';
import type { Services } from '../context.ts';

/** The longest an ended session's socket stays open waiting for its banner to deliver the end. */
export const SOCKET_CLOSE_FALLBACK_MS = 1000;

/** The live feeds of one socket that push an end (the banner). */
export interface SocketFeeds {
  /** A feed opened on the socket; call the returned function (once or more) when it is over. */
  opened(): () => void;
}

/** The sockets of one instance and what closes them. */
export interface SessionSockets {
  /** Remembers a socket opened with `identity` (anonymous sockets need no tracking). */
  track(socket: WebSocket, identity: Identity): void;
  /** Forgets a closed socket. */
  untrack(socket: WebSocket): void;
  /**
   * Closes every socket opened with a token of this impersonation session, each once its feeds
   * delivered their end (at most SOCKET_CLOSE_FALLBACK_MS later); returns how many.
   */
  closeSession(sessionId: string, reason: string): number;
  /** Where the feeds of a socket report (the banner's end delivered before the close). */
  feedsOf(socket: WebSocket): SocketFeeds;
  /** Closes every socket opened with one of these sign-ins (auth session ids); returns how many. */
  closeSignIns(authSessionIds: readonly string[], reason: string): number;
  /** Closes sockets as sessions and sign-ins end anywhere; returns a function that stops watching. */
  watch(): () => Promise<void>;
}

/** What closing a socket is decided on: the ids of the sign-in and staff view it was opened with. */
interface OpenedWith {
  authSessionId: string;
  sessionId: string | null;
}

/** Creates the socket registry of one app instance. */
export function createSessionSockets(services: Pick<Services, 'pubsub'>): SessionSockets {
  // The ids only, not the identity: its rows are the subscriptions' to keep (or not), and ten
  // thousand banner sockets held a second copy of each (issue 13, memory per connection).
  const openedWith = new Map<WebSocket, OpenedWith>();
  /** Feeds not yet over, per socket (only sockets that have some). */
  const openFeeds = new Map<WebSocket, number>();
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
    closeWhere((opened) => opened.sessionId === sessionId, reason, true);

  const feedsOf = (socket: WebSocket): SocketFeeds => ({
    opened() {
      openFeeds.set(socket, (openFeeds.get(socket) ?? 0) + 1);
      let over = false;
      return () => {
        if (over) return;
        over = true;
        const left = (openFeeds.get(socket) ?? 0) - 1;
        if (left > 0) return void openFeeds.set(socket, left);
        openFeeds.delete(socket);
        const waiting = closing.get(socket);
        if (waiting) closeNow(socket, waiting.reason);
      };
    },
  });

  const closeSignIns = (authSessionIds: readonly string[], reason: string) => {
    const ids = new Set(authSessionIds);
    return closeWhere((opened) => ids.has(opened.authSessionId), reason, false);
  };

  return {
    track(socket, { authSession, impersonation }) {
      if (authSession) openedWith.set(socket, { authSessionId: authSession.id, sessionId: impersonation?.id ?? null });
    },
    untrack(socket) {
      openedWith.delete(socket);
      openFeeds.delete(socket);
      const waiting = closing.get(socket);
      if (waiting) clearTimeout(waiting.timer);
      closing.delete(socket);
    },
    closeSession,
    feedsOf,
    closeSignIns,
    watch() {
      const sessionEvents = services.pubsub.subscribe('impersonation:active');
      const signInEvents = services.pubsub.subscribe('auth:revoked');
      void (async () => {
        for await (const event of sessionEvents) {
          if (!event.ended) continue;
          closeSession(event.sessionId, 'Impersonation session ended');
        }
      })();
      void (async () => {
        for await (const event of signInEvents) closeSignIns(event.authSessionIds, event.reason);
      })();
      return async () => {
        await Promise.all([sessionEvents.return?.(), signInEvents.return?.()]);
      };
    },
  };
}
