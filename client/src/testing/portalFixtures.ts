// Data for every portal query, shaped like the server's answers, for component tests. Each page's
// query also brings its chrome: the header's name, and under a staff view (`$staffView`) the session.
import type { Fixture } from './mockClient.ts';

const inDays = (days: number, hour = 10) => {
  const d = new Date();
  d.setDate(d.getDate() + days);
  d.setHours(hour, 0, 0, 0);
  return d.toISOString();
};

/**
 * Every notification switch as `Customer.notificationSwitches` answers (saved, or at the server's
 * default): on for the `category:channel` keys given, off otherwise.
 */
export function notificationSwitches(on: readonly string[]) {
  const categories = ['APPOINTMENTS', 'REPORT_CARDS', 'BILLING', 'MESSAGES', 'PROMOTIONS', 'STAFF_ACCESS'];
  return categories.flatMap((category) =>
    ['EMAIL', 'SMS', 'PUSH'].map((channel) => ({
      id: `cust-1:${category}:${channel}`,
      category,
      channel,
      enabled: on.includes(`${category}:${channel}`),
    })),
  );
}

const pet = { id: 'pet-1', name: 'Biscuit' };
const service = { id: 'svc-1', name: 'Full Groom' };
const groomer = { id: 'staff-g', name: 'Gwen Park' };

const upcoming = {
  id: 'appt-1',
  startsAt: inDays(3),
  endsAt: inDays(3, 12),
  status: 'SCHEDULED',
  canChange: true,
  customerNotes: 'Gentle with the ears',
  service,
  pet,
  groomer,
  reportCard: null,
  invoice: null,
};

const past = {
  ...upcoming,
  id: 'appt-0',
  startsAt: inDays(-20),
  endsAt: inDays(-20, 12),
  status: 'COMPLETED',
  canChange: false,
  customerNotes: null,
  reportCard: { id: 'rc-1' },
  invoice: { id: 'inv-1', number: 'INV-1001', status: 'PENDING', totalCents: 9180 },
};

const invoice = {
  id: 'inv-1',
  number: 'INV-1001',
  status: 'PENDING',
  issuedAt: inDays(-20),
  paidAt: null,
  paidWith: null,
  subtotalCents: 8500,
  taxCents: 680,
  tipCents: 0,
  totalCents: 9180,
  appointment: { id: 'appt-0', startsAt: inDays(-20), pet, service },
};

const paymentMethod = { id: 'pm-1', brand: 'Visa', last4: '4242', expMonth: 8, expYear: 2030, isDefault: true };

const reportCard = {
  id: 'rc-1',
  mood: 'Happy',
  conditionNotes: 'Coat in good shape.',
  nextRecommendedDate: '2030-01-15',
  createdAt: inDays(-20),
  appointment: { id: 'appt-0', startsAt: inDays(-20), pet, service, groomer },
};

const message = { id: 'msg-1', body: 'See you soon!', sender: 'SALON', sentAt: inDays(-1), staffName: 'Rita Alvarez' };

/** The staff view's part of a page (StaffViewSession), for a session started a minute ago. */
export function staffViewSession(now = Date.now()) {
  return {
    currentImpersonation: {
      id: 'imp-1',
      reason: 'Customer called about invoice INV-1010',
      startedAt: new Date(now - 60_000).toISOString(),
      expiresAt: new Date(now + 29 * 60_000).toISOString(),
      remainingSeconds: 29 * 60,
      canExtend: false,
      state: 'ACTIVE',
      endReason: null,
      customer: { id: 'cust-1', name: 'Chloe Martin' },
      staff: { id: 'staff-1', name: 'Mara Quinn' },
    },
    impersonationPolicy: { extensionMinutes: 30 },
  };
}

/** A page's own data with its chrome (PortalChrome) merged in, as the server answers the one query. */
export function withChrome(page: () => { me?: object } & Record<string, unknown>): Fixture {
  return (variables) => {
    const data = page();
    return {
      ...(variables.staffView ? staffViewSession() : {}),
      ...data,
      me: { id: 'cust-1', name: 'Chloe Martin', ...data.me },
    };
  };
}

