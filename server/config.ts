// Every setting of the server, read from the environment once, validated, with its default.
// Impersonation durations are entries here (SPEC 3: "durations are configuration, not literals"),
// read by server/impersonation/policy.ts; so is how long an access request waits (server/access/policy.ts).
import { z } from 'zod';

const minutes = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const seconds = (fallback: number) => z.coerce.number().positive().default(fallback);
/** `true` / `false`, or unset to let the mode decide (see loadConfig). */
const optionalFlag = z
  .enum(['true', 'false'])
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true'));
/** A comma-separated list; unset or empty: none. */
const list = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Bind address. Loopback unless set: a deployment opens it (`0.0.0.0`) on purpose, behind its proxy. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Worker processes sharing PORT, each a whole instance (server/cluster.ts); 1 runs the instance in
   * the process itself. More than one needs DATABASE_URL and REDIS_URL, as any multi-instance deployment.
   */
  SERVER_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /** A PostgreSQL URL; when unset, the embedded PGlite database in DATA_DIR is used. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('.data/pglite'),
  /**
   * Send Prisma's statements as named prepared statements, so PostgreSQL parses and plans each
   * once per connection instead of on every request. `false` behind a pooler that cannot carry them
   * (PgBouncer before 1.21 in transaction mode). Default: on for DATABASE_URL; the embedded
   * database never uses them (pglite-socket serves one session).
   */
  DATABASE_PREPARED_STATEMENTS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** PostgreSQL schema the app (and `npm run audit:verify`) uses. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'use a plain PostgreSQL identifier')
    .default('public'),
  /**
   * Ed25519 private key (PKCS#8 PEM) that signs audit checkpoints; keep it off the database host.
   * Required in production. Unset elsewhere: created (mode 0600) as audit/audit-signing-key.pem inside
   * DATA_DIR (in a temporary folder for tests).
   */
  AUDIT_SIGNING_KEY_FILE: z.string().optional(),
  /** The verifier only (`npm run audit:verify`): a public key PEM to check signatures with. */
  AUDIT_PUBLIC_KEY_FILE: z.string().optional(),
  /**
   * Months of audit log kept in the database (server/audit/retention.ts): a month whose end is older
   * than this is archived (if not yet) and its partition dropped; records under a legal hold are kept.
   */
  AUDIT_RETENTION_MONTHS: z.coerce.number().int().min(1).max(1200).default(12),
  /**
   * The newest months that are "hot": in the database and not yet archived. Older months are archived
   * as signed segments (AUDIT_ARCHIVE_DIR) but stay in the database, queryable, until retention drops them.
   */
  AUDIT_HOT_MONTHS: z.coerce.number().int().min(1).max(1200).default(3),
  /** Folder of the archived months (signed NDJSON.gz segments and manifests). Unset: audit-archive/ in DATA_DIR. */
  AUDIT_ARCHIVE_DIR: z.string().optional(),
  /** How often each instance runs the audit maintenance job (partitions ahead, archive, drop). */
  AUDIT_MAINTENANCE_INTERVAL_MS: z.coerce.number().int().positive().default(3_600_000),
  /**
   * Folder of this instance's checkpoint file sink (append-only NDJSON, the whole checkpoint stream of
   * the log). Unset: audit/audit-checkpoints/ inside DATA_DIR.
   */
  AUDIT_CHECKPOINT_DIR: z.string().optional(),
  /**
   * The checkpoint writer's lock_timeout (its statement_timeout is 5 times this): a writer held off
   * fails fast, witnesses the records in its file sink and reports, instead of waiting.
   */
  AUDIT_CHECKPOINT_TIMEOUT_MS: z.coerce.number().int().min(10).max(600_000).default(2000),
  /** How often a checkpoint is signed when records were added since the last one. */
  AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().positive().default(5000),
  /**
   * RFC 3161 time-stamping authority (HTTP POST application/timestamp-query) that timestamps each
   * checkpoint in the background (server/audit/timestamps.ts). Unset: checkpoints are not timestamped.
   */
  AUDIT_TSA_URL: z.string().url().optional(),
  /**
   * The TSA's signing certificate (PEM): `npm run audit:verify` checks each checkpoint's token with
   * it (and, when set, reports checkpoints without one). Unset: tokens are not checked.
   */
  AUDIT_TSA_CERT_FILE: z.string().optional(),
  /** How long one request to the TSA may take. */
  AUDIT_TSA_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Longest wait between retries while the TSA fails (the wait doubles from 1 s up to this). */
  AUDIT_TSA_RETRY_MAX_MS: z.coerce.number().int().positive().default(300_000),
  /**
   * SIEM streaming (server/audit/siem/): every audit record and checkpoint goes, at least once and in
   * order, to this syslog receiver as RFC 5424 over TCP (tcp://host:port) or TLS (tls://host:port,
   * RFC 5425). Unset: off.
   */
  AUDIT_SYSLOG_URL: z
    .string()
    .regex(/^(tcp|tls):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/, 'use tcp://host:port or tls://host:port')
    .optional(),
  /** PEM file of the CA(s) the TLS receiver's certificate must chain to. Unset: the system's CAs. */
  AUDIT_SYSLOG_CA_FILE: z.string().optional(),
  /** APP-NAME of the syslog messages. */
  AUDIT_SYSLOG_APP_NAME: z.string().min(1).max(48).default('salon-audit'),
  /** HOSTNAME of the syslog messages. Unset: the machine's host name. */
  AUDIT_SYSLOG_HOSTNAME: z.string().min(1).max(255).optional(),
  /** Syslog facility of the messages (RFC 5424: 13 "log audit"; 16-23 local0-local7 for collectors that filter on those). */
  AUDIT_SYSLOG_FACILITY: z.coerce.number().int().min(0).max(23).default(13),
  /** A batch counts as delivered once the connection stayed healthy this long after writing it. */
  AUDIT_SYSLOG_SETTLE_MS: z.coerce.number().int().positive().default(2000),
  /** Logs an error when the oldest record the receiver has not acknowledged is older than this. */
  AUDIT_SYSLOG_LAG_WARN_SECONDS: z.coerce.number().positive().default(60),
  /** When set, pub/sub events travel through Redis so several instances share them. */
  REDIS_URL: z.string().url().optional(),
  /**
   * Namespace of this deployment's Redis channels. Deployments that share one Redis must use
   * different prefixes, or each receives the other's session events.
   */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'use 1 to 64 letters, digits, "_", "." or "-"')
    .default('salon'),
  /**
   * The shared secret every message through Redis is signed with (HMAC-SHA256, server/pubsub/signing.ts),
   * the same on every instance of a deployment; at least 32 characters (`openssl rand -base64 32`).
   * Required in production when REDIS_URL is set. Unset elsewhere: a public development key, which
   * authenticates nothing.
   */
  PUBSUB_KEY: z.string().min(32, 'use at least 32 characters, e.g. `openssl rand -base64 32`').optional(),
  /** Lifetime of a customer or staff sign-in. */
  AUTH_SESSION_HOURS: z.coerce.number().positive().default(12),
  IMPERSONATION_DURATION_MINUTES: minutes(30),
  IMPERSONATION_EXTENSION_MINUTES: minutes(30),
  /** An extension is allowed only this close to the expiry. */
  IMPERSONATION_EXTENSION_WINDOW_MINUTES: minutes(5),
  /** No session lasts longer than this in total, extensions included. */
  IMPERSONATION_MAX_TOTAL_MINUTES: minutes(60),
  /**
   * A manager whose sign-in (or last password step-up) is older than this gives their password again
   * before a privileged action (server/schema/privileged.ts), like GitHub's sudo mode.
   */
  STEP_UP_MINUTES: minutes(10),
  /**
   * An access request (the customer's consent, a second manager's approval) waits this long for its
   * answers (a day by default, so an ask-first customer can answer the email; once approved, the
   * requester has at most APPROVED_START_MINUTES of it left to start: server/access/policy.ts).
   */
  ACCESS_REQUEST_MINUTES: minutes(24 * 60),
  /**
   * After the customer stops a staff member's view or declines their request, that staff member can
   * neither start nor ask again for this long, unless she allows it again (server/access/blocks.ts).
   */
  STAFF_VIEW_BLOCK_HOURS: z.coerce.number().positive().default(24),
  /**
   * What a staff view's case/ticket id looks like (server/impersonation/ticket.ts): a regular
   * expression the whole id must match (anchored for you). Checked here, at startup: a pattern that
   * does not compile stops the process. Default: 1-64 letters, digits, `.`, `_`, `-`, `#`, starting
   * with a letter or digit (`SUP-1234`, `ZD#5521`).
   */
  TICKET_PATTERN: z
    .string()
    .max(500)
    .refine((pattern) => {
      try {
        new RegExp(`^(?:${pattern})$`, 'u');
        return true;
      } catch {
        return false;
      }
    }, 'a regular expression (JavaScript syntax, Unicode mode) that compiles')
    .default('[A-Za-z0-9][A-Za-z0-9._#-]{0,63}'),
  /**
   * The help desk's address of a ticket, `{ticket}` standing for its id (URL-encoded), e.g.
   * `https://help.example/tickets/{ticket}`: the admin app and the audit link each ticket there.
   * Unset: tickets are shown as text.
   */
  TICKET_URL: z
    .string()
    .url()
    .refine(
      (value) => /^https?:\/\//.test(value) && value.includes('{ticket}'),
      'an http(s) address containing {ticket}',
    )
    .optional(),
  /**
   * Every staff view must name a ticket (TICKET_REQUIRED refusal otherwise). A deployment setting,
   * not a manager's toggle: it binds the managers it applies to, so none of them can turn it off.
   */
  TICKET_REQUIRED: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  /**
   * Break-glass (emergency access without her yes or a second manager's, server/access/break-glass.ts):
   * its time limit, never extended (the shortest of any staff view; capped at IMPERSONATION_DURATION_MINUTES).
   */
  BREAK_GLASS_MINUTES: minutes(15),
  /** A different manager reviews each break-glass use within this long, or it is escalated (alert BREAK_GLASS_UNREVIEWED). */
  BREAK_GLASS_REVIEW_HOURS: z.coerce.number().positive().default(24),
  /** Break-glass starts one manager may make per BREAK_GLASS_WINDOW_HOURS (on top of the start limit). */
  BREAK_GLASS_STARTS_PER_WINDOW: count(2),
  BREAK_GLASS_WINDOW_HOURS: z.coerce.number().positive().default(24),
  /**
   * A change that weakens a safeguard (unprotect a customer, staff views back on, promote to
   * manager, reactivate a manager) waits this long for a second manager (server/access/governance.ts).
   */
  GOVERNANCE_REQUEST_HOURS: z.coerce.number().positive().default(24),
  /**
   * With one active manager, such a change may be confirmed by its requester alone only after this
   * long (the customer is told at once when it concerns her protection); then it waits
   * GOVERNANCE_REQUEST_HOURS more for that confirmation.
   */
  GOVERNANCE_COOLING_OFF_HOURS: z.coerce.number().positive().default(72),
  /**
   * A manager who deactivated or demoted another manager within this many days before a request, or
   * since, may not confirm it alone: being the only manager is then their own doing.
   */
  GOVERNANCE_LONE_LOOKBACK_DAYS: z.coerce.number().positive().default(30),
  /**
   * An access review of who may view customers opens this often (server/access/reviews.ts): the
   * first this long after reviews began (SalonSettings.accessReviewsSince: the upgrade, or a new
   * salon's first start), each next this long after the last.
   */
  ACCESS_REVIEW_INTERVAL_DAYS: z.coerce.number().positive().default(91),
  /** A review's items unanswered this long after it opened suspend the manager's right to view customers. */
  ACCESS_REVIEW_DEADLINE_DAYS: z.coerce.number().positive().default(14),
  /** The salon's name, as customers read it: the presence notice ("Mara Quinn from Tidy Tails is viewing your account") and notifications. */
  SALON_NAME: z.string().trim().min(1).max(100).default('Tidy Tails'),
  /**
   * The salon's IANA time zone (e.g. `America/Los_Angeles`): the times in a customer's notices when
   * her profile names none. Unset: UTC, and every such time says "UTC".
   */
  SALON_TIME_ZONE: z
    .string()
    .trim()
    .refine(
      (zone) => zone === 'UTC' || Intl.supportedValuesOf('timeZone').includes(zone),
      'an IANA time zone, such as America/Los_Angeles',
    )
    .optional(),
  /** How often the banner subscription pushes the remaining time near the end (SPEC 5: at least every second). */
  IMPERSONATION_TICK_MS: z.coerce.number().int().positive().default(1000),
  /**
   * Farther than IMPERSONATION_NEAR_END_MINUTES from the end, the banner pushes the remaining time
   * only this often (SPEC 5's "expiresAt plus changes": the client counts down from `expiresAt`
   * and the server time of the last push, and every change is pushed at once).
   */
  IMPERSONATION_FAR_TICK_MS: z.coerce.number().int().positive().default(30_000),
  /** The last minutes of a staff view, when the banner ticks every IMPERSONATION_TICK_MS (the client turns red). */
  IMPERSONATION_NEAR_END_MINUTES: minutes(5),
  NODE_ENV: z.string().default('development'),
  /**
   * The one size limit of every transport: larger HTTP request bodies are refused with 413
   * (graphql-yoga's `maxRequestBodySize`), larger WebSocket messages, `connection_init` included,
   * close the socket with 1009 (`ws`'s `maxPayload`).
   */
  MAX_REQUEST_BODY_BYTES: z.coerce.number().int().positive().default(100_000),
  /** Open WebSockets one sign-in may hold; the next is closed with 4429 TOO_MANY_CONNECTIONS. */
  WS_CONNECTIONS_PER_SIGN_IN: count(20),
  /** Open WebSockets one client address may hold (before any sign-in is known). */
  WS_CONNECTIONS_PER_ADDRESS: count(500),
  /**
   * Every WebSocket is pinged this often and closed (terminated) if it has not answered by its next
   * ping: a peer gone without a close (a laptop lid, a dropped network) is noticed within twice this.
   * graphql-ws' own default (12 s), from one shared timer (transport/heartbeat.ts).
   */
  WS_KEEPALIVE_MS: z.coerce.number().int().min(100).default(12_000),
  /** Operations one WebSocket may run at once; the next is refused with TOO_MANY_SUBSCRIPTIONS. */
  WS_SUBSCRIPTIONS_PER_CONNECTION: count(50),
  /** Seed the demo accounts into an empty database (prisma/seed). Default: yes, except in production. */
  SEED_DEMO_DATA: optionalFlag,
  /** Serve the built client (client/dist) on the same port. */
  SERVE_CLIENT: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Serve GraphiQL on GET /graphql. Default: yes, except in production. */
  GRAPHIQL: optionalFlag,
  /** Answer introspection queries. Default: yes, except in production. */
  INTROSPECTION: optionalFlag,
  /**
   * Run operations sent as query text. When false, only the client's persisted documents
   * (client/src/gql/persisted-documents.json, sent as `extensions.persistedQuery.sha256Hash`) run,
   * over HTTP and graphql-ws. Default: yes, except in production.
   */
  ALLOW_ARBITRARY_OPERATIONS: optionalFlag,
  /**
   * Origins allowed to call the API from a browser (CORS), comma-separated, e.g.
   * `https://admin.salon.example`. Unset: same origin only in production; any http(s)://localhost
   * or 127.0.0.1 origin in development. Credentials are never allowed: the API uses bearer tokens.
   */
  CORS_ORIGINS: list,
  /**
   * Addresses or CIDRs of the reverse proxies in front of the app (`proxy-addr` syntax, also
   * `loopback`, `linklocal`, `uniquelocal`). Only a request from one of these has its
   * X-Forwarded-For read for the client address. Unset: the socket's address, always.
   */
  TRUSTED_PROXIES: list,
  /** Wrong passwords per account and client address in one window, before sign-in is refused. */
  SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS: count(5),
  /** Wrong passwords per account from all addresses in one window (guessing from many addresses). */
  SIGNIN_FAILURES_PER_ACCOUNT: count(20),
  /** Wrong passwords per client address over all accounts in one window (password spraying). */
  SIGNIN_FAILURES_PER_ADDRESS: count(100),
  SIGNIN_FAILURE_WINDOW_SECONDS: seconds(900),
  /** First refusal once a limit is reached; each further one within a day doubles it, up to the max. */
  SIGNIN_BLOCK_SECONDS: seconds(60),
  SIGNIN_BLOCK_MAX_SECONDS: seconds(3600),
  /** Impersonation sessions one staff member may start per window. */
  IMPERSONATION_STARTS_PER_WINDOW: count(30),
  IMPERSONATION_START_WINDOW_SECONDS: seconds(3600),
  /** Reports of hidden or removed staff-view marks one session may send per minute. */
  STAFF_VIEW_REPORTS_PER_MINUTE: count(10),
  /** Incidents of hidden staff-view marks after which the view ends (TAMPERED; server/access/tampering.ts). */
  STAFF_VIEW_TAMPER_LIMIT: count(3),
  /** A report within this many seconds of the session's last recorded incident is part of that incident. */
  STAFF_VIEW_TAMPER_GAP_SECONDS: z.coerce.number().min(0).default(5),
  /** Masked fields one staff view may reveal (one field of one record each; impersonation/reveals.ts). */
  STAFF_VIEW_REVEALS_PER_SESSION: count(10),
  /**
   * Alert rules' defaults (server/alerts/rules.ts), until a manager changes a rule in the admin app:
   * a manager's staff views started in one clock hour that raise VIEWS_PER_HOUR (at this many).
   */
  ALERT_VIEWS_PER_HOUR: count(20),
  /** Business hours in SALON_TIME_ZONE (`HH:MM-HH:MM`): a staff view started outside them raises OUTSIDE_BUSINESS_HOURS. */
  ALERT_BUSINESS_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'use HH:MM-HH:MM, such as 07:00-20:00')
    .default('07:00-20:00'),
  /** Refused attempts in one staff view that raise REFUSED_ATTEMPTS (once per view). */
  ALERT_REFUSED_ATTEMPTS_PER_SESSION: count(3),
  /** The SIEM stream's lag (oldest unacknowledged record, seconds) that raises SIEM_LAG. */
  ALERT_SIEM_LAG_SECONDS: count(300),
  /** How often each instance checks the checkpoint writer and the SIEM stream for alerts. */
  ALERT_CHECK_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  /** Customer directory searches one staff member may make per minute. */
  DIRECTORY_SEARCHES_PER_MINUTE: count(60),
  /**
   * Where notification emails go (nodemailer SMTP URL, e.g. `smtps://user:pass@smtp.example:465`).
   * Unset: each email is written as an `.eml` file into MAIL_DIR and logged on one line.
   */
  SMTP_URL: z.string().url().optional(),
  /** The From address of notification emails; the sender's name is always SALON_NAME (one sender: the salon). */
  MAIL_FROM: z.string().min(3).default('Tidy Tails <no-reply@salon.example>'),
  /** Folder of the `.eml` files written when SMTP_URL is unset. Unset: mail/ next to DATA_DIR. */
  MAIL_DIR: z.string().optional(),
  /**
   * The customer portal's address, linked in every notification email ("Open your portal: ..."). A
   * plain http(s) address: no user, query or fragment, so no email can carry anything that signs in.
   * Unset: emails give no address and ask the customer to open her portal as usual.
   */
  PORTAL_URL: z
    .string()
    .url()
    .refine((value) => {
      const url = new URL(value);
      return /^https?:$/.test(url.protocol) && !url.username && !url.password && !url.search && !url.hash;
    }, 'an http(s) address without user, query or fragment')
    .optional(),
  /** Delivery attempts of one notification before it is marked failed. */
  NOTIFICATION_MAX_ATTEMPTS: count(8),
  /** First retry delay of a failed delivery; each further retry doubles it (up to an hour). */
  NOTIFICATION_RETRY_BASE_MS: z.coerce.number().int().positive().default(5000),
  /** How often the notification worker looks for due retries (new rows wake it at once). */
  NOTIFICATION_POLL_MS: z.coerce.number().int().positive().default(2000),
  /** Delivery attempts of one alert webhook before it is marked failed (server/webhooks/worker.ts). */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /**
   * First retry delay of a failed webhook delivery; each further retry doubles it, up to
   * WEBHOOK_RETRY_MAX_MS (the Standard Webhooks schedule, compressed: 5 s, 10 s, 20 s, ... 1 h).
   */
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().positive().default(5000),
  /** The longest wait between two attempts of a webhook delivery. */
  WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().positive().default(3_600_000),
  /** How long one webhook attempt may take (connect, send, answer) before it counts as failed. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** How often the webhook worker looks for due deliveries and retries. */
  WEBHOOK_POLL_MS: z.coerce.number().int().positive().default(2000),
  /**
   * Whether webhook endpoints may be on loopback, private, link-local or other internal addresses
   * (checked when a manager adds one and on every connection, server/webhooks/targets.ts).
   * Default: refused in production (SSRF), allowed elsewhere (tests run a receiver on 127.0.0.1).
   */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: optionalFlag,
  /** Graceful shutdown: how long in-flight requests (and their audit writes) may take to finish. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Structured (JSON line) log level. */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).optional(),
});

