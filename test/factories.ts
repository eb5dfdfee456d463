// Test data and assertions shared by the portal tests. Ids are looked up through the API, extra
// rows are created through the API, except invoices (no mutation creates one), which go in
// through Prisma. Booking slots come from a counter so that no two tests ever collide.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { DemoAccount, GqlResult, TestApp } from './harness.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/**
 * Config for test files that move the clock by hours with one manager sign-in: the step-up (a
 * password asked again after STEP_UP_MINUTES) is not their subject, and has its own tests
 * (test/salon-controls.test.ts).
 */
export const STEP_UP_AFTER_A_YEAR = { STEP_UP_MINUTES: 366 * 24 * 60 };

/** Fields asked for whenever a test reads an appointment. */
export const APPOINTMENT_FIELDS =
  'id startsAt endsAt status customerNotes canChange pet { id } service { id durationMinutes } groomer { id name }';

export interface AppointmentView {
  id: string;
  startsAt: string;
  endsAt: string;
  status: string;
  customerNotes: string | null;
  canChange: boolean;
  pet: { id: string };
  service: { id: string; durationMinutes: number };
  groomer: { id: string; name: string } | null;
}

export interface PortalIds {
  id: string;
  pets: { id: string; name: string }[];
  appointments: { id: string; status: string; startsAt: string; pet: { id: string } }[];
  invoices: { id: string; status: string; number: string }[];
  paymentMethods: { id: string; last4: string; brand: string }[];
  messages: { id: string }[];
}

/** Asserts that the operation failed with this code (and reason), showing the whole result if not. */
export function expectError(result: GqlResult, code: string, reason?: string) {
  const extensions = result.errors?.[0]?.extensions;
  expect(extensions, JSON.stringify(result)).toMatchObject(reason ? { code, reason } : { code });
}

