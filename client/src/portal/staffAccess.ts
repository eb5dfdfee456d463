// The customer's staff-access section (preference, live grants, recent requests, the staff members
// she stopped or declined), read once and then pushed by the server on every change: a request
// arriving, being answered or expiring, a grant given or revoked, a block set or lifted. Used by the
// portal-wide request notice and by Settings.
import { useMemo } from 'react';
import { useQuery, useSubscription } from 'urql';
import { graphql } from '../gql/gql.ts';
import type { StaffAccessFieldsFragment } from '../gql/graphql.ts';
import type { AccessGrantDuration } from '../gql/graphql.ts';

/** Spread into the query and the live subscription. */
export const StaffAccessFields = graphql(`
  fragment StaffAccessFields on Customer {
    id
    staffAccess
    timeZone
    accessGrants {
      id
      createdAt
      expiresAt
    }
    accessRequests {
      id
      staffName
      reason
      createdAt
      expiresAt
      state
      awaitingCustomer
      needsCustomer
    }
    staffViewBlocks {
      id
      staffName
      cause
      until
    }
  }
`);

const StaffAccessQuery = graphql(`
  query StaffAccess {
    me {
      ...StaffAccessFields
    }
  }
`);

const StaffAccessLiveSubscription = graphql(`
  subscription StaffAccessLive {
    myStaffAccess {
      ...StaffAccessFields
    }
  }
`);

/** The periods offered, in the order shown. */
export const GRANT_OPTIONS: { duration: AccessGrantDuration; label: string }[] = [
  { duration: 'ONE_HOUR' as AccessGrantDuration, label: '1 hour' },
  { duration: 'ONE_DAY' as AccessGrantDuration, label: '1 day' },
  { duration: 'SEVEN_DAYS' as AccessGrantDuration, label: '7 days' },
];

/** The latest staff-access data: pushed if the live feed is up, else as queried. */
export function useStaffAccess(options: { live: boolean }) {
  const [query, refetch] = useQuery({ query: StaffAccessQuery, requestPolicy: 'cache-and-network' });
  const [live] = useSubscription({ query: StaffAccessLiveSubscription, pause: !options.live });
  const data = useMemo<StaffAccessFieldsFragment | null>(
    () =>
      (live.data?.myStaffAccess as StaffAccessFieldsFragment | undefined) ??
      (query.data?.me as StaffAccessFieldsFragment | undefined) ??
      null,
    [live.data, query.data],
  );
  return { data, query, refetch, live: Boolean(live.data) };
}