/** The validated settings. */
type ModeDefaults =
  | 'SEED_DEMO_DATA'
  | 'GRAPHIQL'
  | 'INTROSPECTION'
  | 'ALLOW_ARBITRARY_OPERATIONS'
  | 'LOG_LEVEL'
  | 'WEBHOOK_ALLOW_PRIVATE_TARGETS';
/** The validated settings; mode-dependent defaults (production or not) resolved. */
export type Config = Omit<z.infer<typeof ConfigSchema>, ModeDefaults> & {
  SEED_DEMO_DATA: boolean;
  GRAPHIQL: boolean;
  INTROSPECTION: boolean;
  ALLOW_ARBITRARY_OPERATIONS: boolean;
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error';
  WEBHOOK_ALLOW_PRIVATE_TARGETS: boolean;
};

/** Parses the environment; an invalid value stops the process with a readable message. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Config> = {},
): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  }
  const { data } = parsed;
  const development = data.NODE_ENV !== 'production';
  const config: Config = {
    ...data,
    SEED_DEMO_DATA: data.SEED_DEMO_DATA ?? development,
    GRAPHIQL: data.GRAPHIQL ?? development,
    INTROSPECTION: data.INTROSPECTION ?? development,
    ALLOW_ARBITRARY_OPERATIONS: data.ALLOW_ARBITRARY_OPERATIONS ?? development,
    LOG_LEVEL: data.LOG_LEVEL ?? (data.NODE_ENV === 'test' ? 'warn' : 'info'),
    WEBHOOK_ALLOW_PRIVATE_TARGETS: data.WEBHOOK_ALLOW_PRIVATE_TARGETS ?? development,
    ...overrides,
  };
  // Workers are instances: they share what instances share, the database and Redis (server/cluster.ts).
  if (config.SERVER_PROCESSES > 1 && (!config.DATABASE_URL || !config.REDIS_URL)) {
    throw new Error(
      'Invalid configuration:\nSERVER_PROCESSES above 1 needs DATABASE_URL and REDIS_URL (the embedded database and in-process pub/sub belong to one process)',
    );
  }
  // Without it, whoever can publish to Redis could speak for the instances (server/pubsub/signing.ts).
  if (config.NODE_ENV === 'production' && config.REDIS_URL && !config.PUBSUB_KEY) {
    throw new Error(
      'Invalid configuration:\nPUBSUB_KEY is required in production when REDIS_URL is set (the same secret of at least 32 characters on every instance)',
    );
  }
  return config;
}
