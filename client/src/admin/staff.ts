// The signed-in staff member as every admin page receives it. It lives apart from the pages so
// they depend on this type, not on each other or on the app shell that fetches it.
import type { AdminViewerQuery } from '../gql/graphql.ts';

export type StaffMember = NonNullable<AdminViewerQuery['viewer']['staff']>;
