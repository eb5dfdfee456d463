// The salon-wide switch for staff views and what a start asks of this manager (step-up), read once
// and then followed live: a manager turning staff views off on any instance reaches every admin tab.
import { useQuery, useSubscription } from 'urql';
import { graphql, useFragment } from '../gql/index.ts';
import type { StaffViewControlsFieldsFragment } from '../gql/graphql.ts';

export const StaffViewControlsFields = graphql(`
  fragment StaffViewControlsFields on StaffViewControls {
    enabled
    reason
    changedAt
    changedByName
    stepUpRequired
    stepUpMinutes
    disableReasonMinLength
    reasonMaxLength
  }
`);

const StaffViewControlsQuery = graphql(`
  query StaffViewControls {
    staffViewControls {
      ...StaffViewControlsFields
    }
  }
`);

const StaffViewControlsLiveSubscription = graphql(`
  subscription StaffViewControlsLive {
    staffViewControls {
      ...StaffViewControlsFields
    }
  }
`);

export type StaffViewControls = StaffViewControlsFieldsFragment;

/** The latest position of the switch (pushed, else queried), null until known, and whether it is live. */
export function useStaffViewControls() {
  const [initial, refetch] = useQuery({ query: StaffViewControlsQuery, requestPolicy: 'cache-and-network' });
  const [live] = useSubscription({ query: StaffViewControlsLiveSubscription });
  const controls: StaffViewControls | null =
    useFragment(StaffViewControlsFields, live.data?.staffViewControls ?? initial.data?.staffViewControls) ?? null;
  return { controls, live: Boolean(live.data), error: initial.error, refetch };
}

/** The sentence a staff member reads when staff views are off. */
export function staffViewsOffText(controls: Pick<StaffViewControls, 'reason' | 'changedByName'>): string {
  const who = controls.changedByName ? ` by ${controls.changedByName}` : '';
  return `Staff views are turned off salon-wide${who}${controls.reason ? `: “${controls.reason}”` : '.'}`;
}
