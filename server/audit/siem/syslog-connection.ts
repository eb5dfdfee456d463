// One connection to the syslog receiver: TCP (RFC 6587) or TLS (RFC 5425). Plain syslog has no
// acknowledgement, so the connection only tells what it can: a write was handed to the kernel,
// and since then the peer neither closed nor reset it. The streamer (streamer.ts) counts a batch
// as delivered once it stayed that way for AUDIT_SYSLOG_SETTLE_MS.
import { readFileSync } from 'node:fs';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

/** Where the stream goes, from AUDIT_SYSLOG_URL (tcp://host:port or tls://host:port). */
export interface SyslogTarget {
  protocol: 'tcp' | 'tls';
  host: string;
  port: number;
  /** PEM of the CA(s) the TLS receiver's certificate must chain to; unset: the system's. */
  ca?: string;
}

/** The pattern config.ts checks AUDIT_SYSLOG_URL against. */
export const SYSLOG_URL_PATTERN = /^(tcp|tls):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** The target of a valid AUDIT_SYSLOG_URL, with the CA file read (TLS only). */
export function syslogTarget(url: string, caFile?: string): SyslogTarget {
  const match = SYSLOG_URL_PATTERN.exec(url);
  if (!match) throw new Error(`AUDIT_SYSLOG_URL ${url} is not tcp://host:port or tls://host:port`);
  return {
    protocol: match[1] as 'tcp' | 'tls',
    host: match[2]!.replace(/^\[|\]$/g, ''),
    port: Number(match[3]),
    ...(caFile && match[1] === 'tls' ? { ca: readFileSync(caFile, 'utf8') } : {}),
  };
}

/** An open connection to the receiver. */
export interface SyslogConnection {
  /** Writes the frames; resolves once the kernel took them, rejects if the connection failed. */
  write(frames: Buffer): Promise<void>;
  /** False once the peer closed or reset the connection, or a write failed. */
  healthy(): boolean;
  /** Why it is no longer healthy (for the log). */
  failure(): string | null;
  close(): void;
}

/** Connects (verifying the receiver's certificate and name for TLS); rejects after `timeoutMs`. */
export function openSyslogConnection(target: SyslogTarget, timeoutMs: number): Promise<SyslogConnection> {
  return new Promise((resolve, reject) => {
    const socket: Socket =
      target.protocol === 'tls'
        ? connectTls({
            host: target.host,
            port: target.port,
            // SNI takes host names only (RFC 6066); an IP is checked against the certificate's IP SANs.
            ...(isIP(target.host) ? {} : { servername: target.host }),
            ca: target.ca,
          })
        : connectTcp({ host: target.host, port: target.port });
    let failure: string | null = null;
    const fail = (why: string) => {
      failure ??= why;
    };
    const timer = setTimeout(() => socket.destroy(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs);
    socket.on('error', (error) => fail(error.message));
    socket.on('end', () => fail('the receiver closed the connection'));
    socket.on('close', () => fail('connection closed'));
    // A receiver may answer (RFC 5425 allows nothing, rsyslog sends nothing): read and drop it.
    socket.on('data', () => undefined);
    socket.once(target.protocol === 'tls' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.setKeepAlive(true, 10_000);
      resolve({
        write: (frames) =>
          new Promise((done, failed) => {
            if (failure) return failed(new Error(failure));
            socket.write(frames, (error) => (error ? failed(error) : done()));
          }),
        healthy: () => failure === null && !socket.destroyed,
        failure: () => failure,
        close: () => {
          fail('closed by the sender');
          socket.destroy();
        },
      });
    });
    socket.once('close', () => {
      clearTimeout(timer);
      reject(new Error(failure ?? 'connection closed'));
    });
  });
}
