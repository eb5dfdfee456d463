// The server's rules for staff views, read once and cached for the tab: forms mirror its reason
// bounds so they can say what is allowed before submitting, while the server stays the judge.
import { useQuery } from 'urql';
import { graphql } from '../gql/gql.ts';

const ImpersonationPolicyQuery = graphql(`
  query ImpersonationPolicy {
    impersonationPolicy {
      reasonMinLength
      reasonMaxLength
      terminateReasonMinLength
      durationMinutes
      extensionMinutes
      breakGlassMinutes
    }
  }
`);

/** The query's state and re-execute function, as `useQuery` returns them, for use with `QueryState`. */
export function useImpersonationPolicy() {
  return useQuery({ query: ImpersonationPolicyQuery });
}
