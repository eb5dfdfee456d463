// The live side of access requests: the requester's dialog follows its request, managers follow
// the requests awaiting a second approval (and governance requests), and the customer's open portal
// follows its staff-access section. Each feed pushes once at once and again on every published change; resolvers re-read.
import type { Services } from '../context.ts';
import { changeFeed, type ChangeFeedOptions } from '../impersonation/feeds.ts';

type FeedOptions = Pick<ChangeFeedOptions<unknown>, 'mayStillWatch' | 'finished'>;

/** One request, until it is closed (declined, expired or used). */
export function accessRequestFeed(services: Services, requestId: string, options: FeedOptions): AsyncIterable<true> {
  return changeFeed(() => services.pubsub.subscribe('access:request'), {
    ...options,
    accept: (event) => event.requestId === requestId,
  });
}

/** Every request change (the managers' approvals list re-reads). */
export function accessRequestsFeed(services: Services, options: FeedOptions): AsyncIterable<true> {
  return changeFeed(() => services.pubsub.subscribe('access:request'), options);
}

/** The customer's staff-access section: requests, grants, preference. */
export function customerAccessFeed(services: Services, customerId: string, options: FeedOptions): AsyncIterable<true> {
  return changeFeed(() => services.pubsub.subscribe('access:customer', customerId), options);
}

/** Every governance request change (the managers' list of them re-reads: governance.ts). */
export function governanceRequestsFeed(services: Services, options: FeedOptions): AsyncIterable<true> {
  return changeFeed(() => services.pubsub.subscribe('governance:request'), options);
}
