// Which portal page an audit record belongs to, in the names a person knows (SPEC 6): Home,
// Appointments, My Pets, Report Cards, Billing, Messages, Settings. The one place that maps what a
// record saw (`seen.fields` root paths, `seen.records` types, root fields of refused attempts) to
// a page, and that folds the portal's header queries and banner feed into the page they came with.
// Pure functions: the loader in session-activity.ts feeds them.
import type { AuditAction, AuditOutcome, PortalSection } from '@prisma/client';
import type { ServedRecords } from './trace.ts';

/** The portal's sections, as its navigation names them. */
export const PortalPage = {
  Home: 'Home',
  Appointments: 'Appointments',
  MyPets: 'My Pets',
  ReportCards: 'Report Cards',
  Billing: 'Billing',
  Messages: 'Messages',
  Settings: 'Settings',
} as const;

/** A portal section's name. */
export type PortalPage = (typeof PortalPage)[keyof typeof PortalPage];

/** Marks what every page shows around itself (the header's name, the staff banner and its feed). */
const CHROME = 'chrome';

/**
 * What each root path shows: the root field, or `me.<field>` under `me`. Mutations are named by the
 * page that offers them, so a refused attempt reads "Billing" too. Paths not listed name no page.
 */
const PAGE_OF_PATH: Record<string, PortalPage | typeof CHROME> = {
  me: CHROME,
  'me.id': CHROME,
  'me.name': CHROME,
  currentImpersonation: CHROME,
  impersonationPolicy: CHROME,
  impersonationSession: CHROME,
  extendImpersonation: CHROME,
  endImpersonation: CHROME,
  'me.appointments': PortalPage.Appointments,
  services: PortalPage.Appointments,
  groomers: PortalPage.Appointments,
  bookAppointment: PortalPage.Appointments,
  rescheduleAppointment: PortalPage.Appointments,
  cancelAppointment: PortalPage.Appointments,
  confirmAppointment: PortalPage.Appointments,
  updateAppointmentNotes: PortalPage.Appointments,
  'me.pets': PortalPage.MyPets,
  addPet: PortalPage.MyPets,
  updatePet: PortalPage.MyPets,
  reportCards: PortalPage.ReportCards,
  'me.invoices': PortalPage.Billing,
  'me.paymentMethods': PortalPage.Billing,
  payInvoice: PortalPage.Billing,
  addPaymentMethod: PortalPage.Billing,
  removePaymentMethod: PortalPage.Billing,
  'me.messages': PortalPage.Messages,
  sendMessage: PortalPage.Messages,
  'me.email': PortalPage.Settings,
  'me.phone': PortalPage.Settings,
  'me.address': PortalPage.Settings,
  'me.notificationPreferences': PortalPage.Settings,
  'me.notificationSwitches': PortalPage.Settings,
  'me.staffAccessLog': PortalPage.Settings,
  updateProfile: PortalPage.Settings,
  changePassword: PortalPage.Settings,
  updateNotificationPreferences: PortalPage.Settings,
};

/** The page of each portal section a view's scope names (the Home page belongs to none: it shows several). */
export const PAGE_OF_SECTION: Record<Exclude<PortalSection, 'WHOLE_PORTAL'>, PortalPage> = {
  APPOINTMENTS: PortalPage.Appointments,
  PETS: PortalPage.MyPets,
  REPORT_CARDS: PortalPage.ReportCards,
  BILLING: PortalPage.Billing,
  MESSAGES: PortalPage.Messages,
  SETTINGS: PortalPage.Settings,
};

/** Portal record types and the page that shows them, for records whose paths name no page. */
const PAGE_OF_RECORD_TYPE: Record<string, PortalPage> = {
  Appointment: PortalPage.Appointments,
  Pet: PortalPage.MyPets,
  Vaccination: PortalPage.MyPets,
  ReportCard: PortalPage.ReportCards,
  Invoice: PortalPage.Billing,
  PaymentMethod: PortalPage.Billing,
  Message: PortalPage.Messages,
  NotificationPreference: PortalPage.Settings,
  NotificationSwitch: PortalPage.Settings,
  StaffAccess: PortalPage.Settings,
};

