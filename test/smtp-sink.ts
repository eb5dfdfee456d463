// A real SMTP server in the test process (the `smtp-server` package) that keeps every mail it
// receives, parsed by `mailparser`. It can be stopped and started again on the same port, to play
// an SMTP outage and its end.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  mails: ParsedMail[];
  /** Mails sent to this address. */
  mailsTo(address: string): ParsedMail[];
  /** Resolves with the first mail (received or to come) that matches. */
  waitFor(predicate: (mail: ParsedMail) => boolean): Promise<ParsedMail>;
  /** Stops listening (the port refuses connections) until `start` again. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Starts a sink on a free port (or the given one). */
export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const mails: ParsedMail[] = [];
  const waiters: { predicate: (mail: ParsedMail) => boolean; resolve: (mail: ParsedMail) => void }[] = [];
  let server: SMTPServer | null = null;
  let boundPort = port;

  const listen = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) => {
            mails.push(mail);
            for (const waiter of [...waiters]) {
              if (waiter.predicate(mail)) {
                waiters.splice(waiters.indexOf(waiter), 1);
                waiter.resolve(mail);
              }
            }
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(boundPort, '127.0.0.1', () => resolve());
    });
    boundPort = (server!.server.address() as AddressInfo).port;
  };
  await listen();

  return {
    url: `smtp://127.0.0.1:${boundPort}`,
    mails,
    mailsTo: (address) => mails.filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === address),
    waitFor(predicate) {
      const found = mails.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
    async stop() {
      const current = server;
      server = null;
      if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    start: listen,
  };
}
