// Every setting of the server, read from the environment once, validated, with its default.
// Impersonation durations are entries here (SPEC 3: "durations are configuration, not literals"),
// read by server/impersonation/policy.ts.
import { z } from 'zod';

const minutes = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** A PostgreSQL URL; when unset, the embedded PGlite database in DATA_DIR is used. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('.data/pglite'),
  /** PostgreSQL schema the app (and `npm run audit:verify`) uses. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'use a plain PostgreSQL identifier')
    .default('public'),
  /**
   * Ed25519 private key (PKCS#8 PEM) that signs audit checkpoints; keep it off the database host.
   * Required in production. Unset elsewhere: created (mode 0600) as audit-signing-key.pem next to
   * DATA_DIR (in a temporary folder for tests).
   */
  AUDIT_SIGNING_KEY_FILE: z.string().optional(),
  /** The verifier only (`npm run audit:verify`): a public key PEM to check signatures with. */
  AUDIT_PUBLIC_KEY_FILE: z.string().optional(),
  /** Folder of the append-only checkpoint file (NDJSON). Unset: audit-checkpoints/ next to DATA_DIR. */
  AUDIT_CHECKPOINT_DIR: z.string().optional(),
  /** How often a checkpoint is signed when records were added since the last one. */
  AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().positive().default(5000),
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
  /** Lifetime of a customer or staff sign-in. */
  AUTH_SESSION_HOURS: z.coerce.number().positive().default(12),
  IMPERSONATION_DURATION_MINUTES: minutes(30),
  IMPERSONATION_EXTENSION_MINUTES: minutes(30),
  /** An extension is allowed only this close to the expiry. */
  IMPERSONATION_EXTENSION_WINDOW_MINUTES: minutes(5),
  /** No session lasts longer than this in total, extensions included. */
  IMPERSONATION_MAX_TOTAL_MINUTES: minutes(60),
  /** How often the banner subscription pushes the remaining time. */
  IMPERSONATION_TICK_MS: z.coerce.number().int().positive().default(1000),
  NODE_ENV: z.string().default('development'),
  /** Larger HTTP request bodies are refused with 413 (graphql-yoga's `maxRequestBodySize`). */
  MAX_REQUEST_BODY_BYTES: z.coerce.number().int().positive().default(100_000),
  /** Seed the demo accounts into an empty database (prisma/seed). Default: yes, except in production. */
  SEED_DEMO_DATA: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true')),
  /** Serve the built client (client/dist) on the same port. */
  SERVE_CLIENT: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
});

/** The validated settings. */
export type Config = Omit<z.infer<typeof ConfigSchema>, 'SEED_DEMO_DATA'> & { SEED_DEMO_DATA: boolean };

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
  const seed = parsed.data.SEED_DEMO_DATA ?? parsed.data.NODE_ENV !== 'production';
  return { ...parsed.data, SEED_DEMO_DATA: seed, ...overrides };
}
