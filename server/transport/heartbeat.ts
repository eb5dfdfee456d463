// One heartbeat for every WebSocket of an instance, in place of graphql-ws' keep-alive (its
// `useServer` gives each socket a 12 s `setInterval`, and a `setTimeout` and a `once('pong')` listener per
// ping: 10,000 timers at 10,000 banners, ~8% of the banner server's busy time, docs/BENCHMARKS.md). Here each socket
// is pinged once every WS_KEEPALIVE_MS and terminated if it has not answered the previous ping by its
// next turn, as graphql-ws does, from one shared timer: sockets are spread over the interval (a wheel
// of SLOTS positions, as the banner hub's), so 10,000 pings are not written in one go. This is the
// heartbeat `ws`'s README shows (a shared `pong` listener and a flag per socket), spread out; `ws` and
// graphql-ws offer no shared one.
import { WebSocket } from 'ws';

/** Wheel positions per interval: a socket is pinged within WS_KEEPALIVE_MS / SLOTS of its turn. */
const SLOTS = 50;

/** The heartbeat of one instance's WebSocket server. */
export interface Heartbeat {
  /** Pings `socket` from now on; it leaves the heartbeat when it closes. */
  watch(socket: WebSocket): void;
  /** Stops the timer (the server is closing). */
  stop(): void;
}

/** A heartbeat of `intervalMs` per socket. */
export function createHeartbeat(intervalMs: number): Heartbeat {
  const slots: Set<WebSocket>[] = Array.from({ length: SLOTS }, () => new Set());
  const slotOf = new Map<WebSocket, number>();
  /** Sockets pinged whose pong has not come back yet. */
  const unanswered = new Set<WebSocket>();
  let assigned = 0;
  let position = 0;
  // Shared listeners (ws calls them with the socket as `this`), not closures per socket.
  const answered = function (this: WebSocket) {
    unanswered.delete(this);
  };
  const closed = function (this: WebSocket) {
    const slot = slotOf.get(this);
    if (slot !== undefined) slots[slot]!.delete(this);
    slotOf.delete(this);
    unanswered.delete(this);
  };
  const timer = setInterval(() => {
    position = (position + 1) % SLOTS;
    for (const socket of slots[position]!) {
      if (socket.readyState !== WebSocket.OPEN) continue;
      // No pong since the last turn: the peer is gone (or its network is). `terminate` emits 'close'.
      if (unanswered.has(socket)) {
        socket.terminate();
        continue;
      }
      unanswered.add(socket);
      socket.ping();
    }
  }, intervalMs / SLOTS);
  timer.unref();
  return {
    watch(socket) {
      // Round robin: slots stay even whatever the order of opens and closes.
      const slot = assigned++ % SLOTS;
      slots[slot]!.add(socket);
      slotOf.set(socket, slot);
      socket.on('pong', answered);
      socket.on('close', closed);
    },
    stop() {
      clearInterval(timer);
    },
  };
}