/** A record that touches this many sections at once is the Home page's overview. */
const HOME_SECTIONS = 3;

/** What a record saw, as `seen` holds it for operations (audit/trace.ts). */
export interface SeenOperation {
  fields?: string[];
  records?: ServedRecords;
  refused?: string[];
}

/** The part of an audit record the page naming reads. */
export interface PagedRecord {
  id: bigint;
  createdAt: Date;
  action: AuditAction;
  outcome: AuditOutcome;
  rootFields: string[];
  seen: unknown;
}

/** The operation part of `seen`, or an empty one (lifecycle records, unexecuted attempts). */
export function seenOf(record: Pick<PagedRecord, 'seen'>): Required<SeenOperation> {
  const seen = (record.seen ?? {}) as SeenOperation;
  return { fields: seen.fields ?? [], records: seen.records ?? {}, refused: seen.refused ?? [] };
}

const rootPath = (path: string) => {
  const [root, child] = path.split('.');
  return root === 'me' && child ? `me.${child}` : root!;
};

/**
 * The page an operation record shows by itself: the section its paths name (the one with the most
 * paths when two are named, Home when three or more are); `'chrome'` when it only read what every
 * page shows; null when it names no page (not an operation, or nothing recognisable).
 */
export function ownPageOf(record: Pick<PagedRecord, 'action' | 'rootFields' | 'seen'>): PortalPage | 'chrome' | null {
  if (record.action !== 'OPERATION') return null;
  const { fields, records } = seenOf(record);
  const paths = fields.length > 0 ? fields : record.rootFields;
  const weight = new Map<PortalPage, number>();
  let chrome = false;
  for (const path of paths) {
    const page = PAGE_OF_PATH[rootPath(path)];
    if (page === CHROME) chrome = true;
    else if (page) weight.set(page, (weight.get(page) ?? 0) + 1);
  }
  if (weight.size === 0) {
    for (const type of Object.keys(records)) {
      const page = PAGE_OF_RECORD_TYPE[type];
      if (page) weight.set(page, (weight.get(page) ?? 0) + records[type]!.count);
    }
  }
  if (weight.size >= HOME_SECTIONS) return PortalPage.Home;
  if (weight.size > 0) return [...weight].sort((a, b) => b[1] - a[1])[0]![0];
  return chrome ? CHROME : null;
}

/**
 * The page of every record of one session: its own, or for a record that only read the chrome,
 * the page of the nearest record that has one (in time, then in record order; the earlier on a
 * tie). Records in any order.
 */
export function pagesOfSession(records: readonly PagedRecord[]): Map<bigint, PortalPage | null> {
  const own = records.map((record) => ({ record, page: ownPageOf(record) }));
  const anchored = anchorsOf(records);
  return new Map(own.map(({ record, page }) => [record.id, page === CHROME ? nearestPage(anchored, record) : page]));
}

/** A record with a page of its own: what a header query's page is taken from. */
export interface PageAnchor {
  id: bigint;
  createdAt: Date;
  page: PortalPage;
}

/** The records of one session that have a page of their own, in time then record order. */
export function anchorsOf(records: readonly PagedRecord[]): PageAnchor[] {
  const anchors: PageAnchor[] = [];
  for (const record of records) {
    const page = ownPageOf(record);
    if (page !== null && page !== CHROME) anchors.push({ id: record.id, createdAt: record.createdAt, page });
  }
  return anchors.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || Number(a.id - b.id));
}

