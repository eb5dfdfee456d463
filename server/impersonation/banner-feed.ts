// One banner subscriber: an async iterator that holds at most one status not yet taken (a newer
// tick replaces it; the end is never replaced), so a slow socket costs no queue. The hub
// (banner-hub.ts) offers it statuses; graphql-ws takes them.
import type { ImpersonationSession } from '@prisma/client';

/** What the portal banner is pushed: the session row and the server time it was evaluated at. */
export interface SessionStatus {
  session: ImpersonationSession;
  now: Date;
}

/** What a feed belongs to (its session's entry in the hub), told once the feed is done with. */
export interface FeedOwner {
  detach(feed: BannerFeed): void;
}

/** One subscriber: an async iterator holding at most one status not yet taken. */
export class BannerFeed implements AsyncIterableIterator<SessionStatus> {
  private pending: SessionStatus | null = null;
  private waiting: ((result: IteratorResult<SessionStatus>) => void) | null = null;
  /** The last status (the end) was offered, or the feed was closed without one. */
  private ending = false;
  private finished = false;

  /** The owner, not a closure over it: a feed lives as long as its socket, ten thousand at once. */
  constructor(private readonly owner: FeedOwner) {}

  /** Offers a status; `final` for the end, after which nothing more is offered. */
  offer(status: SessionStatus, final: boolean): void {
    if (this.ending || this.finished) return;
    if (final) {
      this.ending = true;
      this.owner.detach(this);
    }
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = null;
      waiting({ value: status, done: false });
    } else this.pending = status;
  }

  /** Ends the feed without a further status (the session row could not be read). */
  close(): void {
    if (this.ending || this.finished) return;
    this.ending = true;
    this.owner.detach(this);
    if (this.waiting) this.finish();
  }

  next(): Promise<IteratorResult<SessionStatus>> {
    const pending = this.pending;
    if (pending) {
      this.pending = null;
      return Promise.resolve({ value: pending, done: false });
    }
    if (this.ending || this.finished) {
      this.finish();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<SessionStatus>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<SessionStatus>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish() {
    if (this.finished) return;
    this.finished = true;
    this.pending = null;
    this.owner.detach(this);
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.({ value: undefined, done: true });
  }
}
