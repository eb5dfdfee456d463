// The live side of access requests: the requester's dialog follows its request, managers follow
// the requests awaiting a second approval, and the customer's open portal follows its staff-access
// section. Each feed pushes once at once and again on every published change; resolvers re-read.
import { Repeater } from 'graphql-yoga';
import type { Services } from '../context.ts';

interface FeedOptions {
  /** Asked before each push after the first; false ends the feed (a sign-out, a demotion). */
  mayStillWatch?: () => Promise<boolean>;
  /** Asked before each push; true makes it the last (the request is closed). */
  finished?: () => Promise<boolean>;
}

function feed<Event>(events: AsyncIterableIterator<Event>, accept: (event: Event) => boolean, options: FeedOptions) {
  return new Repeater<true>(async (push, stop) => {
    // Whether this push is the last is decided before it: the resolver reads the same state.
    const pushOnce = async () => {
      const last = (await options.finished?.()) ?? false;
      await push(true);
      if (last) stop();
    };
    // Listening starts before the first push, so a change made meanwhile is not missed.
    void (async () => {
      for await (const event of events) {
        if (!accept(event)) continue;
        if (options.mayStillWatch && !(await options.mayStillWatch())) return stop();
        await pushOnce();
      }
    })().catch(stop);
    await pushOnce().catch(stop);
    await stop;
    await events.return?.();
  });
}

/** One request, until it is closed (declined, expired or used). */
export function accessRequestFeed(services: Services, requestId: string, options: FeedOptions): AsyncIterable<true> {
  return feed(services.pubsub.subscribe('access:request'), (event) => event.requestId === requestId, options);
}

/** Every request change (the managers' approvals list re-reads). */
export function accessRequestsFeed(services: Services, options: FeedOptions): AsyncIterable<true> {
  return feed(services.pubsub.subscribe('access:request'), () => true, options);
}

/** The customer's staff-access section: requests, grants, preference. */
export function customerAccessFeed(services: Services, customerId: string, options: FeedOptions): AsyncIterable<true> {
  return feed(services.pubsub.subscribe('access:customer', customerId), () => true, options);
}
