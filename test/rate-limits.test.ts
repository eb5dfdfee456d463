// Rate limits (server/auth/rate-limits.ts): sign-in per account and address with a doubling block,
// startImpersonation and directory searches per staff member, RATE_LIMITED with retryAfter, and
// counters shared by two instances through Redis when REDIS_URL is set. Windows are short in these
// configurations: the limiter counts in real time (its own timers, or Redis expiry), so the waits
// are one block long.
import { randomBytes } from 'node:crypto';
import { AuditAction, AuditOutcome } from '@prisma/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRateLimits } from '../server/auth/rate-limits.ts';
import { loadConfig, type Config } from '../server/config.ts';
import { ErrorCode } from '../server/errors.ts';
import { expectData, expectError } from './factories.ts';
import { demo, startTestApp, startTestAppBeside, type GqlResult, type TestApp } from './harness.ts';
import { START, customerId } from './impersonation-helpers.ts';

const SIGN_IN =
  'mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }';

const limits: Partial<Config> = {
  SIGNIN_FAILURE_WINDOW_SECONDS: 60,
  SIGNIN_BLOCK_SECONDS: 1,
  IMPERSONATION_STARTS_PER_WINDOW: 2,
};

const signIn = (app: TestApp, email: string, password: string) => app.gql(SIGN_IN, { email, password });
const wrongPassword = (app: TestApp, email: string) => signIn(app, email, 'not-the-password');

/** `count` wrong passwords, each refused as a wrong password (not yet limited). */
async function failSignIns(app: TestApp, email: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1)
    expectError(await wrongPassword(app, email), 'UNAUTHENTICATED', 'INVALID_CREDENTIALS');
}

function expectRateLimited(result: GqlResult, retryAfter?: number): void {
  expectError(result, ErrorCode.RateLimited);
  expect(result.data?.signIn ?? result.data?.startImpersonation ?? null).toBeNull();
  const seconds = result.errors![0]!.extensions!.retryAfter as number;
  if (retryAfter === undefined) expect(seconds).toBeGreaterThanOrEqual(1);
  else expect(seconds).toBe(retryAfter);
}

describe('signIn', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ config: limits });
  });
  afterAll(async () => {
    await app?.close();
  });

  test('the sixth wrong password is refused with RATE_LIMITED and retryAfter', async () => {
    await failSignIns(app, demo.dan.email, 5);
    expectRateLimited(await wrongPassword(app, demo.dan.email), 1);
  });

  test('the right password is refused while limited and works once the block is over', async () => {
    const { email, password } = demo.rita;
    await failSignIns(app, email, 5);
    expectRateLimited(await signIn(app, email, password));
    await sleep(1100);
    expect(expectData(await signIn(app, email, password)).signIn.token).toBeTruthy();
  });

  test('each further block of the same account and address doubles', async () => {
    const { email } = demo.gus;
    await failSignIns(app, email, 5);
    expectRateLimited(await wrongPassword(app, email), 1);
    await sleep(1100);
    await failSignIns(app, email, 5);
    expectRateLimited(await wrongPassword(app, email), 2);
  });

  test('a batch of operations counts every guess', async () => {
    const { email } = demo.dora;
    const batch = Array.from({ length: 10 }, () => ({ query: SIGN_IN, variables: { email, password: 'guess' } }));
    const response = await app.app.yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch),
    });
    const codes = ((await response.json()) as GqlResult[]).map((result) => result.errors?.[0]?.extensions?.code);
    expect(codes.filter((code) => code === ErrorCode.Unauthenticated)).toHaveLength(5);
    expect(codes.filter((code) => code === ErrorCode.RateLimited)).toHaveLength(5);
  });

  test('another account signs in from the same address meanwhile', async () => {
    await failSignIns(app, demo.max.email, 5);
    expect(expectData(await signIn(app, demo.chloe.email, demo.chloe.password)).signIn.token).toBeTruthy();
  });
});

