// The one expiry trigger, run by every instance: each sweep records the ends that are due even when
// nobody is watching (sessions, access and governance requests past their expiry) and ends the
// sessions a kill switch did not reach. Ending a session twice records it once, so instances need no coordination.
import type { Services } from '../context.ts';
import { endSessionsWhileStaffViewsOff } from '../access/kill-switch.ts';
import { expireDueGovernanceRequests } from '../access/governance.ts';
import { expireDueAccessRequests } from '../access/requests.ts';
import { expireDueSessions } from './lifecycle.ts';

/**
 * The one expiry trigger: records the end of sessions (and access requests) past their expiry even when nobody is
 * watching, and ends the sessions a kill switch did not reach. Every instance may run one; ending a session twice
 * records it once.
 * @returns a function that stops it.
 */
export function startExpirySweeper(services: Services, intervalMs = 1000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    Promise.all([
      expireDueSessions(services),
      expireDueAccessRequests(services),
      expireDueGovernanceRequests(services),
      endSessionsWhileStaffViewsOff(services),
    ])
      .catch((error) => console.error('Impersonation expiry sweep failed', error))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
