// How notification emails leave the app: nodemailer over SMTP when SMTP_URL is set; otherwise the
// embedded default writes each message as an `.eml` file into the mail folder (MAIL_DIR, or mail/
// next to DATA_DIR) and logs one line, so a trial install shows what would have been sent. Every
// email comes from the salon: SALON_NAME is the sender's name, MAIL_FROM gives only the address.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { Config } from '../config.ts';

/** One email, rendered. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A stable Message-ID: a retry after an unconfirmed send carries the same one (receivers may dedupe). */
  messageId: string;
}

/** Sends emails; a rejected promise means "not sent, try again later". */
export interface Mailer {
  /** `smtp` (SMTP_URL) or `files` (the `.eml` folder). */
  kind: 'smtp' | 'files';
  /** The folder of `.eml` files (files only). */
  dir: string | null;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** The sender of every email: the salon's name (SALON_NAME) at MAIL_FROM's address. */
export function senderOf(config: Pick<Config, 'MAIL_FROM' | 'SALON_NAME'>): { name: string; address: string } {
  const address = /<([^<>]+)>\s*$/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM.trim();
  return { name: config.SALON_NAME, address };
}

/** Gives up on an unreachable or silent SMTP server quickly: the outbox retries later. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** The folder `.eml` files go to: MAIL_DIR, or mail/ next to DATA_DIR (or in `root` when given). */
export function mailDir(config: Pick<Config, 'MAIL_DIR' | 'DATA_DIR'>, root = dirname(config.DATA_DIR)): string {
  return config.MAIL_DIR ?? join(root, 'mail');
}

/**
 * The mailer of the configuration. `root`: where the mail folder goes when MAIL_DIR is unset
 * (a temporary folder for an in-memory database).
 */
export function createMailer(
  config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'SALON_NAME' | 'MAIL_DIR' | 'DATA_DIR'>,
  log: (line: Record<string, unknown>) => void,
  root?: string,
): Mailer {
  const from = senderOf(config);
  if (config.SMTP_URL) {
    const transport = createTransport({ url: config.SMTP_URL, ...SMTP_TIMEOUTS });
    return {
      kind: 'smtp',
      dir: null,
      async send(mail) {
        await transport.sendMail({ from, ...mail });
      },
      close: () => transport.close(),
    };
  }
  const dir = mailDir(config, root);
  const transport = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'files',
    dir,
    async send(mail) {
      const { message } = await transport.sendMail({ from, ...mail });
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const file = join(
        dir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/\W/g, '_')}.eml`,
      );
      await writeFile(file, message as Buffer, { mode: 0o600 });
      log({ event: 'mail.written', to: mail.to, subject: mail.subject, file });
    },
    close: () => transport.close(),
  };
}
