// How a staff view's end reads in the audit browser, shared by the session list and the session
// summary so both say it the same way.
import type { ImpersonationState } from '../../gql/graphql.ts';

/** "Ended by Mara Quinn", "Terminated by Max Okafor", "Expired", "In progress". */
export function howItEnded(s: { state: ImpersonationState; endedByName?: string | null }): string {
  switch (s.state) {
    case 'ACTIVE':
      return 'In progress';
    case 'EXPIRED':
      return 'Expired';
    case 'ENDED':
      return s.endedByName ? `Ended by ${s.endedByName}` : 'Ended';
    case 'TERMINATED':
      return s.endedByName ? `Terminated by ${s.endedByName}` : 'Terminated';
    case 'STOPPED_BY_CUSTOMER':
      return 'Stopped by the customer';
    case 'STAFF_VIEWS_DISABLED':
      return s.endedByName ? `Staff views turned off by ${s.endedByName}` : 'Staff views turned off';
    case 'TAMPERED':
      return 'Ended for hidden staff-view marks';
    default:
      return s.endedByName ? `Revoked by ${s.endedByName}` : 'Revoked';
  }
}
