// This instance's graphql-ws sockets, by the sign-in and the impersonation session they were
// opened with, so an end decided anywhere (published through pub/sub) closes them here with 4403:
// their subscriptions stop and the client must not retry. Not a Yoga plugin: sockets belong to the
// WebSocket server (app.ts), which tracks them at connection time.
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
  /** Closes sockets as sessions end anywhere; returns a function that stops watching. */
  watch(): () => Promise<void>;
}

/** Creates the socket registry of one app instance. */
export function createSessionSockets(services: Pick<Services, 'pubsub'>): SessionSockets {
  const identities = new Map<WebSocket, Identity>();

  const closeSession = (sessionId: string, reason: string) => {
    let closed = 0;
    for (const [socket, identity] of identities) {
      if (identity.impersonation?.id !== sessionId) continue;
      socket.close(CloseCode.Forbidden, reason.slice(0, 120));
      identities.delete(socket);
      closed += 1;
    }
    return closed;
  };

  return {
    track: (socket, identity) => void (identity.authSession && identities.set(socket, identity)),
    untrack: (socket) => void identities.delete(socket),
    closeSession,
    watch() {
      const events = services.pubsub.subscribe('impersonation:active');
      void (async () => {
        for await (const event of events) {
          if (!event.ended) continue;
          setTimeout(() => closeSession(event.sessionId, 'Impersonation session ended'), SOCKET_CLOSE_GRACE_MS);
        }
      })();
      return async () => void (await events.return?.());
    },
  };
}
