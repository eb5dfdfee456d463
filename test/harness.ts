// Runs the real app for one test file: a fresh database (in-memory PGlite, or a fresh schema in
// the PostgreSQL of DATABASE_URL), demo data seeded, pub/sub in-process or on REDIS_URL, and
// helpers to send operations in-process (`gql`) or over the network (`url`, `wsUrl`).
import { randomBytes } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { buildApp, type App } from '../server/app.ts';
import { loadConfig, type Config } from '../server/config.ts';
import type { Services } from '../server/context.ts';
import { manualClock } from '../server/db/clock.ts';
import { openServices } from '../server/services.ts';
import { seedDemoData } from '../prisma/seed/demo-data.ts';

export interface GqlResult<T = any> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export const demo = {
  mara: { email: 'mara@salon.test', password: 'demo-manager-pass' },
  max: { email: 'max@salon.test', password: 'demo-manager-pass' },
  rita: { email: 'rita@salon.test', password: 'demo-staff-pass' },
  gus: { email: 'gus@salon.test', password: 'demo-staff-pass' },
  chloe: { email: 'chloe@example.test', password: 'demo-customer-pass' },
  dan: { email: 'dan@example.test', password: 'demo-customer-pass' },
  dora: { email: 'dora@example.test', password: 'demo-customer-pass' },
} as const;

export type DemoAccount = keyof typeof demo;

/** The PUBSUB_KEY of every test app (server/pubsub/signing.ts): a test may sign messages of its own with it. */
export const TEST_PUBSUB_KEY = 'test-pubsub-key-of-every-test-app-0123456789';

export interface TestApp {
  services: Services;
  app: App;
  clock: ReturnType<typeof manualClock>;
  /** Where a second instance finds the same data. */
  databaseUrl: string;
  schema: string | undefined;
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  wsUrl: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  signIn(account: DemoAccount): Promise<string>;
  /** A graphql-ws client that never retries (as the real client behaves on 4401/4403). */
  wsClient(token?: string, onClose?: (code: number, reason: string) => void): Client;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: Partial<Config>;
  /** Share a Redis channel prefix between two instances of one test; null: the REDIS_PREFIX setting. */
  redisChannelPrefix?: string | null;
  /** Reuse the database of another instance (multi-instance tests). */
  databaseUrl?: string;
  schema?: string;
  /** Serve the built client (client/dist, read when the app is built) on the same port. */
  serveClient?: boolean;
  /** Run on the database clock (benchmarks) instead of the manual clock tests move by hand. */
  realClock?: boolean;
  /** Where the built client is (default client/dist). */
  clientDir?: string;
}

/**
 * Another instance on the database (and schema) of `first`, as a second server of one deployment:
 * the demo data is there already. Pub/sub is shared only if both were given one `redisChannelPrefix`.
 */
export function startTestAppBeside(first: TestApp, options: TestAppOptions = {}): Promise<TestApp> {
  return startTestApp({
    ...options,
    databaseUrl: first.databaseUrl,
    schema: first.schema,
    // One deployment signs its checkpoints with one key (a second key would retire the first: audit/key-ring.ts).
    // Its audit archive too (each in-memory instance otherwise gets a folder of its own).
    config: {
      AUDIT_SIGNING_KEY_FILE: first.services.auditSigning.keyFile,
      AUDIT_ARCHIVE_DIR: first.services.config.AUDIT_ARCHIVE_DIR,
      ...options.config,
      SEED_DEMO_DATA: false,
    },
  });
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const schema = options.schema ?? (process.env.DATABASE_URL ? `test_${randomBytes(6).toString('hex')}` : undefined);
  const config = loadConfig(
    { ...process.env, DATABASE_URL: options.databaseUrl ?? process.env.DATABASE_URL },
    // Tests send operations as text; test/persisted-operations.test.ts turns this off to test the allow-list.
    // Every instance signs its Redis messages with one test key, also in tests run as production.
    // Business hours all day: a test that is not about alerts raises none for the hour it runs at.
    {
      SERVE_CLIENT: false,
      ALLOW_ARBITRARY_OPERATIONS: true,
      PUBSUB_KEY: TEST_PUBSUB_KEY,
      ALERT_BUSINESS_HOURS: '00:00-24:00',
      ...options.config,
    },
  );
  const opened = await openServices(config, {
    schema,
    inMemory: true,
    redisChannelPrefix:
      options.redisChannelPrefix === null
        ? undefined
        : (options.redisChannelPrefix ?? `test-${randomBytes(6).toString('hex')}`),
  });
  if (config.SEED_DEMO_DATA && (await opened.services.prisma.staff.count()) === 0)
    await seedDemoData(opened.services.prisma);
  const clock = manualClock(opened.services.clock.now());
  const services: Services = { ...opened.services, clock: options.realClock ? opened.services.clock : clock };
  const app = buildApp(services, { serveClient: options.serveClient, clientDir: options.clientDir });
  const port = await app.start(0);
  const url = `http://127.0.0.1:${port}/graphql`;
  const wsUrl = `ws://127.0.0.1:${port}/graphql`;
  const openClients = new Set<Client>();

  const gql: TestApp['gql'] = async (query, variables, token) => {
    const response = await app.yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GqlResult;
  };

  return {
    services,
    app,
    clock,
    databaseUrl: opened.databaseUrl,
    schema,
    url,
    wsUrl,
    gql,
    async signIn(account) {
      const result = await gql<{ signIn: { token: string } }>(
        'mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }',
        demo[account],
      );
      if (!result.data?.signIn) throw new Error(`signIn ${account} failed: ${JSON.stringify(result.errors)}`);
      return result.data.signIn.token;
    },
    wsClient(token, onClose) {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        lazy: false,
        // Socket closes are asserted through `onClose`; nothing to log.
        onNonLazyError: () => undefined,
        retryAttempts: 0,
        shouldRetry: () => false,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        on: { closed: (event) => onClose?.((event as CloseEvent).code, (event as CloseEvent).reason) },
      });
      openClients.add(client);
      return client;
    },
    async close() {
      for (const client of openClients) await client.dispose();
      await app.stop();
      if (schema && !options.schema) await opened.services.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await opened.close();
    },
  };
}

/** The `extensions.code` of the first error, or undefined. */
export const errorCode = (result: GqlResult) => result.errors?.[0]?.extensions?.code as string | undefined;