/** The page of the anchor nearest `at`: in time, then in record order (records of one instant), the earlier on a tie. */
export function nearestPage(
  anchors: readonly PageAnchor[],
  at: Pick<PagedRecord, 'id' | 'createdAt'>,
): PortalPage | null {
  let best: { time: number; order: bigint; page: PortalPage } | null = null;
  for (const anchor of anchors) {
    const time = Math.abs(anchor.createdAt.getTime() - at.createdAt.getTime());
    const order = anchor.id > at.id ? anchor.id - at.id : at.id - anchor.id;
    if (!best || time < best.time || (time === best.time && order < best.order))
      best = { time, order, page: anchor.page };
  }
  return best?.page ?? null;
}

/**
 * Root fields that name no page of their own (the header, the staff banner and its feed): a record
 * that saw nothing but these, and has no `seen` to say more, is never an anchor. The anchors' loader
 * leaves such records in the database (session-activity.ts).
 */
export const CHROME_ROOT_FIELDS: readonly string[] = Object.entries(PAGE_OF_PATH)
  .filter(([path, page]) => page === CHROME && !path.includes('.'))
  .map(([path]) => path);

/** One page of a session, or of every session a customer's access log lists. */
export interface PageView {
  page: PortalPage;
  /** Operations that showed this page (header queries folded into it are not counted again). */
  views: number;
  /** Portal records shown on it, per type: how many distinct ones, and (bounded) which. */
  records: ServedRecords;
}

/**
 * The pages the served records of a session showed, in the order first seen. Refused attempts show
 * nothing. `pages` is {@link pagesOfSession} of the same records, when the caller has it already.
 */
export function pageViews(
  records: readonly PagedRecord[],
  pages: ReadonlyMap<bigint, PortalPage | null> = pagesOfSession(records),
): PageView[] {
  const views = new Map<PortalPage, { views: number; ids: Map<string, Set<string>>; counts: Map<string, number> }>();
  const ordered = [...records].sort((a, b) => Number(a.id - b.id));
  for (const record of ordered) {
    const page = pages.get(record.id);
    const own = ownPageOf(record);
    if (!page || record.outcome === 'DENIED') continue;
    const entry = views.get(page) ?? { views: 0, ids: new Map(), counts: new Map() };
    views.set(page, entry);
    if (own === page) entry.views += 1;
    for (const [type, served] of Object.entries(seenOf(record).records)) {
      const ids = entry.ids.get(type) ?? new Set<string>();
      for (const id of served.ids) ids.add(id);
      entry.ids.set(type, ids);
      entry.counts.set(type, Math.max(entry.counts.get(type) ?? 0, served.count));
    }
  }
  return [...views]
    .filter(([, entry]) => entry.views > 0)
    .map(([page, entry]) => ({
      page,
      views: entry.views,
      records: Object.fromEntries(
        [...entry.ids].map(([type, ids]) => [
          type,
          { count: Math.max(ids.size, entry.counts.get(type) ?? 0), ids: [...ids] },
        ]),
      ),
    }));
}

/** Operation attempts of a session by outcome. */
export function attemptCounts(records: readonly PagedRecord[]): { denied: number; partial: number } {
  const operations = records.filter((record) => record.action === 'OPERATION');
  return {
    denied: operations.filter((record) => record.outcome === 'DENIED').length,
    partial: operations.filter((record) => record.outcome === 'PARTIAL').length,
  };
}

/**
 * What shows that a record saw a page's data, for the audit browser's section filter (a SQL probe of
 * `rootFields` and `seen`): the root fields and `me.<field>` paths the page's own query reads, and the
 * record types it shows (for records without field paths). The Home page's overview reads
 * `me.invoices` too, so a filter by Billing finds the Home page that showed her invoices.
 */
export function pageSignature(page: PortalPage): { rootFields: string[]; mePaths: string[]; recordTypes: string[] } {
  const paths = Object.entries(PAGE_OF_PATH)
    .filter(([, named]) => named === page)
    .map(([path]) => path);
  return {
    rootFields: paths.filter((path) => !path.includes('.')),
    mePaths: paths.filter((path) => path.startsWith('me.')),
    recordTypes: Object.entries(PAGE_OF_RECORD_TYPE)
      .filter(([, named]) => named === page)
      .map(([type]) => type),
  };
}
