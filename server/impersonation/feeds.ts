// The one shape of every "something changed: read it again" feed (active sessions, the kill switch,
// the customer's presence notice, access requests): push once at once, then once per accepted
// published change; resolvers re-read the state. Listening starts before the first push, so a
// change made meanwhile is not missed.
import { Repeater } from 'graphql-yoga';

/** What a change feed asks before it pushes. */
export interface ChangeFeedOptions<Event> {
  /** Which published events concern this feed (all when absent). */
  accept?: (event: Event) => boolean;
  /** Asked before each push after the first; false ends the feed (a sign-out, a demotion). */
  mayStillWatch?: () => Promise<boolean>;
  /** Asked before each push; true makes it the last (the thing watched is closed). */
  finished?: () => Promise<boolean>;
}

/** A feed of `true`s over the events `subscribe` opens (called when the feed is first read). */
export function changeFeed<Event>(
  subscribe: () => AsyncIterableIterator<Event>,
  options: ChangeFeedOptions<Event> = {},
): AsyncIterable<true> {
  return new Repeater<true>(async (push, stop) => {
    const events = subscribe();
    // Whether this push is the last is decided before it: the resolver reads the same state.
    const pushOnce = async () => {
      const last = (await options.finished?.()) ?? false;
      await push(true);
      if (last) stop();
    };
    void (async () => {
      for await (const event of events) {
        if (options.accept && !options.accept(event)) continue;
        if (options.mayStillWatch && !(await options.mayStillWatch())) return stop();
        await pushOnce();
      }
    })().catch(stop);
    await pushOnce().catch(stop);
    await stop;
    await events.return?.();
  });
}
