// The webhook worker: delivers the webhook outbox (enqueue.ts) to each endpoint, signed per the
// Standard Webhooks spec with the endpoint's secret (the `standardwebhooks` library). Every
// instance runs one; a row is claimed with FOR UPDATE SKIP LOCKED (as the notification outbox,
// notifications/outbox.ts), which counts the attempt and holds it for a lease, so two instances
// never send one row at once and a crash mid-flight leaves it PENDING, sent again after the lease.
// An attempt: 2xx is DELIVERED; a network error, a timeout (WEBHOOK_TIMEOUT_MS), 408, 429 or 5xx
// is retried with exponential backoff (WEBHOOK_RETRY_BASE_MS doubling, up to WEBHOOK_RETRY_MAX_MS)
// until WEBHOOK_MAX_ATTEMPTS, then FAILED; any other answer (3xx, 4xx: redirects are not followed)
// or a refused target is FAILED at once. Every attempt carries the delivery's id as `webhook-id`,
// so a receiver can drop a retry it already handled. Secrets are never logged.
import type { Prisma, PrismaClient } from '@prisma/client';
import type { YogaLogger } from 'graphql-yoga';
import { Webhook } from 'standardwebhooks';
import { Agent, fetch } from 'undici';
import type { Services } from '../context.ts';
import type { WebhookPayload } from './enqueue.ts';
import { guardedLookup, isInternalAddress } from './targets.ts';
import { isIP } from 'node:net';

/** Rows claimed per statement. */
const BATCH = 20;

/** The longest error text kept on a delivery. */
const ERROR_MAX = 500;

