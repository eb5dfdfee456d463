// How many WebSockets one client address and one sign-in may hold (WS_CONNECTIONS_PER_ADDRESS,
// WS_CONNECTIONS_PER_SIGN_IN): counted on this instance, admitted or refused as each socket opens
// and signs in, released as it closes. A socket over a limit is closed with 4429 and the reason
// TOO_MANY_CONNECTIONS, which graphql-ws clients treat as final (no reconnect storm).
import type { WebSocket } from 'ws';
import type { Config } from '../config.ts';

/** The close code of a socket refused by a connection limit (graphql-ws: not retried). */
export const TOO_MANY_CONNECTIONS_CLOSE = 4429;

/** The counters of one instance. */
export interface ConnectionLimits {
  /** Counts a new socket from `address`; false when the address already holds its limit. */
  admitAddress(socket: WebSocket, address: string | null): boolean;
  /** Counts a socket's sign-in; false when that sign-in already holds its limit. */
  admitSignIn(socket: WebSocket, authSessionId: string | null): boolean;
  /** Forgets a closed socket. */
  release(socket: WebSocket): void;
}

/** Counters per address and per sign-in, for one instance. */
export function createConnectionLimits(
  config: Pick<Config, 'WS_CONNECTIONS_PER_ADDRESS' | 'WS_CONNECTIONS_PER_SIGN_IN'>,
): ConnectionLimits {
  const byAddress = new Map<string, number>();
  const bySignIn = new Map<string, number>();
  const counted = new WeakMap<WebSocket, { address?: string; signIn?: string }>();
  const take = (counts: Map<string, number>, key: string, limit: number) => {
    const held = counts.get(key) ?? 0;
    if (held >= limit) return false;
    counts.set(key, held + 1);
    return true;
  };
  const give = (counts: Map<string, number>, key: string | undefined) => {
    if (key === undefined) return;
    const held = (counts.get(key) ?? 1) - 1;
    if (held > 0) counts.set(key, held);
    else counts.delete(key);
  };
  return {
    admitAddress(socket, address) {
      const key = address ?? 'unknown';
      if (!take(byAddress, key, config.WS_CONNECTIONS_PER_ADDRESS)) return false;
      counted.set(socket, { address: key });
      return true;
    },
    admitSignIn(socket, authSessionId) {
      if (authSessionId === null) return true;
      if (!take(bySignIn, authSessionId, config.WS_CONNECTIONS_PER_SIGN_IN)) return false;
      counted.set(socket, { ...counted.get(socket), signIn: authSessionId });
      return true;
    },
    release(socket) {
      const held = counted.get(socket);
      counted.delete(socket);
      give(byAddress, held?.address);
      give(bySignIn, held?.signIn);
    },
  };
}
