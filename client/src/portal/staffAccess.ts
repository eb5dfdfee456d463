// The customer's staff-access section (preference, live grants, recent requests, the staff members
// she stopped or declined), brought by every page of hers (PortalChrome, pageQuery.tsx: no request
// of its own) and then pushed by the server on every change: a request arriving, being answered or
// expiring, a grant given or revoked, a block set or lifted. Used by the portal-wide request notice
// and by Settings. Under a staff view nothing seeds it: Settings then asks with its own query.
import { createContext, useContext, useMemo } from 'react';
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
      scope
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
      scope
    }
    staffViewBlocks {
      id
      staffName
      cause
      until
    }
  }
`);

/** The customer's own pages carry her section (spread into PortalChrome, skipped under a staff view). */
export const CustomerStaffAccessFragment = graphql(`
  fragment CustomerStaffAccess on Query {
    me {
      ...StaffAccessFields
    }
  }
`);

/** The section as the latest page brought it; `seeded`: every page brings it, so no query of its own. */
export interface StaffAccessSeed {
  seeded: boolean;
  data: StaffAccessFieldsFragment | null;
}

/** Provided by the portal around its pages when the customer herself is signed in (PortalApp.tsx). */
export const StaffAccessSeedContext = createContext<StaffAccessSeed>({ seeded: false, data: null });

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

/** The latest staff-access data: pushed if the live feed is up, else as the page brought it or as queried. */
export function useStaffAccess(options: { live: boolean }) {
  const seed = useContext(StaffAccessSeedContext);
  const [query, refetch] = useQuery({
    query: StaffAccessQuery,
    requestPolicy: 'cache-and-network',
    pause: seed.seeded,
  });
  const [live] = useSubscription({ query: StaffAccessLiveSubscription, pause: !options.live });
  const data = useMemo<StaffAccessFieldsFragment | null>(
    () =>
      (live.data?.myStaffAccess as StaffAccessFieldsFragment | undefined) ??
      seed.data ??
      (query.data?.me as StaffAccessFieldsFragment | undefined) ??
      null,
    [live.data, seed.data, query.data],
  );
  return { data, query, refetch, live: Boolean(live.data) };
}
