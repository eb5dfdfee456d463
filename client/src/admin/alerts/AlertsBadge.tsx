// The unacknowledged alerts' count beside "Alerts" in the admin navigation, pushed live.
import { useSubscription } from 'urql';
import { graphql } from '../../gql/gql.ts';

const AlertsBadgeLive = graphql(`
  subscription AlertsBadge {
    alerts {
      unacknowledgedCount
    }
  }
`);

export function AlertsBadge() {
  const [live] = useSubscription({ query: AlertsBadgeLive });
  const count = live.data?.alerts.unacknowledgedCount ?? 0;
  if (count === 0) return null;
  return (
    <span className="pill pill--danger alerts-badge" data-testid="alerts-badge">
      {count}
      <span className="visually-hidden"> unacknowledged</span>
    </span>
  );
}
