// The live side of sessions: the portal banner's status stream (one hub per app instance, with one
// timer and one subscription per session: banner-hub.ts) and the admin list's change stream. What
// records expiries while nobody watches is the sweeper (sweeper.ts).
import type { ImpersonationSession } from '@prisma/client';
import type { Services } from '../context.ts';
import type { AppPubSub } from '../pubsub.ts';
import type { SessionStatus } from './banner-feed.ts';
import { BannerHub } from './banner-hub.ts';
import { changeFeed } from './feeds.ts';

export type { SessionStatus } from './banner-feed.ts';

const hubs = new WeakMap<AppPubSub, Map<number, BannerHub>>();

/**
 * The banner feed of one session: its status now, on every tick while it is active (at the moment
 * its remaining seconds change), and on every published change; it ends after pushing the end. A
 * session past its expiry is not ended here: the sweeper records the expiry (with its reason) and
 * its published change is pushed. Its consumer asks for the next status only once the last was
 * sent (graphql-ws awaits each send), so the feed is over only after its end was delivered: the
 * socket registry closes an ended session's socket then (session-sockets.ts).
 */
export function sessionStatusStream(services: Services, sessionId: string): AsyncIterableIterator<SessionStatus> {
  const tickMs = services.config.IMPERSONATION_TICK_MS;
  let byTick = hubs.get(services.pubsub);
  if (!byTick) hubs.set(services.pubsub, (byTick = new Map()));
  let hub = byTick.get(tickMs);
  if (!hub) byTick.set(tickMs, (hub = new BannerHub(services, tickMs)));
  return hub.subscribe(sessionId);
}

/**
 * The banner feeds open on this instance (the app of `services`) and the sessions they watch: each
 * session holds one cached row and one pub/sub subscription. Both are 0 once every client left.
 */
export function liveBannerCounts(services: Pick<Services, 'pubsub'>): { sessions: number; feeds: number } {
  let sessions = 0;
  let feeds = 0;
  for (const hub of hubs.get(services.pubsub)?.values() ?? []) {
    const counts = hub.counts();
    sessions += counts.sessions;
    feeds += counts.feeds;
  }
  return { sessions, feeds };
}

/**
 * An end committed by this instance: its banners here are pushed `session` at once, the row the
 * ending transaction read back (not a message). Banners on other instances read the row when the
 * published change arrives. Only ends: an end is final, so no later change can be overwritten.
 */
export function pushCommittedEnd(services: Pick<Services, 'pubsub'>, session: ImpersonationSession): void {
  if (!session.endedAt) return;
  for (const hub of hubs.get(services.pubsub)?.values() ?? []) hub.committedEnd(session);
}

/**
 * Pushes once at once, then on every start, extension and end anywhere (the admin list re-reads).
 * Before each push after the first it asks `mayStillWatch` (the subscriber's sign-in, resolved
 * again) and ends instead when the answer is no: a feed outlives neither a sign-out nor a demotion.
 */
export function activeSessionsStream(services: Services, mayStillWatch: () => Promise<boolean>): AsyncIterable<true> {
  return changeFeed(() => services.pubsub.subscribe('impersonation:active'), { mayStillWatch });
}
