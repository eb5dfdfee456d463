// The notification worker: delivers the outbox's due rows after their change committed. It wakes
// on every published session or access-request change (both publish after commit) and polls for
// retries; every instance runs one, and the outbox's claims keep them from sending a row twice.
// A portal message and its row's mark commit together; an email is sent, then marked. Failures
// never reach the session lifecycle: they are retried with backoff, logged, and counted.
import type { YogaLogger } from 'graphql-yoga';
import { renderAlertEmail } from '../alerts/email.ts';
import type { Services } from '../context.ts';
import type { Mailer } from './mailer.ts';
import { claimDueNotices, markAttemptFailed, markDone, type ClaimedNotice } from './outbox.ts';
import { wantsStaffAccessNotice } from './preferences.ts';
import { loadRequestFacts, renderRequestNotice } from './request-notice.ts';
import { loadStaffAccessFacts, portalMessageOf, renderStaffAccessNotice } from './staff-access-notice.ts';

/** Rows claimed per statement. */
const BATCH = 20;

/**
 * A session change is first pushed to banners and sockets, then announced: on the embedded
 * database every query waits its turn on one connection, and a notice can wait a moment.
 */
const WAKE_DELAY_MS = 250;

/** The running worker. */
export interface NotificationWorker {
  /**
   * Delivers everything due now (after the run in progress, if any) and resolves when a pass
   * found nothing left: what tests and shutdown wait for.
   */
  drain(): Promise<void>;
  /** Stops waking and polling, after the run in progress. */
  stop(): Promise<void>;
}

/** What a claimed row announces: a session's notice, or (REQUESTED, email only) a request's. */
async function noticeOf(
  services: Services,
  claim: ClaimedNotice & { notice: Exclude<ClaimedNotice['notice'], 'ALERT_RAISED'> },
) {
  const { prisma, config } = services;
  if (claim.notice === 'REQUESTED') {
    const facts = await loadRequestFacts(prisma, claim.requestId!, config);
    return { customer: facts.customer, mail: () => renderRequestNotice(facts), portal: null };
  }
  const facts = await loadStaffAccessFacts(prisma, claim.sessionId!, claim.notice, config);
  return { customer: facts.customer, mail: () => renderStaffAccessNotice(facts), portal: () => portalMessageOf(facts) };
}

/** Delivers an alert's email to the managers (server/alerts/email.ts): skipped when there is none. */
async function deliverAlert(services: Services, mailer: Mailer, claim: ClaimedNotice): Promise<'SENT' | 'SKIPPED'> {
  const mail = await renderAlertEmail(services.prisma, claim.alertId!, services.config);
  const status = mail ? 'SENT' : 'SKIPPED';
  if (mail) await mailer.send({ ...mail, messageId: `<${claim.id}@alerts.notifications>` });
  await markDone(services.prisma, claim, status, services.clock.now());
  return status;
}

/** Delivers one claimed row: skipped when the customer turned the channel off. */
async function deliver(services: Services, mailer: Mailer, claim: ClaimedNotice): Promise<'SENT' | 'SKIPPED'> {
  if (claim.notice === 'ALERT_RAISED') return deliverAlert(services, mailer, claim);
  const notice = await noticeOf(services, { ...claim, notice: claim.notice });
  const now = () => services.clock.now();
  const wanted = claim.channel === 'EMAIL' || notice.portal !== null;
  if (!wanted || !(await wantsStaffAccessNotice(services.prisma, notice.customer.id, claim.channel))) {
    await markDone(services.prisma, claim, 'SKIPPED', now());
    return 'SKIPPED';
  }
  if (claim.channel === 'PUSH' && notice.portal) {
    const body = notice.portal();
    await services.prisma.$transaction(async (tx) => {
      await tx.message.create({
        data: { customerId: notice.customer.id, sender: 'SALON', body, sentAt: now() },
      });
      await markDone(tx, claim, 'SENT', now());
    });
    return 'SENT';
  }
  await mailer.send({
    ...notice.mail(),
    to: notice.customer.email,
    messageId: `<${claim.id}@staff-access.notifications>`,
  });
  await markDone(services.prisma, claim, 'SENT', now());
  return 'SENT';
}

/** Starts the worker of one instance. */
export function startNotificationWorker(services: Services, mailer: Mailer, logger: YogaLogger): NotificationWorker {
  const retry = {
    maxAttempts: services.config.NOTIFICATION_MAX_ATTEMPTS,
    baseMs: services.config.NOTIFICATION_RETRY_BASE_MS,
  };

  /** Claims and delivers until nothing is due; returns how many rows it handled. */
  const deliverDue = async (): Promise<number> => {
    let handled = 0;
    for (;;) {
      const claims = await claimDueNotices(services.prisma, services.clock.now(), BATCH);
      if (claims.length === 0) return handled;
      handled += claims.length;
      await Promise.all(
        claims.map(async (claim) => {
          const fields = {
            notification: claim.id,
            session: claim.sessionId,
            request: claim.requestId,
            notice: claim.notice,
            channel: claim.channel,
          };
          try {
            const status = await deliver(services, mailer, claim);
            logger.debug('notification delivered', { ...fields, status });
          } catch (error) {
            const status = await markAttemptFailed(services.prisma, claim, error, services.clock.now(), retry);
            const line = { ...fields, attempts: claim.attempts, status, error: String(error) };
            if (status === 'FAILED') logger.error('notification failed, no more attempts', line);
            else logger.warn('notification attempt failed, will retry', line);
          }
        }),
      );
    }
  };

  // One run at a time per instance; a wake-up during a run queues exactly one more.
  let chain: Promise<number> = Promise.resolve(0);
  let queued = false;
  let stopped = false;
  const runSoon = (): Promise<number> => {
    if (queued) return chain;
    queued = true;
    chain = chain.then(() => {
      queued = false;
      return deliverDue().catch((error: unknown) => {
        logger.error('notification worker pass failed', error);
        return 0;
      });
    });
    return chain;
  };

  const feeds = [
    services.pubsub.subscribe('impersonation:active'),
    services.pubsub.subscribe('access:request'),
    services.pubsub.subscribe('alerts:changed'),
  ];
  for (const events of feeds) {
    void (async () => {
      for await (const _event of events) {
        setTimeout(() => {
          if (!stopped) void runSoon();
        }, WAKE_DELAY_MS).unref();
      }
    })();
  }
  const timer = setInterval(() => void runSoon(), services.config.NOTIFICATION_POLL_MS);
  timer.unref();
  void runSoon();

  return {
    async drain() {
      while ((await runSoon()) > 0);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all(feeds.map((events) => events.return?.()));
      await chain;
    },
  };
}
