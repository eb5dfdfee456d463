// Why a staff view ended, in the words shown to the staff member back in the admin app.
import type { ImpersonationState } from '../gql/graphql.ts';

export interface EndingFacts {
  state: ImpersonationState | null;
  reason: string | null;
  endedBy?: string | null;
  customerName?: string | null;
  /** What the customer wrote when they stopped the view (STOPPED_BY_CUSTOMER), if anything. */
  customerWords?: string | null;
}

export function describeEnding({ state, reason, endedBy, customerName, customerWords }: EndingFacts): {
  title: string;
  detail: string;
} {
  const title = customerName ? `Your staff view of ${customerName} has ended` : 'Your staff view has ended';
  switch (state) {
    case 'ENDED':
      return { title, detail: 'You ended the session.' };
    case 'EXPIRED':
      return { title, detail: 'The session reached its time limit.' };
    case 'TERMINATED':
      return { title, detail: `Terminated by ${endedBy ?? 'another manager'}${reason ? `: “${reason}”` : '.'}` };
    case 'REVOKED':
      return { title, detail: `Access was revoked${reason ? `: ${reason}` : '.'}` };
    case 'STOPPED_BY_CUSTOMER':
      return {
        title,
        detail: `Stopped by ${customerName ?? 'the customer'} from their portal${customerWords ? `: “${customerWords}”` : '.'}`,
      };
    case 'TAMPERED':
      // The reason says how many times the marks were hidden.
      return {
        title,
        detail: reason ?? "Ended automatically: the staff view's banner, border or watermark was hidden.",
      };
    case 'STAFF_VIEWS_DISABLED':
      // The reason already says "Staff views were turned off salon-wide: …".
      return { title, detail: reason ?? 'Staff views were turned off salon-wide.' };
    default:
      return { title, detail: reason ? `The server closed the session: ${reason}.` : 'The server closed the session.' };
  }
}