/** Asserts that the operation succeeded, showing the errors if not, and returns its data. */
export function expectData<T>(result: GqlResult<T>): T {
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

/** A date as the `Date` scalar writes it (YYYY-MM-DD, UTC). */
export const dateOnly = (instant: Date) => instant.toISOString().slice(0, 10);

export function portalFactories(app: TestApp) {
  const slotBase = Math.ceil((app.clock.now().getTime() + 200 * DAY) / HOUR) * HOUR;
  let slots = 0;
  let sequence = 0;

  const nextSlot = (): Date => {
    slots += 1;
    return new Date(slotBase + slots * 6 * HOUR);
  };

  async function service(name: string): Promise<{ id: string; durationMinutes: number; basePriceCents: number }> {
    const result = await app.gql<{
      services: { id: string; name: string; durationMinutes: number; basePriceCents: number }[];
    }>('{ services { id name durationMinutes basePriceCents } }');
    const found = expectData(result).services.find((s) => s.name === name);
    if (!found) throw new Error(`no service ${name}`);
    return found;
  }

  function tryBook(
    token: string,
    input: { petId: string; serviceId: string; startsAt: Date; groomerId?: string; customerNotes?: string },
  ): Promise<GqlResult<{ bookAppointment: AppointmentView }>> {
    return app.gql(
      `mutation Book($input: BookAppointmentInput!) { bookAppointment(input: $input) { ${APPOINTMENT_FIELDS} } }`,
      { input: { ...input, startsAt: input.startsAt.toISOString() } },
      token,
    );
  }

  return {
    /**
     * A future start time no other call returns: 200 days ahead, six hours apart, far from the
     * seeded appointments (at most 18 days ahead) and from each other.
     */
    nextSlot,
    service,
    tryBook,

    /** The customer's own ids, read through `me`. */
    async me(token: string): Promise<PortalIds> {
      const result = await app.gql<{ me: PortalIds }>(
        `{ me { id
            pets { id name }
            appointments { id status startsAt pet { id } }
            invoices { id status number }
            paymentMethods { id last4 brand }
            messages { id } } }`,
        {},
        token,
      );
      return expectData(result).me;
    },

    async groomer(token: string, name: string): Promise<{ id: string; name: string }> {
      const result = await app.gql<{ groomers: { id: string; name: string }[] }>('{ groomers { id name } }', {}, token);
      const groomer = expectData(result).groomers.find((g) => g.name === name);
      if (!groomer) throw new Error(`no groomer ${name}`);
      return groomer;
    },

    async addPet(token: string, input: Record<string, unknown> = {}): Promise<{ id: string; name: string }> {
      sequence += 1;
      const result = await app.gql<{ addPet: { id: string; name: string } }>(
        'mutation AddPet($input: AddPetInput!) { addPet(input: $input) { id name } }',
        { input: { name: `Test pet ${sequence}`, species: 'Dog', size: 'SMALL', ...input } },
        token,
      );
      return expectData(result).addPet;
    },

    /** Books through the API; `startsAt` defaults to a fresh slot, `serviceId` to Bath & Brush. */
    async book(
      token: string,
      input: { petId: string; serviceId?: string; startsAt?: Date; groomerId?: string; customerNotes?: string },
    ): Promise<AppointmentView> {
      const serviceId = input.serviceId ?? (await service('Bath & Brush')).id;
      const result = await tryBook(token, { ...input, serviceId, startsAt: input.startsAt ?? nextSlot() });
      return expectData(result).bookAppointment;
    },

    async addCard(
      token: string,
      input: Record<string, unknown> = {},
    ): Promise<{ id: string; last4: string; brand: string; isDefault: boolean }> {
      const result = await app.gql<{
        addPaymentMethod: { id: string; last4: string; brand: string; isDefault: boolean };
      }>(
        'mutation AddCard($input: AddPaymentMethodInput!) { addPaymentMethod(input: $input) { id last4 brand isDefault } }',
        {
          input: {
            cardNumber: '4111 1111 1111 1111',
            expMonth: 12,
            expYear: app.clock.now().getUTCFullYear() + 3,
            ...input,
          },
        },
        token,
      );
      return expectData(result).addPaymentMethod;
    },

    /** A PENDING invoice for the customer of `account` (no mutation issues invoices, so Prisma does). */
    async pendingInvoice(account: DemoAccount, amounts: { subtotalCents: number; taxCents: number }) {
      const customer = await app.services.prisma.customer.findUniqueOrThrow({
        where: { email: `${account}@example.test` },
      });
      return app.services.prisma.invoice.create({
        data: {
          number: `TEST-${randomBytes(4).toString('hex')}`,
          customerId: customer.id,
          subtotalCents: amounts.subtotalCents,
          taxCents: amounts.taxCents,
          tipCents: 0,
          totalCents: amounts.subtotalCents + amounts.taxCents,
          status: 'PENDING',
          issuedAt: app.clock.now(),
        },
      });
    },
  };
}

/** Every table of the test database, each as one text value, to compare before and after. */
export async function databaseSnapshot(
  app: TestApp,
  except: string[] = [],
  /** Per table, an SQL condition on the rows kept (e.g. the outbox's rows not about an alert). */
  only: Record<string, string> = {},
): Promise<Record<string, string>> {
  // Notices of session starts and ends are delivered in the background: let them land first.
  await app.app.notifications()?.drain();
  // A partition's rows are its table's (the audit log's months, migration 0022).
  const { rows: tables } = await app.services.pool.query<{ table_name: string }>(
    `SELECT relname AS table_name FROM pg_class
      WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p') AND NOT relispartition
      ORDER BY relname`,
  );
  const snapshot: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    if (except.includes(table)) continue;
    const { rows } = await app.services.pool.query<{ dump: string | null }>(
      `SELECT string_agg(t::text, E'\\n' ORDER BY t::text) AS dump FROM "${table}" t WHERE ${only[table] ?? 'true'}`,
    );
    snapshot[table] = rows[0]?.dump ?? '';
  }
  return snapshot;
}