describe('signIn limits per account and per address', () => {
  const config = (overrides: Partial<Config>) => loadConfig({ NODE_ENV: 'test' }, { ...limits, ...overrides });
  const prefix = () => `test-${randomBytes(6).toString('hex')}`;

  test('failures from many addresses add up per account, and then refuse every address', async () => {
    const rateLimits = createRateLimits(config({ SIGNIN_FAILURES_PER_ACCOUNT: 3 }), { prefix: prefix() });
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) await rateLimits.beginSignIn('a@x.test', address);
    await expect(rateLimits.beginSignIn('a@x.test', '10.0.0.4')).rejects.toMatchObject({
      extensions: { code: ErrorCode.RateLimited },
    });
  });

  test('successful sign-ins do not count towards the account limit (authorized)', async () => {
    const rateLimits = createRateLimits(config({ SIGNIN_FAILURES_PER_ACCOUNT: 3 }), { prefix: prefix() });
    for (let i = 0; i < 5; i += 1) await (await rateLimits.beginSignIn('a@x.test', '10.0.0.1')).succeeded();
    await expect(rateLimits.beginSignIn('a@x.test', '10.0.0.1')).resolves.toBeDefined();
  });

  test('failures over many accounts add up per address (password spraying)', async () => {
    const rateLimits = createRateLimits(config({ SIGNIN_FAILURES_PER_ADDRESS: 3 }), { prefix: prefix() });
    for (const email of ['a@x.test', 'b@x.test', 'c@x.test']) await rateLimits.beginSignIn(email, '10.0.0.1');
    await expect(rateLimits.beginSignIn('d@x.test', '10.0.0.1')).rejects.toMatchObject({
      extensions: { code: ErrorCode.RateLimited },
    });
    await expect(rateLimits.beginSignIn('d@x.test', '10.0.0.2')).resolves.toBeDefined();
  });
});

describe('startImpersonation', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ config: limits });
  });
  afterAll(async () => {
    await app?.close();
  });

  test('is refused with RATE_LIMITED past the starts allowed per staff member', async () => {
    const mara = await app.signIn('mara');
    const chloe = await customerId(app, mara, demo.chloe.email);
    const start = () => app.gql(START, { customerId: chloe, reason: 'Checking the rate limit here' }, mara);
    expectData(await start());
    expectError(await start(), 'CONFLICT');
    expectRateLimited(await start());
  });

  test('does not limit another staff member (authorized)', async () => {
    const max = await app.signIn('max');
    const dan = await customerId(app, max, demo.dan.email);
    expectData(await app.gql(START, { customerId: dan, reason: 'Checking the rate limit here' }, max));
  });
});

describe('directory searches', () => {
  const SEARCH = 'query Find($search: String) { customers(search: $search) { id } }';
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ config: { ...limits, DIRECTORY_SEARCHES_PER_MINUTE: 3 } });
  });
  afterAll(async () => {
    await app?.close();
  });

  const lastSearchOf = async (email: string) => {
    const staff = await app.services.prisma.staff.findUniqueOrThrow({ where: { email } });
    return app.services.prisma.auditEvent.findFirst({
      where: { action: AuditAction.DIRECTORY_SEARCH, staffId: staff.id },
      orderBy: { id: 'desc' },
    });
  };

  test('the fourth read of the directory in a minute is refused with RATE_LIMITED, and recorded', async () => {
    const rita = await app.signIn('rita');
    expectData(await app.gql(SEARCH, { search: 'chlo' }, rita));
    expectData(await app.gql(SEARCH, {}, rita));
    expectData(await app.gql(SEARCH, { search: 'dan' }, rita));
    expectRateLimited(await app.gql(SEARCH, { search: 'dora' }, rita));
    expect(await lastSearchOf(demo.rita.email)).toMatchObject({
      outcome: AuditOutcome.DENIED,
      errorCode: ErrorCode.RateLimited,
      variables: { search: 'dora' },
    });
  });

  test('does not limit another staff member (authorized)', async () => {
    const gus = await app.signIn('gus');
    expectData(await app.gql(SEARCH, { search: 'chlo' }, gus));
    expect(await lastSearchOf(demo.gus.email)).toMatchObject({ outcome: AuditOutcome.ALLOWED });
  });
});

describe.skipIf(!process.env.REDIS_URL)('two instances sharing Redis', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    const redisChannelPrefix = `rate-${randomBytes(6).toString('hex')}`;
    first = await startTestApp({ redisChannelPrefix, config: limits });
    second = await startTestAppBeside(first, { redisChannelPrefix, config: limits });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  test('failures counted on one instance limit sign-in on the other', async () => {
    await failSignIns(first, demo.dan.email, 5);
    expectRateLimited(await signIn(second, demo.dan.email, demo.dan.password));
  });
});
