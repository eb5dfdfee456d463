// The load side of the banners scenario (bench/banners.ts): one process holding a share of the
// banner sockets. Speaks graphql-ws by hand over `ws` (connection_init, then the client's own
// StaffViewStatus subscription) to keep the generator cheap, and records for every `next` the tick
// lag (receive time minus the event's serverTime, on the server's clock) and the interval since the
// socket's previous tick; for watched sockets, when the end event and the close arrived.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';

const QUERY = `subscription StaffViewStatus {
  impersonationSession { sessionId state remainingSeconds expiresAt serverTime endReason canExtend extensionAvailableAt }
}`;

type Command =
  | { cmd: 'connect'; wsUrls: string[]; tokens: string[]; clockOffsetsMs: number[]; concurrency: number }
  | { cmd: 'measure'; ms: number; clockOffsetsMs: number[] }
  | { cmd: 'watch'; index: number; timeoutMs: number }
  | { cmd: 'closeAll' };

interface Watch {
  /** The server instance holding the socket. */
  instance: number;
  endAt?: number;
  state?: string;
  endReason?: string | null;
  closeAt?: number;
  closeCode?: number;
  closeReason?: string;
  /** The end event arrived after the close (must not happen). */
  endAfterClose?: boolean;
}

interface Connection {
  socket: WebSocket;
  /** Which server instance it is connected to (the index of its URL). */
  instance: number;
  lastTick: number;
  watch?: Watch;
  onClosed?: () => void;
  closed: boolean;
}

const now = () => performance.timeOrigin + performance.now();
const connections: Connection[] = [];
// Each server instance's database clock offset (they share one database clock, each measures it).
let clockOffsetsMs: number[] = [0];
let recording: { lags: number[]; intervals: number[]; messages: number; slow: [number, number][] } | null = null;
let errors = 0;

function open(wsUrl: string, instance: number, token: string): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
    const connection: Connection = { socket, instance, lastTick: 0, closed: false };
    let subscribed = false;
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    );
    socket.on('message', (data) => {
      const at = now();
      const message = JSON.parse(data.toString()) as { type: string; payload?: any };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
        return;
      }
      if (message.type !== 'next') {
        if (message.type === 'error') errors += 1;
        return;
      }
      const status = message.payload?.data?.impersonationSession;
      if (!status) {
        errors += 1;
        if (!subscribed) reject(new Error(JSON.stringify(message.payload).slice(0, 300)));
        return;
      }
      if (!subscribed) {
        subscribed = true;
        resolve(connection);
      }
      if (status.state !== 'ACTIVE') {
        if (connection.watch) {
          connection.watch.endAt = at;
          connection.watch.state = status.state;
          connection.watch.endReason = status.endReason;
          if (connection.closed) connection.watch.endAfterClose = true;
        }
        return;
      }
      if (recording) {
        recording.messages += 1;
        const lag = at - (Date.parse(status.serverTime) - clockOffsetsMs[instance]!);
        recording.lags.push(lag);
        if (lag > 50) recording.slow.push([Math.round(at), Math.round(lag)]);
        if (connection.lastTick) recording.intervals.push(at - connection.lastTick);
      }
      connection.lastTick = at;
    });
    socket.on('close', (code, reason) => {
      connection.closed = true;
      if (connection.watch) {
        connection.watch.closeAt = now();
        connection.watch.closeCode = code;
        connection.watch.closeReason = reason.toString();
      }
      connection.onClosed?.();
      if (!subscribed) reject(new Error(`closed ${code} ${reason.toString()} before the first event`));
    });
    socket.on('error', () => undefined);
  });
}

async function connect(command: Extract<Command, { cmd: 'connect' }>) {
  clockOffsetsMs = command.clockOffsetsMs;
  const started = now();
  let next = 0;
  let failed = 0;
  const firstError: string[] = [];
  const lane = async () => {
    while (next < command.tokens.length) {
      const index = next++;
      try {
        // The sockets are spread over the instances in turn, as a round-robin balancer would.
        const instance = index % command.wsUrls.length;
        connections[index] = await open(command.wsUrls[instance]!, instance, command.tokens[index]!);
      } catch (error) {
        failed += 1;
        if (firstError.length === 0) firstError.push(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, lane));
  return { connected: command.tokens.length - failed, failed, firstError: firstError[0] ?? null, ms: now() - started };
}

async function measure(ms: number) {
  recording = { lags: [], intervals: [], messages: 0, slow: [] };
  // This process's own stalls (a GC of its 5,000 sockets) would read as lag: reported beside it.
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  await new Promise((resolve) => setTimeout(resolve, ms));
  delay.disable();
  const result = recording;
  recording = null;
  return { ...result, errors, maxLoopDelayMs: delay.max / 1e6 };
}

function watch(index: number, timeoutMs: number): Promise<Watch> {
  const connection = connections[index]!;
  const state: Watch = { instance: connection.instance };
  connection.watch = state;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(state), timeoutMs);
    connection.onClosed = () => {
      clearTimeout(timer);
      // Let a `next` that arrived in the same read be handled first (it cannot, but say so if it does).
      setImmediate(() => resolve(state));
    };
  });
}

async function closeAll() {
  const open = connections.filter((connection) => connection && !connection.closed);
  await Promise.all(
    open.map(
      (connection) =>
        new Promise<void>((resolve) => {
          connection.onClosed = resolve;
          connection.socket.close(1000, 'bench done');
        }),
    ),
  );
  connections.length = 0;
  return open.length;
}

async function answer(message: Command): Promise<unknown> {
  switch (message.cmd) {
    case 'connect':
      return connect(message);
    case 'measure':
      // The server's database clock is re-measured every minute: its offset now, not at setup.
      clockOffsetsMs = message.clockOffsetsMs;
      return measure(message.ms);
    case 'watch':
      return watch(message.index, message.timeoutMs);
    case 'closeAll':
      return closeAll();
  }
}

process.on('message', (message: Command & { id: number }) => {
  answer(message).then(
    (result) => process.send!({ id: message.id, result }),
    (error: unknown) => process.send!({ id: message.id, error: String((error as Error)?.stack ?? error) }),
  );
});
process.on('disconnect', () => process.exit(0));
