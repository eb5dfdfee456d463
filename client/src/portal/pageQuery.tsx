// One query per page view. Each portal page sends a single operation: its own selection plus the
// fragments of the chrome around it (the header's name; for the customer herself, her staff-access
// section; under a staff view, the session the banner shows), so a page load is one request and one
// audit record. The chrome keeps the data of the
// latest page through PageDataScope, so it stays on screen while the next page loads.
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, type OperationContext, type UseQueryResponse } from 'urql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { graphql, type FragmentType } from '../gql/index.ts';

/**
 * What every page asks for on behalf of its chrome; pages spread it into their query, which
 * declares `$staffView: Boolean!` (set by usePortalPageQuery).
 */
export const PortalChromeFragment = graphql(`
  fragment PortalChrome on Query {
    ...PortalHeader
    ...CustomerStaffAccess @skip(if: $staffView)
    ...StaffViewSession @include(if: $staffView)
  }
`);

/** A page's result, as the chrome reads it. */
export type PortalChromeData = FragmentType<typeof PortalChromeFragment>;

/** The variables of every page query. */
export interface PortalPageVariables {
  staffView: boolean;
}

interface PageScope {
  staffView: boolean;
  onPage(data: PortalChromeData): void;
}

const PageScopeContext = createContext<PageScope>({ staffView: false, onPage: () => undefined });

/**
 * Receives the result of every page below (`onPage`), then hands it to the scope above: the portal
 * header inside, the staff view around it. `staffView` turns the staff view's fragment on below.
 */
export function PageDataScope({
  staffView,
  onPage,
  children,
}: {
  staffView?: boolean;
  onPage(data: PortalChromeData): void;
  children: ReactNode;
}) {
  const parent = useContext(PageScopeContext);
  const scope = useMemo<PageScope>(
    () => ({
      staffView: staffView ?? parent.staffView,
      onPage(data) {
        onPage(data);
        parent.onPage(data);
      },
    }),
    [staffView, onPage, parent],
  );
  return <PageScopeContext.Provider value={scope}>{children}</PageScopeContext.Provider>;
}

/** The page's one query, with `$staffView` from the scope; its data also goes to the chrome. */
export function usePortalPageQuery<Data extends PortalChromeData>(
  query: TypedDocumentNode<Data, PortalPageVariables>,
  context?: Partial<OperationContext>,
): UseQueryResponse<Data, PortalPageVariables> {
  const scope = useContext(PageScopeContext);
  const response = useQuery({ query, variables: { staffView: scope.staffView }, context });
  const data = response[0].data;
  useEffect(() => {
    if (data) scope.onPage(data);
  }, [data, scope]);
  return response;
}
