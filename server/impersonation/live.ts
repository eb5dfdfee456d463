// The live side of sessions: the banner's status stream, the admin list's change stream, and the
// one expiry trigger (a sweeper every instance runs). Banners tick from one shared timer per
// process and compute the countdown from `expiresAt` and the clock: no database query per tick;
// the session row is read again when a change is published, and on every tick while pub/sub is
// degraded.
import type { ImpersonationSession } from '@prisma/client';
import { Repeater } from 'graphql-yoga';
import type { Services } from '../context.ts';
import { expireDueAccessRequests } from './access-requests.ts';
import { expireDueSessions } from './lifecycle.ts';
import { sessionState } from './policy.ts';

/** What the portal banner is pushed: the session row and the server time it was evaluated at. */
export interface SessionStatus {
  session: ImpersonationSession;
  now: Date;
}

/** One interval per tick length per process, shared by every listener. */
const tickers = new Map<number, { listeners: Set<() => void>; timer: NodeJS.Timeout }>();

function onTick(intervalMs: number, listener: () => void): () => void {
  let ticker = tickers.get(intervalMs);
  if (!ticker) {
    const listeners = new Set<() => void>();
    const timer = setInterval(() => listeners.forEach((fn) => fn()), intervalMs);
    timer.unref();
    ticker = { listeners, timer };
    tickers.set(intervalMs, ticker);
  }
  ticker.listeners.add(listener);
  return () => {
    ticker.listeners.delete(listener);
    if (ticker.listeners.size === 0) {
      clearInterval(ticker.timer);
      tickers.delete(intervalMs);
    }
  };
}

/**
 * The banner feed of one session: its status now, on every tick while it is active, and on every
 * published change; it ends after pushing the end. A session past its expiry is not ended here:
 * the sweeper records the expiry (with its reason) and its published change is pushed.
 */
export function sessionStatusStream(services: Services, sessionId: string): AsyncIterable<SessionStatus> {
  return new Repeater<SessionStatus>(async (push, stop) => {
    let session: ImpersonationSession | null = null;
    const emit = async () => {
      if (!session) return;
      const now = services.clock.now();
      const state = sessionState(session, now);
      if (state === 'EXPIRED' && !session.endState) return; // the sweeper's change follows
      await push({ session, now });
      if (state !== 'ACTIVE') stop();
    };
    const reload = async () => {
      session = await services.prisma.impersonationSession.findUniqueOrThrow({ where: { id: sessionId } });
      await emit();
    };
    const events = services.pubsub.subscribe('impersonation:session', sessionId);
    // While pub/sub is degraded (Redis down), an end decided on another instance is not
    // published here: each tick reads the row instead, and once more after pub/sub is back, for
    // what was published before the subscription was restored.
    let resyncPending = false;
    const tick = () => {
      const degraded = services.pubsubStatus() !== 'ready';
      const resync = degraded || resyncPending;
      resyncPending = degraded;
      void (resync ? reload() : emit()).catch(stop);
    };
    const stopTicking = onTick(services.config.IMPERSONATION_TICK_MS, tick);
    void (async () => {
      for await (const _event of events) await reload();
    })().catch(stop);
    await reload().catch(stop);
    await stop;
    stopTicking();
    await events.return?.();
  });
}

/**
 * Pushes once at once, then on every start, extension and end anywhere (the admin list re-reads).
 * Before each push after the first it asks `mayStillWatch` (the subscriber's sign-in, resolved
 * again) and ends instead when the answer is no: a feed outlives neither a sign-out nor a demotion.
 */
export function activeSessionsStream(services: Services, mayStillWatch: () => Promise<boolean>): AsyncIterable<true> {
  return new Repeater<true>(async (push, stop) => {
    const events = services.pubsub.subscribe('impersonation:active');
    await push(true);
    void (async () => {
      for await (const _event of events) {
        if (!(await mayStillWatch())) return stop();
        await push(true);
      }
    })().catch(stop);
    await stop;
    await events.return?.();
  });
}

/**
 * The one expiry trigger: records the end of sessions (and access requests) past their expiry even when nobody is
 * watching. Every instance may run one; ending a session twice records it once.
 * @returns a function that stops it.
 */
export function startExpirySweeper(services: Services, intervalMs = 1000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    Promise.all([expireDueSessions(services), expireDueAccessRequests(services)])
      .catch((error) => console.error('Impersonation expiry sweep failed', error))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
