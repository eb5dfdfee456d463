// The customer's access log in plain words (SPEC 4): "Mara Quinn viewed Billing (2 invoices) and
// My Pets (Biscuit)". Built from a session's page views (pages.ts); pets are named, other records
// counted, and every list is bounded so a long session still reads as one sentence.
import { PortalPage, type PageView } from './pages.ts';
import type { ServedRecords } from './trace.ts';

/** Most pet names given before "and N more". */
const MAX_NAMES = 3;

/** The record types each page names in a summary, with their singular and plural nouns. */
const COUNTED: Partial<Record<PortalPage, [type: string, one: string, many: string][]>> = {
  [PortalPage.Appointments]: [['Appointment', 'appointment', 'appointments']],
  [PortalPage.ReportCards]: [['ReportCard', 'report card', 'report cards']],
  [PortalPage.Billing]: [
    ['Invoice', 'invoice', 'invoices'],
    ['PaymentMethod', 'payment method', 'payment methods'],
  ],
  [PortalPage.Messages]: [['Message', 'message', 'messages']],
};

/** "a", "a and b", "a, b and c". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

const counted = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What one page showed, in brackets after its name; empty when there is nothing to name. */
function pageDetail(view: PageView, petName: (id: string) => string | undefined): string {
  if (view.page === PortalPage.MyPets) {
    const pets = view.records.Pet;
    if (!pets) return '';
    const names = pets.ids.map(petName).filter((name): name is string => Boolean(name));
    const unnamed = pets.count - Math.min(names.length, MAX_NAMES);
    if (names.length === 0) return counted(pets.count, 'pet', 'pets');
    const shown = names.slice(0, MAX_NAMES);
    return joinWords(unnamed > 0 ? [...shown, `${unnamed} more`] : shown);
  }
  return (COUNTED[view.page] ?? [])
    .flatMap(([type, one, many]) => {
      const count = view.records[type]?.count ?? 0;
      return count > 0 ? [counted(count, one, many)] : [];
    })
    .join(', ');
}

/** Every portal record type a page view names, in the portal's order, with its nouns. */
const SHOWN_TYPES: [type: string, one: string, many: string][] = [
  ...(COUNTED[PortalPage.Appointments] ?? []),
  ['Pet', 'pet', 'pets'],
  ...(COUNTED[PortalPage.ReportCards] ?? []),
  ...(COUNTED[PortalPage.Billing] ?? []),
  ...(COUNTED[PortalPage.Messages] ?? []),
];

/**
 * What a page view showed, counted ("2 invoices, 3 appointments"), for the managers' audit browser:
 * the Home page that showed her invoices reads "Home: 2 invoices", not "Home". Empty: nothing counted.
 */
export function shownText(records: ServedRecords): string {
  return SHOWN_TYPES.flatMap(([type, one, many]) => {
    const count = records[type]?.count ?? 0;
    return count > 0 ? [counted(count, one, many)] : [];
  }).join(', ');
}

/** The sentence a customer reads for one staff view of their account. */
export function accessSummary(input: {
  staffName: string;
  views: readonly PageView[];
  /** Names of the customer's pets by id (a pet deleted since is counted instead). */
  petNames: ReadonlyMap<string, string>;
  /** Refused attempts (to change something, or after the view had ended). */
  refused: number;
  /** Whether the view is still in progress. */
  active: boolean;
  /** Masked values the view revealed, each "the health alerts of Biscuit" with the reason given. */
  reveals?: readonly { what: string; reason: string }[];
}): string {
  const { staffName, views, petNames, refused, active, reveals = [] } = input;
  const pages = views.map((view) => {
    const detail = pageDetail(view, (id) => petNames.get(id));
    return detail ? `${view.page} (${detail})` : view.page;
  });
  const verb = active ? 'is viewing' : 'viewed';
  const seen = pages.length
    ? `${staffName} ${verb} ${joinWords(pages)}`
    : `${staffName} ${active ? 'is viewing your account' : 'opened your account but viewed no page'}`;
  const revealed = reveals.length
    ? `${seen}; revealed ${joinWords(reveals.map((reveal) => `${reveal.what} (${reveal.reason})`))}`
    : seen;
  if (refused === 0) return revealed;
  return `${revealed}; ${refused} ${refused === 1 ? 'attempt was' : 'attempts were'} refused`;
}
