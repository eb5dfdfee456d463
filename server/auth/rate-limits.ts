// Rate limits on the operations an attacker can turn into guesses or into mass access: `signIn`
// (per account, per client address, and per pair of both, with a doubling block),
// `startImpersonation` and directory reads (per staff member), and staff-view reports (per session).
// Counters live in Redis when REDIS_URL is set, so every instance sees the same counts, and in
// memory otherwise; if Redis fails, each instance falls back to its own memory counters
// (rate-limiter-flexible's insurance limiter) rather than letting guesses through unlimited or
// refusing everyone.
//
// Attempts are counted before the password is checked, so that concurrent guesses (a batch of
// ten operations runs ten scrypt checks at once) are all counted; a successful sign-in gives its
// point back, so only failures accumulate.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.ts';
import { ErrorCode, appError } from '../errors.ts';

/** How long repeated blocks are remembered for the doubling. */
const BACKOFF_MEMORY_SECONDS = 24 * 3600;

/** A sign-in counted against the limits; call `succeeded` when the password was right. */
export interface SignInAttempt {
  succeeded(): Promise<void>;
}

/** The rate limits of one app instance. */
export interface RateLimits {
  /**
   * Counts a sign-in attempt for this account (the normalized email) and client address, or
   * throws RATE_LIMITED with `extensions.retryAfter` (seconds) without counting it.
   */
  beginSignIn(email: string, address: string | null): Promise<SignInAttempt>;
  /** Counts one `startImpersonation` by this staff member, or throws RATE_LIMITED. */
  startImpersonation(staffId: string): Promise<void>;
  /** Counts one break-glass start by this staff member (BREAK_GLASS_STARTS_PER_WINDOW), or throws RATE_LIMITED. */
  breakGlassStart(staffId: string): Promise<void>;
  /** Counts one report of tampered staff-view marks in this session, or throws RATE_LIMITED. */
  staffViewReport(sessionId: string): Promise<void>;
  /** Counts one read of the customer directory by this staff member, or throws RATE_LIMITED. */
  directorySearch(staffId: string): Promise<void>;
}

/** Where the counters live. */
export interface RateLimitStore {
  /** An ioredis client; counters are kept in memory without one. */
  redis?: Redis;
  /** Key namespace in Redis: one per deployment (REDIS_PREFIX). */
  prefix: string;
}

/** RATE_LIMITED with the seconds to wait in `extensions.retryAfter`. */
export const rateLimited = (retryAfterMs: number) => {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return appError(ErrorCode.RateLimited, `Too many attempts; try again in ${retryAfter} s`, { retryAfter });
};

/** Emails are personal data: Redis keys carry a digest, never the address itself. */
const accountKey = (email: string) => createHash('sha256').update(email).digest('base64url').slice(0, 22);

/** The rate limits of this instance, in Redis when a client is given, in memory otherwise. */
export function createRateLimits(config: Config, store: RateLimitStore): RateLimits {
  const limiter = (name: string, points: number, duration: number): RateLimiterAbstract => {
    const options = { keyPrefix: `${store.prefix}:rate:${name}`, points, duration };
    if (!store.redis) return new RateLimiterMemory(options);
    return new RateLimiterRedis({
      ...options,
      storeClient: store.redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  };
  const window = config.SIGNIN_FAILURE_WINDOW_SECONDS;
  const signIn = {
    pair: limiter('signin-pair', config.SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS, window),
    account: limiter('signin-account', config.SIGNIN_FAILURES_PER_ACCOUNT, window),
    address: limiter('signin-address', config.SIGNIN_FAILURES_PER_ADDRESS, window),
  };
  const blocks = limiter('signin-blocks', Number.MAX_SAFE_INTEGER, BACKOFF_MEMORY_SECONDS);
  const starts = limiter(
    'impersonation-start',
    config.IMPERSONATION_STARTS_PER_WINDOW,
    config.IMPERSONATION_START_WINDOW_SECONDS,
  );
  const breakGlass = limiter(
    'break-glass-start',
    config.BREAK_GLASS_STARTS_PER_WINDOW,
    config.BREAK_GLASS_WINDOW_HOURS * 3600,
  );

  const reports = limiter('staff-view-report', config.STAFF_VIEW_REPORTS_PER_MINUTE, 60);
  const searches = limiter('directory-search', config.DIRECTORY_SEARCHES_PER_MINUTE, 60);

  /**
   * Consumes a point; the attempt that first goes over the limit blocks the key for the base
   * block, doubled for each earlier block of the same key within a day. Resolves with the wait in
   * ms when refused, null when allowed.
   */
  async function consumeWithBackoff(name: string, limit: RateLimiterAbstract, key: string): Promise<number | null> {
    try {
      await limit.consume(key);
      return null;
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      if (refusal.consumedPoints !== limit.points + 1) return refusal.msBeforeNext;
      const earlier = (await blocks.penalty(`${name}:${key}`)).consumedPoints - 1;
      const seconds = Math.min(config.SIGNIN_BLOCK_SECONDS * 2 ** earlier, config.SIGNIN_BLOCK_MAX_SECONDS);
      await limit.block(key, seconds);
      return seconds * 1000;
    }
  }

  async function consumeOrRefuse(limit: RateLimiterAbstract, key: string): Promise<void> {
    try {
      await limit.consume(key);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      throw rateLimited(refusal.msBeforeNext);
    }
  }

  return {
    async beginSignIn(email, address) {
      const account = accountKey(email);
      const from = address ?? 'unknown';
      const counted: [RateLimiterAbstract, string][] = [
        [signIn.pair, `${account}:${from}`],
        [signIn.account, account],
        [signIn.address, from],
      ];
      const waits = await Promise.all(counted.map(([limit, key]) => consumeWithBackoff(limit.keyPrefix, limit, key)));
      const refused = waits.filter((wait): wait is number => wait !== null);
      if (refused.length > 0) {
        // Not an attempt after all: the limits that let it through get their point back.
        await Promise.all(counted.filter((_, i) => waits[i] === null).map(([limit, key]) => limit.reward(key)));
        throw rateLimited(Math.max(...refused));
      }
      return {
        async succeeded() {
          // The pair counts consecutive failures; the wider limits only stop counting this one.
          await Promise.all([
            signIn.pair.delete(counted[0]![1]),
            signIn.account.reward(account),
            signIn.address.reward(from),
          ]);
        },
      };
    },
    startImpersonation: (staffId) => consumeOrRefuse(starts, staffId),
    breakGlassStart: (staffId) => consumeOrRefuse(breakGlass, staffId),
    staffViewReport: (sessionId) => consumeOrRefuse(reports, sessionId),
    directorySearch: (staffId) => consumeOrRefuse(searches, staffId),
  };
}
