// One query per page view. Each portal page sends a single operation: its own selection plus the
// fragments of the chrome around it (the header's name; for the customer herself, her staff-access
// section; under a staff view, the session the banner shows), so a page load is one request and one
// audit record. The chrome keeps the data of the
// latest page through PageDataScope, so it stays on screen while the next page loads.
//
// A scoped staff view asks for its sections only: a page puts `@include(if: $withBilling)` (and so
// on, staffViewScope.ts) on what it reads from another section, and the variables it declares are
// set from the view's scope, so the same persisted document serves every scope and the server
// refuses nothing in normal navigation. The customer's own portal sets them all.
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, type OperationContext, type UseQueryResponse } from 'urql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DocumentNode } from 'graphql';
import { graphql, type FragmentType } from '../gql/index.ts';
import { sectionVariables, type SectionVariable, type SectionsInView } from '../staffViewScope.ts';

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

/** The variables a page query may declare: `$staffView`, and a section's for what it reads from that section. */
export type PortalPageVariables = { staffView: boolean } & Record<SectionVariable, boolean>;

interface PageScope {
  staffView: boolean;
  /** The sections shown (null: all). */
  sections: SectionsInView;
  onPage(data: PortalChromeData): void;
}

const PageScopeContext = createContext<PageScope>({ staffView: false, sections: null, onPage: () => undefined });

/** The sections the portal shows here: a scoped staff view's, or null (all). */
export function useSectionsInView(): SectionsInView {
  return useContext(PageScopeContext).sections;
}

/** The variables an operation declares (a page sends only those). */
function declaredVariables(document: DocumentNode): string[] {
  // By shape, not graphql's Kind: the bundle needs no graphql-js for this.
  return document.definitions.flatMap((definition) =>
    'variableDefinitions' in definition
      ? (definition.variableDefinitions ?? []).map((variable) => variable.variable.name.value)
      : [],
  );
}

/**
 * Receives the result of every page below (`onPage`), then hands it to the scope above: the portal
 * header inside, the staff view around it. `staffView` turns the staff view's fragment on below;
 * `sections` narrows what the pages below ask for and show to a scoped view's sections.
 */
export function PageDataScope({
  staffView,
  sections,
  onPage,
  children,
}: {
  staffView?: boolean;
  sections?: SectionsInView;
  onPage(data: PortalChromeData): void;
  children: ReactNode;
}) {
  const parent = useContext(PageScopeContext);
  const scope = useMemo<PageScope>(
    () => ({
      staffView: staffView ?? parent.staffView,
      sections: sections === undefined ? parent.sections : sections,
      onPage(data) {
        onPage(data);
        parent.onPage(data);
      },
    }),
    [staffView, sections, onPage, parent],
  );
  return <PageScopeContext.Provider value={scope}>{children}</PageScopeContext.Provider>;
}

/**
 * The page's one query, with `$staffView` and the section variables it declares from the scope;
 * its data also goes to the chrome.
 */
export function usePortalPageQuery<Data extends PortalChromeData>(
  query: TypedDocumentNode<Data, PortalPageVariables>,
  context?: Partial<OperationContext>,
): UseQueryResponse<Data, PortalPageVariables> {
  const scope = useContext(PageScopeContext);
  const variables = useMemo(() => {
    const all: Record<string, boolean> = { staffView: scope.staffView, ...sectionVariables(scope.sections) };
    const declared = declaredVariables(query);
    return Object.fromEntries(Object.entries(all).filter(([name]) => declared.includes(name))) as PortalPageVariables;
  }, [query, scope.staffView, scope.sections]);
  const response = useQuery({ query, variables, context });
  const data = response[0].data;
  useEffect(() => {
    if (data) scope.onPage(data);
  }, [data, scope]);
  return response;
}
