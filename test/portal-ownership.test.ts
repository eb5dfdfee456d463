// A customer only ever reads and changes their own data: every mutation that takes an id answers
// another customer's id with NOT_FOUND, exactly as for an id that does not exist, and writes nothing.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { databaseSnapshot, expectData, expectError, portalFactories, type PortalIds } from './factories.ts';
import { startTestApp, type TestApp } from './harness.ts';

let app: TestApp;
let chloe: string;
let chloeIds: PortalIds;
let danIds: PortalIds;
let factories: ReturnType<typeof portalFactories>;
let serviceId: string;

beforeAll(async () => {
  app = await startTestApp();
  factories = portalFactories(app);
  chloe = await app.signIn('chloe');
  chloeIds = await factories.me(chloe);
  danIds = await factories.me(await app.signIn('dan'));
  serviceId = (await factories.service('Bath & Brush')).id;
});

afterAll(async () => {
  await app?.close();
});

const danOpenAppointment = () => {
  const appointment = danIds.appointments.find(
    (a) => a.status === 'SCHEDULED' && new Date(a.startsAt) > app.clock.now(),
  );
  if (!appointment) throw new Error('seed: dan has no upcoming scheduled appointment');
  return appointment.id;
};
const pendingInvoice = (ids: PortalIds) => ids.invoices.find((i) => i.status === 'PENDING')!.id;

interface OwnershipCase {
  mutation: string;
  document: string;
  /** The variables naming dan's row; `id` is the one swapped for a made-up id in the oracle test. */
  variables: () => Record<string, unknown>;
  /** The rows the mutation would change, read through Prisma. */
  rows: () => Promise<unknown>;
}

const prisma = () => app.services.prisma;

const cases: OwnershipCase[] = [
  {
    mutation: 'updatePet',
    document: 'mutation ($id: ID!) { updatePet(id: $id, input: { name: "Stolen", weightKg: 1 }) { id name } }',
    variables: () => ({ id: danIds.pets[0]!.id }),
    rows: () => prisma().pet.findUnique({ where: { id: danIds.pets[0]!.id } }),
  },
  {
    mutation: 'rescheduleAppointment',
    document:
      'mutation ($id: ID!, $startsAt: DateTime!) { rescheduleAppointment(id: $id, startsAt: $startsAt) { id } }',
    variables: () => ({ id: danOpenAppointment(), startsAt: factories.nextSlot().toISOString() }),
    rows: () => prisma().appointment.findUnique({ where: { id: danOpenAppointment() } }),
  },
  {
    mutation: 'cancelAppointment',
    document: 'mutation ($id: ID!) { cancelAppointment(id: $id) { id status } }',
    variables: () => ({ id: danOpenAppointment() }),
    rows: () => prisma().appointment.findUnique({ where: { id: danOpenAppointment() } }),
  },
  {
    mutation: 'confirmAppointment',
    document: 'mutation ($id: ID!) { confirmAppointment(id: $id) { id status } }',
    variables: () => ({ id: danOpenAppointment() }),
    rows: () => prisma().appointment.findUnique({ where: { id: danOpenAppointment() } }),
  },
  {
    mutation: 'updateAppointmentNotes',
    document: 'mutation ($id: ID!) { updateAppointmentNotes(id: $id, notes: "Chloe was here") { id customerNotes } }',
    variables: () => ({ id: danOpenAppointment() }),
    rows: () => prisma().appointment.findUnique({ where: { id: danOpenAppointment() } }),
  },
  {
    mutation: 'payInvoice (dan’s invoice, chloe’s card)',
    document:
      'mutation ($id: ID!, $card: ID!) { payInvoice(id: $id, paymentMethodId: $card, tipCents: 500) { id status } }',
    variables: () => ({ id: pendingInvoice(danIds), card: chloeIds.paymentMethods[0]!.id }),
    rows: () => prisma().invoice.findUnique({ where: { id: pendingInvoice(danIds) } }),
  },
  {
    mutation: 'payInvoice (chloe’s invoice, dan’s card)',
    document:
      'mutation ($id: ID!, $invoice: ID!) { payInvoice(id: $invoice, paymentMethodId: $id, tipCents: 500) { id status } }',
    variables: () => ({ id: danIds.paymentMethods[0]!.id, invoice: pendingInvoice(chloeIds) }),
    rows: async () => [
      await prisma().invoice.findUnique({ where: { id: pendingInvoice(chloeIds) } }),
      await prisma().paymentMethod.findUnique({ where: { id: danIds.paymentMethods[0]!.id } }),
    ],
  },
  {
    mutation: 'removePaymentMethod',
    document: 'mutation ($id: ID!) { removePaymentMethod(id: $id) }',
    variables: () => ({ id: danIds.paymentMethods[0]!.id }),
    rows: () => prisma().paymentMethod.findUnique({ where: { id: danIds.paymentMethods[0]!.id } }),
  },
  {
    mutation: 'bookAppointment (dan’s pet)',
    document: `mutation ($id: ID!, $serviceId: ID!, $startsAt: DateTime!) {
      bookAppointment(input: { petId: $id, serviceId: $serviceId, startsAt: $startsAt }) { id } }`,
    variables: () => ({ id: danIds.pets[0]!.id, serviceId, startsAt: factories.nextSlot().toISOString() }),
    rows: () => prisma().appointment.findMany({ where: { petId: danIds.pets[0]!.id }, orderBy: { id: 'asc' } }),
  },
];

