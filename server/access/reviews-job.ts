// The access reviews' background job, run by every instance (background.ts): opens the review that
// is due and applies the latest review's deadline once it has passed (access/reviews.ts). Instances
// need no coordination: a review's sequence is unique, and each item is decided on its manager's row.
import type { YogaLogger } from 'graphql-yoga';
import type { Services } from '../context.ts';
import { applyDueReviewDeadline, openDueAccessReview } from './reviews.ts';

/** How often each instance looks: reviews are due days apart, so a minute late is on time. */
const CHECK_INTERVAL_MS = 60_000;

/** One pass: opens a due review, then applies a passed deadline. */
export async function runAccessReviewsOnce(services: Services): Promise<void> {
  const now = services.clock.now();
  await openDueAccessReview(services, now);
  await applyDueReviewDeadline(services, now);
}

/**
 * Starts the job: a pass now and every minute.
 * @returns a function that stops it, once the pass under way (if any) is done.
 */
export function startAccessReviews(services: Services, logger: Pick<YogaLogger, 'error'>): () => Promise<void> {
  let running: Promise<void> | null = null;
  const pass = () => {
    if (running) return;
    running = runAccessReviewsOnce(services)
      .catch((error: unknown) => logger.error('access review job failed', { error: String(error) }))
      .finally(() => (running = null));
  };
  const timer = setInterval(pass, CHECK_INTERVAL_MS);
  timer.unref();
  pass();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
