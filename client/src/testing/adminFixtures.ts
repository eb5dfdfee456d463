// Data for the admin queries, shaped like the server's answers, for component tests. The policy
// holds the server's default rules; tests that need other bounds override it.
import type { Fixture } from './mockClient.ts';

export const impersonationPolicy = {
  reasonMinLength: 10,
  reasonMaxLength: 500,
  terminateReasonMinLength: 3,
};

export const staffMember = { id: 'staff-1', name: 'Mara Quinn', role: 'MANAGER', canImpersonate: true } as const;

const customer = {
  id: 'cust-1',
  name: 'Chloe Martin',
  email: 'chloe@example.test',
  phone: '+1 555-0142',
  status: 'ACTIVE',
  petNames: ['Biscuit'],
  protected: false,
  staffAccess: 'FREELY',
};

const activeSession = {
  id: 'imp-1',
  reason: 'Customer called about invoice INV-1010',
  startedAt: new Date(Date.now() - 60_000).toISOString(),
  expiresAt: new Date(Date.now() + 29 * 60_000).toISOString(),
  extendedAt: null,
  remainingSeconds: 29 * 60,
  tamperIncidents: 0,
  ticket: null as string | null,
  ticketUrl: null as string | null,
  staff: { id: 'staff-2', name: 'Rita Alvarez' },
  customer: { id: customer.id, name: customer.name, email: customer.email },
};

/** The salon-wide switch on, and no step-up due: the server's state after a fresh sign-in. */
export const staffViewControls = {
  enabled: true,
  reason: null as string | null,
  changedAt: null as string | null,
  changedByName: null as string | null,
  stepUpRequired: false,
  stepUpMinutes: 10,
  disableReasonMinLength: 3,
  reasonMaxLength: 500,
};

export const adminFixtures: Record<string, Fixture> = {
  StaffViewControls: () => ({ staffViewControls }),
  ImpersonationPolicy: () => ({ impersonationPolicy }),
  AdminCustomers: () => ({ customers: [customer] }),
  ActiveSessions: () => ({ activeImpersonationSessions: [activeSession] }),
};
