// A TCP proxy the fault tests put in front of PostgreSQL or Redis: `cut()` drops every open
// connection and refuses new ones, `restore()` accepts again on the same port, so an outage lasts
// exactly as long as a test wants.
import net from 'node:net';

/** A proxy to `host:port`; listens on a free loopback port. */
export interface TcpProxy {
  port: number;
  /** Connections accepted since the proxy started. */
  accepted(): number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy to `host:port` on a free loopback port. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted += 1;
    const upstream = net.connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: proxyPort } = server.address() as net.AddressInfo;
  const cut = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    port: proxyPort,
    accepted: () => accepted,
    cut,
    restore: () =>
      server.listening
        ? Promise.resolve()
        : new Promise<void>((resolve) => server.listen(proxyPort, '127.0.0.1', resolve)),
    close: cut,
  };
}

/** `url` with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: TcpProxy): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return proxied.toString();
}