const pages: Record<string, () => { me?: object } & Record<string, unknown>> = {
  HomePage: () => ({
    me: {
      id: 'cust-1',
      name: 'Chloe Martin',
      appointments: [upcoming],
      pets: [{ ...pet, vaccinations: [{ id: 'vac-1', name: 'Rabies', expiresOn: '2020-01-01', status: 'EXPIRED' }] }],
      invoices: [{ id: 'inv-1', status: 'PENDING', totalCents: 9180 }],
      messages: [message],
    },
    reportCards: [reportCard],
  }),
  AppointmentsPage: () => ({
    me: { id: 'cust-1', upcoming: [upcoming], past: [past], pets: [pet] },
    services: [
      { ...service, description: 'Bath, cut and tidy', basePriceCents: 8500, durationMinutes: 120, isAddOn: false },
      {
        id: 'svc-2',
        name: 'Nail Trim',
        description: 'Quick trim',
        basePriceCents: 1500,
        durationMinutes: 15,
        isAddOn: true,
      },
    ],
    groomers: [groomer],
  }),
  PetsPage: () => ({
    me: {
      id: 'cust-1',
      pets: [
        {
          ...pet,
          species: 'Dog',
          breed: 'Cockapoo',
          weightKg: 9.5,
          birthDate: '2022-03-14',
          size: 'MEDIUM',
          coatType: 'Curly',
          healthAlerts: ['Allergic to oatmeal shampoo'],
          groomingNotes: 'Nervous around the dryer',
          cutStyle: 'Teddy bear',
          vaccinations: [{ id: 'vac-1', name: 'Rabies', expiresOn: '2030-01-01', status: 'VALID' }],
          appointments: [{ id: 'appt-0', startsAt: inDays(-20), status: 'COMPLETED' }],
        },
      ],
    },
  }),
  ReportCardsPage: () => ({ reportCards: [reportCard] }),
  BillingPage: () => ({ me: { id: 'cust-1', invoices: [invoice], paymentMethods: [paymentMethod] } }),
  MessagesPage: () => ({
    me: { id: 'cust-1', messages: [message, { ...message, id: 'msg-2', sender: 'CUSTOMER', staffName: null }] },
  }),
  SettingsPage: () => ({
    me: {
      id: 'cust-1',
      name: 'Chloe Martin',
      email: 'chloe@example.test',
      phone: '+1 555-0142',
      address: '18 Alder Lane',
      timeZone: 'America/Los_Angeles',
      // Appointments by email saved on; staff access by email and app at the server's default (on).
      notificationSwitches: notificationSwitches(['APPOINTMENTS:EMAIL', 'STAFF_ACCESS:EMAIL', 'STAFF_ACCESS:PUSH']),
      staffAccessLog: [
        {
          id: 'imp-1',
          staffName: 'Mara Quinn',
          summary: 'Mara Quinn viewed Billing (2 invoices) and My Pets (Biscuit)',
          reason: 'Customer called about billing',
          startedAt: inDays(-1),
          expiresAt: inDays(-1, 11),
          extendedAt: null,
          endedAt: inDays(-1, 11),
          endState: 'ENDED',
          endReason: null,
        },
      ],
    },
  }),
  StaffAccess: () => ({ me: staffAccess() }),
};

/** The customer's staff-access section: ask first, no grants, and the requests (and blocks) given. */
export function staffAccess(
  accessRequests: unknown[] = [],
  staffAccess = 'ASK_FIRST',
  staffViewBlocks: unknown[] = [],
) {
  return {
    id: 'cust-1',
    staffAccess,
    timeZone: 'America/Los_Angeles',
    accessGrants: [] as unknown[],
    accessRequests,
    staffViewBlocks,
  };
}

/** A request from Mara that waits for the customer's answer. */
export const waitingRequest = {
  id: 'req-1',
  staffName: 'Mara Quinn',
  reason: 'Customer called about a double charge',
  createdAt: inDays(0),
  expiresAt: inDays(0, 1),
  state: 'PENDING',
  awaitingCustomer: true,
  needsCustomer: true,
  scope: ['BILLING'],
};

export const portalFixtures: Record<string, Fixture> = Object.fromEntries(
  Object.entries(pages).map(([name, page]) => [name, withChrome(page)]),
);
