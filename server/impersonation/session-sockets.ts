// This instance's graphql-ws sockets, by the sign-in and the impersonation session they were
// opened with, so an end decided anywhere (published through pub/sub) closes them here with 4403:
// their subscriptions stop and the client must not retry. Two events close sockets: an ended
// impersonation session (after a grace that lets its banner push the end), and sign-ins revoked or
// stripped of the manager role (at once). Not a Yoga plugin: sockets belong to the WebSocket server
// (app.ts), which tracks them at connection time.
import { CloseCode } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { Identity } from '../auth/identity.ts';
import type { Services } from '../context.ts';

/** Lets the banner subscription push the end (with its reason) before its socket is closed. */
const SOCKET_CLOSE_GRACE_MS = 250;

/** The sockets of one instance and what closes them. */
export interface SessionSockets {
  /** Remembers a socket opened with `identity` (anonymous sockets need no tracking). */
  track(socket: WebSocket, identity: Identity): void;
  /** Forgets a closed socket. */
  untrack(socket: WebSocket): void;
  /** Closes every socket opened with a token of this impersonation session; returns how many. */
  closeSession(sessionId: string, reason: string): number;
  /** Closes every socket opened with one of these sign-ins (auth session ids); returns how many. */
  closeSignIns(authSessionIds: readonly string[], reason: string): number;
  /** Closes sockets as sessions and sign-ins end anywhere; returns a function that stops watching. */
  watch(): () => Promise<void>;
}

/** Creates the socket registry of one app instance. */
export function createSessionSockets(services: Pick<Services, 'pubsub'>): SessionSockets {
  const identities = new Map<WebSocket, Identity>();

  const closeWhere = (matches: (identity: Identity) => boolean, reason: string) => {
    let closed = 0;
    for (const [socket, identity] of identities) {
      if (!matches(identity)) continue;
      socket.close(CloseCode.Forbidden, reason.slice(0, 120));
      identities.delete(socket);
      closed += 1;
    }
    return closed;
  };

  const closeSession = (sessionId: string, reason: string) =>
    closeWhere((identity) => identity.impersonation?.id === sessionId, reason);

  const closeSignIns = (authSessionIds: readonly string[], reason: string) => {
    const ids = new Set(authSessionIds);
    return closeWhere((identity) => identity.authSession !== null && ids.has(identity.authSession.id), reason);
  };

  return {
    track: (socket, identity) => void (identity.authSession && identities.set(socket, identity)),
    untrack: (socket) => void identities.delete(socket),
    closeSession,
    closeSignIns,
    watch() {
      const sessionEvents = services.pubsub.subscribe('impersonation:active');
      const signInEvents = services.pubsub.subscribe('auth:revoked');
      void (async () => {
        for await (const event of sessionEvents) {
          if (!event.ended) continue;
          setTimeout(() => closeSession(event.sessionId, 'Impersonation session ended'), SOCKET_CLOSE_GRACE_MS);
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
