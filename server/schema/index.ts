// The schema: every domain file registers its types and fields on the builder.
import { builder } from './builder.ts';
import './enums.ts';
import './auth.ts';
import './customers.ts';
import './pets.ts';
import './staff.ts';
import './appointments.ts';
import './billing.ts';
import './messages.ts';
import './impersonation.ts';
import './salon-controls.ts';
import './access-requests.ts';
import './audit.ts';
import './audit-sessions.ts';

/** The executable schema. */
export const schema = builder.toSchema({ sortSchema: false });
