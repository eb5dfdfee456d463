// A portal page shown during a staff view (audit/pages.ts names it), shared by the managers' session
// summaries (audit-sessions.ts) and the customer's own access log (staff-access-log.ts).
import type { PageView as PageViewShape } from '../audit/pages.ts';
import { shownText } from '../audit/access-summary.ts';
import { builder } from './builder.ts';

const RecordCount = builder.objectRef<{ type: string; count: number }>('PageRecordCount').implement({
  description: 'How many distinct portal records of one type a page showed.',
  fields: (t) => ({
    type: t.exposeString('type', { description: 'The GraphQL type: Invoice, Pet, Appointment…' }),
    count: t.exposeInt('count'),
  }),
});

/** A portal page a staff view showed: its name, how many times, and what it showed. */
export const PageView = builder.objectRef<PageViewShape>('PageView').implement({
  description: 'A portal page shown during a staff view, by the name the portal gives it.',
  fields: (t) => ({
    page: t.exposeString('page', {
      description: 'Home, Appointments, My Pets, Report Cards, Billing, Messages or Settings.',
    }),
    views: t.exposeInt('views', { description: 'Operations that showed it.' }),
    shown: t.string({
      description: 'What it showed, counted (“2 invoices, 3 appointments”); empty when nothing was counted.',
      resolve: (view) => shownText(view.records),
    }),
    records: t.field({
      type: [RecordCount],
      resolve: (view) => Object.entries(view.records).map(([type, { count }]) => ({ type, count })),
    }),
  }),
});