describe('mutations given another customer’s ids', () => {
  test.each(cases)(
    '$mutation with dan’s id is NOT_FOUND for chloe and changes no row',
    async ({ document, variables, rows }) => {
      const rowsBefore = await rows();
      const databaseBefore = await databaseSnapshot(app, ['AuditEvent', 'AuditCheckpoint', 'AuditChainHead']);

      const result = await app.gql(document, variables(), chloe);

      expectError(result, 'NOT_FOUND');
      expect(rowsBefore).not.toBeNull();
      expect(await rows()).toEqual(rowsBefore);
      expect(await databaseSnapshot(app, ['AuditEvent', 'AuditCheckpoint', 'AuditChainHead'])).toEqual(databaseBefore);
    },
  );

  test.each(cases)(
    '$mutation answers dan’s id exactly as an id that does not exist',
    async ({ document, variables }) => {
      const real = variables();
      const withDansId = await app.gql(document, real, chloe);
      const withMadeUpId = await app.gql(document, { ...real, id: 'cl0000000000000000000000' }, chloe);

      expectError(withDansId, 'NOT_FOUND');
      expect(withDansId.errors![0]!.message).toBe(withMadeUpId.errors![0]!.message);
      expect(withDansId.errors![0]!.extensions).toEqual(withMadeUpId.errors![0]!.extensions);
    },
  );
});

describe('what chloe reads', () => {
  test('me returns only chloe’s own pets, appointments, invoices, cards and messages', async () => {
    const chloeId = chloeIds.id;
    const ids = <T extends { id: string }>(rows: T[]) => rows.map((row) => row.id).sort();
    const [pets, appointments, invoices, paymentMethods, messages] = await Promise.all([
      prisma().pet.findMany({ where: { customerId: chloeId } }),
      prisma().appointment.findMany({ where: { customerId: chloeId } }),
      prisma().invoice.findMany({ where: { customerId: chloeId } }),
      prisma().paymentMethod.findMany({ where: { customerId: chloeId } }),
      prisma().message.findMany({ where: { customerId: chloeId } }),
    ]);

    const me = await factories.me(chloe);

    expect(pets.length).toBeGreaterThan(0);
    expect(ids(me.pets)).toEqual(ids(pets));
    expect(ids(me.appointments)).toEqual(ids(appointments));
    expect(ids(me.invoices)).toEqual(ids(invoices));
    expect(ids(me.paymentMethods)).toEqual(ids(paymentMethods));
    expect(ids(me.messages)).toEqual(ids(messages));
  });

  test('nothing reachable from chloe’s me or report cards carries one of dan’s ids', async () => {
    const danOwnIds = [
      danIds.id,
      ...danIds.pets.map((p) => p.id),
      ...danIds.appointments.map((a) => a.id),
      ...danIds.invoices.map((i) => i.id),
      ...danIds.paymentMethods.map((m) => m.id),
      ...danIds.messages.map((m) => m.id),
    ];
    const result = await app.gql(
      `{ me { id pets { id appointments { id invoice { id } reportCard { id } } }
               appointments { id pet { id } invoice { id } }
               invoices { id appointment { id pet { id } } } }
         reportCards { id appointment { id pet { id } } } }`,
      {},
      chloe,
    );
    const body = JSON.stringify(expectData(result));

    expect(danOwnIds.length).toBeGreaterThan(10);
    for (const id of danOwnIds) expect(body).not.toContain(id);
  });

  test('report cards are only those of chloe’s own appointments', async () => {
    const result = await app.gql<{ reportCards: { appointment: { id: string } }[] }>(
      '{ reportCards { appointment { id } } }',
      {},
      chloe,
    );
    const appointmentIds = expectData(result).reportCards.map((card) => card.appointment.id);
    const owners = await prisma().appointment.findMany({
      where: { id: { in: appointmentIds } },
      select: { customerId: true },
    });

    expect(appointmentIds.length).toBeGreaterThan(0);
    expect(new Set(owners.map((o) => o.customerId))).toEqual(new Set([chloeIds.id]));
  });
});
