// Every banner feed of one app instance (10,000 per process) hangs off one hub: one shared timer
// (a wheel), one cached session row and one pub/sub subscription per session, however many sockets
// watch it. The countdown is computed from `expiresAt` and the clock: no database query per tick;
// the row is read again (one read by primary key per session, however many feeds) when a change is
// published, and on every tick while pub/sub is degraded. What a feed is pushed, the end included
// (its state and reason), is always the row's: an event only says when to read, never what. An end
// committed by this instance is pushed at once from the row its transaction read back (live.ts).
// The spec's tick rule (SPEC 5): every tick (1 s) in the last IMPERSONATION_NEAR_END_MINUTES,
// before that every IMPERSONATION_FAR_TICK_MS (30 s), the client counting down from `expiresAt` and
// the pushed server time in between; every change is pushed at once. Ticks are spread over the tick
// length: each session ticks at the moment its `remainingSeconds` changes (its phase, from
// `expiresAt`), so 10,000 banners are not all written in the same millisecond.
import type { ImpersonationSession } from '@prisma/client';
import type { Services } from '../context.ts';
import { BannerFeed, type FeedOwner, type SessionStatus } from './banner-feed.ts';
import { sessionState } from './policy.ts';

/** Wheel positions per tick length: a feed ticks within TICK_LENGTH / SLOTS of its phase. */
const SLOTS = 50;

/** The feeds of one session on this instance, its cached row and its one pub/sub subscription. */
class Entry implements FeedOwner {
  session: ImpersonationSession | null = null;
  readonly feeds = new Set<BannerFeed>();
  slot = 0;
  loading: Promise<void> | null = null;
  reloadAgain = false;
  /** Read the row on the next tick (pub/sub was degraded: a change may have been missed). */
  resyncPending = false;
  /** Clock time before which a tick far from the end is skipped (the last push was less than a far tick ago). */
  quietUntil = 0;

  constructor(
    readonly sessionId: string,
    readonly events: AsyncIterableIterator<unknown>,
    /** The hub's one function that detaches a feed from its entry. */
    private readonly release: (entry: Entry, feed: BannerFeed) => void,
  ) {}

  detach(feed: BannerFeed): void {
    this.release(this, feed);
  }
}

/** Every banner feed of one pub/sub (one app instance): one timer, one entry per session. */
export class BannerHub {
  private readonly entries = new Map<string, Entry>();
  private readonly slots: Set<Entry>[] = Array.from({ length: SLOTS }, () => new Set());
  private readonly slotMs: number;
  private readonly farTickMs: number;
  private readonly nearEndMs: number;
  /** The clock's offset to Date.now(), so wheel positions follow the clock's phase. */
  private readonly anchorMs: number;
  private timer: NodeJS.Timeout | null = null;
  private position = -1;
  private readonly release = (entry: Entry, feed: BannerFeed) => this.detach(entry, feed);

  constructor(
    private readonly services: Services,
    private readonly tickMs: number,
  ) {
    this.slotMs = tickMs / SLOTS;
    this.farTickMs = Math.max(tickMs, services.config.IMPERSONATION_FAR_TICK_MS);
    // From the extension window on as well, so `canExtend` turns true on time.
    const { IMPERSONATION_NEAR_END_MINUTES, IMPERSONATION_EXTENSION_WINDOW_MINUTES } = services.config;
    this.nearEndMs = Math.max(IMPERSONATION_NEAR_END_MINUTES, IMPERSONATION_EXTENSION_WINDOW_MINUTES) * 60_000;
    this.anchorMs = services.clock.now().getTime() - Date.now();
  }

  subscribe(sessionId: string): BannerFeed {
    let entry = this.entries.get(sessionId);
    const created = !entry;
    if (!entry) {
      entry = new Entry(sessionId, this.services.pubsub.subscribe('impersonation:session', sessionId), this.release);
      this.entries.set(sessionId, entry);
    }
    const owner = entry;
    const feed = new BannerFeed(entry);
    entry.feeds.add(feed);
    if (created) {
      // Listening before the first read: a change committed meanwhile is read again.
      void (async () => {
        // Whatever the event says, the row is the truth: a forged "TERMINATED" reads a live row.
        for await (const _event of owner.events) void this.reload(owner);
      })().catch(() => this.fail(owner));
      void this.reload(entry);
      this.start();
    } else if (entry.session) {
      this.emitTo(entry, [feed], this.services.clock.now());
    }
    return feed;
  }

