// The structured log: one JSON object per line (time, level, msg, then fields), on stdout, or
// stderr for warnings and errors. Hand-written (30 lines) rather than pino: Yoga's `logging`
// option takes any object with debug/info/warn/error, and nothing here needs transports.
import type { YogaLogger } from 'graphql-yoga';

/** How important a log line is. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Fields of a log line; an Error becomes its name and message (its stack only at debug). */
function fieldsOf(args: unknown[], level: LogLevel): { msg: string; [field: string]: unknown } {
  const messages: string[] = [];
  const fields: Record<string, unknown> = {};
  for (const arg of args) {
    if (arg instanceof Error) {
      messages.push(arg.message);
      fields.error = { name: arg.name, message: arg.message, ...(level === 'debug' ? { stack: arg.stack } : {}) };
    } else if (arg && typeof arg === 'object') Object.assign(fields, arg);
    else messages.push(String(arg));
  }
  return { msg: messages.join(' '), ...fields };
}

/** A Yoga logger (also used by the app itself) writing JSON lines at `level` and above. */
export function createJsonLogger(level: LogLevel): YogaLogger {
  const write =
    (at: LogLevel) =>
    (...args: unknown[]) => {
      if (RANK[at] < RANK[level]) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level: at, ...fieldsOf(args, at) });
      (RANK[at] >= RANK.warn ? process.stderr : process.stdout).write(`${line}\n`);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