/** A claimed delivery, on attempt `attempts`. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  attempts: number;
  payload: WebhookPayload;
}

/** The retry settings (config.ts). */
export interface WebhookRetry {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

/** The wait before attempt `attempts + 1`: base, 2 x base, 4 x base, ... up to `maxMs`. */
export function webhookRetryDelayMs(attempts: number, retry: Pick<WebhookRetry, 'baseMs' | 'maxMs'>): number {
  return Math.min(retry.baseMs * 2 ** Math.max(0, attempts - 1), retry.maxMs);
}

/** How long a claim holds its row: longer than any attempt may take. */
export function claimLeaseMs(timeoutMs: number): number {
  return timeoutMs + 60_000;
}

const utc = (date: Date) => date.toISOString();

/**
 * Claims up to `limit` due deliveries: counts the attempt and holds each for the lease. One
 * statement: rows another instance holds are skipped, not waited for.
 */
export async function claimDueWebhooks(
  prisma: PrismaClient,
  now: Date,
  limit: number,
  leaseMs: number,
): Promise<ClaimedDelivery[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  return prisma.$queryRaw<ClaimedDelivery[]>`
    UPDATE "WebhookDelivery" AS claimed
    SET "attempts" = claimed."attempts" + 1, "availableAt" = ${utc(leaseUntil)}::timestamptz AT TIME ZONE 'UTC',
      "lastAttemptAt" = ${utc(now)}::timestamptz AT TIME ZONE 'UTC'
    WHERE claimed."id" IN (
      SELECT "id" FROM "WebhookDelivery"
      WHERE "status" = 'PENDING' AND "availableAt" <= ${utc(now)}::timestamptz AT TIME ZONE 'UTC'
      ORDER BY "availableAt", "id"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING claimed."id", claimed."endpointId", claimed."attempts", claimed."payload"`;
}

/** One attempt's result. */
type Attempt =
  | { outcome: 'DELIVERED'; statusCode: number }
  | { outcome: 'RETRY' | 'GIVE_UP'; statusCode: number | null; error: string };

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** Sends one claimed delivery to its endpoint, signed; never throws. */
async function attempt(
  endpoint: { url: string; secret: string; disabledAt: Date | null },
  claim: ClaimedDelivery,
  options: { timeoutMs: number; allowPrivate: boolean; dispatcher: Agent },
): Promise<Attempt> {
  if (endpoint.disabledAt) return { outcome: 'GIVE_UP', statusCode: null, error: 'endpoint disabled' };
  const url = new URL(endpoint.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // A name is checked as it resolves, in the dispatcher's lookup; a literal address here.
  if (!options.allowPrivate && isIP(host) && isInternalAddress(host))
    return { outcome: 'GIVE_UP', statusCode: null, error: 'target address is inside the network' };
  const body = JSON.stringify(claim.payload);
  // The receiver checks webhook-timestamp against its own wall clock (replay window), so this is
  // the wall clock, not the app's Clock (which a test moves by hand).
  const sentAt = new Date();
  const signature = new Webhook(endpoint.secret).sign(claim.id, sentAt, body);
  const timestamp = Math.floor(sentAt.getTime() / 1000);
  try {
    const response = await fetch(url, {
      method: 'POST',
      body,
      redirect: 'manual',
      dispatcher: options.dispatcher,
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'salon-webhooks/1',
        'webhook-id': claim.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signature,
      },
    });
    // The answer's body is not read: only its status counts.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { outcome: 'DELIVERED', statusCode: response.status };
    return {
      outcome: retryable(response.status) ? 'RETRY' : 'GIVE_UP',
      statusCode: response.status,
      error: `HTTP ${response.status}`,
    };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const refused = cause instanceof Error && /inside the network/.test(cause.message);
    const text =
      cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')
        ? `timed out after ${options.timeoutMs} ms`
        : String(cause instanceof Error ? cause.message : cause);
    return { outcome: refused ? 'GIVE_UP' : 'RETRY', statusCode: null, error: text.slice(0, ERROR_MAX) };
  }
}

/** Records an attempt, fenced by the attempt number (a claim lost meanwhile changes nothing). */
async function record(
  prisma: PrismaClient,
  claim: ClaimedDelivery,
  result: Attempt,
  now: Date,
  retry: WebhookRetry,
): Promise<'DELIVERED' | 'PENDING' | 'FAILED'> {
  const where: Prisma.WebhookDeliveryWhereInput = { id: claim.id, status: 'PENDING', attempts: claim.attempts };
  if (result.outcome === 'DELIVERED') {
    await prisma.webhookDelivery.updateMany({
      where,
      data: { status: 'DELIVERED', deliveredAt: now, lastStatusCode: result.statusCode, lastError: null },
    });
    return 'DELIVERED';
  }
  const status = result.outcome === 'GIVE_UP' || claim.attempts >= retry.maxAttempts ? 'FAILED' : 'PENDING';
  await prisma.webhookDelivery.updateMany({
    where,
    data: {
      status,
      availableAt: new Date(now.getTime() + webhookRetryDelayMs(claim.attempts, retry)),
      lastStatusCode: result.statusCode,
      lastError: result.error,
    },
  });
  return status;
}

/** What one pass of the worker needs. */
export interface WebhookDelivering {
  services: Pick<Services, 'prisma' | 'clock' | 'config'>;
  logger: Pick<YogaLogger, 'debug' | 'warn' | 'error'>;
  dispatcher: Agent;
}

/** The dispatcher of the worker's requests: internal addresses refused at connect unless allowed. */
export function webhookDispatcher(allowPrivate: boolean): Agent {
  return new Agent(allowPrivate ? {} : { connect: { lookup: guardedLookup } });
}

/**
 * One pass: claims and delivers everything due now, one attempt each (a retry is due later).
 * @returns how many attempts were made.
 */
export async function deliverDueWebhooks({ services, logger, dispatcher }: WebhookDelivering): Promise<number> {
  const { prisma, clock, config } = services;
  const retry: WebhookRetry = {
    maxAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    baseMs: config.WEBHOOK_RETRY_BASE_MS,
    maxMs: config.WEBHOOK_RETRY_MAX_MS,
  };
  const leaseMs = claimLeaseMs(config.WEBHOOK_TIMEOUT_MS);
  let handled = 0;
  for (;;) {
    const claims = await claimDueWebhooks(prisma, clock.now(), BATCH, leaseMs);
    if (claims.length === 0) return handled;
    handled += claims.length;
    const endpoints = new Map(
      (
        await prisma.webhookEndpoint.findMany({
          where: { id: { in: [...new Set(claims.map((claim) => claim.endpointId))] } },
          select: { id: true, url: true, secret: true, disabledAt: true },
        })
      ).map((endpoint) => [endpoint.id, endpoint]),
    );
    await Promise.all(
      claims.map(async (claim) => {
        const result = await attempt(endpoints.get(claim.endpointId)!, claim, {
          timeoutMs: config.WEBHOOK_TIMEOUT_MS,
          allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS,
          dispatcher,
        });
        const status = await record(prisma, claim, result, clock.now(), retry);
        const line = {
          delivery: claim.id,
          endpoint: claim.endpointId,
          type: claim.payload.type,
          attempts: claim.attempts,
          status,
          statusCode: result.statusCode,
          ...(result.outcome === 'DELIVERED' ? {} : { error: result.error }),
        };
        if (status === 'DELIVERED') logger.debug('webhook delivered', line);
        else if (status === 'FAILED') logger.error('webhook failed, no more attempts', line);
        else logger.warn('webhook attempt failed, will retry', line);
      }),
    );
  }
}

/** The running worker. */
export interface WebhookWorker {
  /** Delivers everything due now (after the pass in progress) and resolves when a pass found nothing. */
  drain(): Promise<void>;
  /** Stops polling, after the pass in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the webhook worker of one instance: a pass at start, on every raised alert (published
 * after its commit, server/alerts/raise.ts) and every WEBHOOK_POLL_MS (retries, missed wake-ups).
 */
export function startWebhookWorker(
  services: Pick<Services, 'prisma' | 'clock' | 'config' | 'pubsub'>,
  logger: YogaLogger,
): WebhookWorker {
  const dispatcher = webhookDispatcher(services.config.WEBHOOK_ALLOW_PRIVATE_TARGETS);
  // One pass at a time per instance; a wake-up during a pass queues exactly one more.
  let chain: Promise<number> = Promise.resolve(0);
  let queued = false;
  const runSoon = (): Promise<number> => {
    if (queued) return chain;
    queued = true;
    chain = chain.then(() => {
      queued = false;
      return deliverDueWebhooks({ services, logger, dispatcher }).catch((error: unknown) => {
        logger.error('webhook worker pass failed', { error: String(error) });
        return 0;
      });
    });
    return chain;
  };
  let stopped = false;
  const alerts = services.pubsub.subscribe('alerts:changed');
  void (async () => {
    for await (const _event of alerts) if (!stopped) void runSoon();
  })();
  const timer = setInterval(() => void runSoon(), services.config.WEBHOOK_POLL_MS);
  timer.unref();
  void runSoon();
  return {
    async drain() {
      while ((await runSoon()) > 0);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await alerts.return?.();
      await chain;
      await dispatcher.close();
    },
  };
}