  /** Pushes an end this instance committed, from the row its transaction read back (live.ts). */
  committedEnd(session: ImpersonationSession): void {
    const entry = this.entries.get(session.id);
    // Not read yet: the read under way (or the published change) brings the end.
    if (!entry?.session) return;
    entry.session = session;
    this.emitTo(entry, entry.feeds, this.services.clock.now());
  }

  /** Sessions watched and feeds open. */
  counts(): { sessions: number; feeds: number } {
    let feeds = 0;
    for (const entry of this.entries.values()) feeds += entry.feeds.size;
    return { sessions: this.entries.size, feeds };
  }

  private detach(entry: Entry, feed: BannerFeed) {
    if (!entry.feeds.delete(feed) || entry.feeds.size > 0) return;
    if (this.entries.get(entry.sessionId) === entry) this.entries.delete(entry.sessionId);
    this.slots[entry.slot]!.delete(entry);
    void entry.events.return?.();
    if (this.entries.size === 0) this.stop();
  }

  private reload(entry: Entry): Promise<void> {
    if (entry.loading) {
      entry.reloadAgain = true;
      return entry.loading;
    }
    entry.loading = (async () => {
      do {
        entry.reloadAgain = false;
        const session = await this.services.prisma.impersonationSession.findUniqueOrThrow({
          where: { id: entry.sessionId },
        });
        if (entry.feeds.size === 0) return;
        entry.session = session;
        this.placeOnWheel(entry);
        this.emitTo(entry, entry.feeds, this.services.clock.now());
      } while (entry.reloadAgain);
    })()
      .catch(() => this.fail(entry))
      .finally(() => (entry.loading = null));
    return entry.loading;
  }

  /** The row cannot be read: the feeds end (as a stopped stream), their sockets stay open. */
  private fail(entry: Entry) {
    for (const feed of [...entry.feeds]) feed.close();
  }

  /** The wheel slot where the session's `remainingSeconds` changes. */
  private placeOnWheel(entry: Entry) {
    const phase = (((entry.session!.expiresAt.getTime() % this.tickMs) + this.tickMs) % this.tickMs) / this.slotMs;
    const slot = Math.ceil(phase) % SLOTS;
    if (slot === entry.slot && this.slots[slot]!.has(entry)) return;
    this.slots[entry.slot]!.delete(entry);
    entry.slot = slot;
    this.slots[slot]!.add(entry);
  }

  private emitTo(entry: Entry, feeds: Iterable<BannerFeed>, now: Date) {
    const session = entry.session;
    if (!session) return;
    const state = sessionState(session, now);
    if (state === 'EXPIRED' && !session.endState) return; // the sweeper's change follows
    const status: SessionStatus = { session, now };
    const final = state !== 'ACTIVE';
    entry.quietUntil = now.getTime() + this.farTickMs;
    for (const feed of [...feeds]) feed.offer(status, final);
  }

  private start() {
    if (this.timer) return;
    this.position = this.positionAt(Date.now());
    this.timer = setInterval(() => this.wake(), this.slotMs);
    this.timer.unref();
  }

  private stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private positionAt(ms: number) {
    return Math.floor((ms + this.anchorMs) / this.slotMs);
  }

  /** The tick rule: near the end every tick, before that once a far tick (at the tick where it falls due). */
  private mayTick(entry: Entry, now: Date): boolean {
    const time = now.getTime();
    return (
      time >= entry.quietUntil || entry.session === null || entry.session.expiresAt.getTime() - time <= this.nearEndMs
    );
  }

  /** Ticks the sessions of every slot passed since the last wake (all of them once if late by a whole tick). */
  private wake() {
    const position = this.positionAt(Date.now());
    const passed = Math.min(SLOTS, position - this.position);
    if (passed < 0) this.position = position; // the system clock was set back
    if (passed <= 0) return;
    this.position = position;
    const degraded = this.services.pubsubStatus() !== 'ready';
    const now = this.services.clock.now();
    for (let step = passed - 1; step >= 0; step--) {
      const slot = (((position - step) % SLOTS) + SLOTS) % SLOTS;
      for (const entry of this.slots[slot]!) {
        // While pub/sub is degraded (Redis down), an end decided on another instance is not
        // published here: each tick reads the row instead, and once more after pub/sub is back,
        // for what was published before the subscription was restored.
        const resync = degraded || entry.resyncPending;
        entry.resyncPending = degraded;
        if (resync) void this.reload(entry);
        else if (this.mayTick(entry, now)) this.emitTo(entry, entry.feeds, now);
      }
    }
  }
}
