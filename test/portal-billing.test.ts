// The customer's bills and cards: paying an invoice (tip, double payment, expired card) and
// saving or removing a payment method, each with what it refuses and the rows left as they were.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { databaseSnapshot, expectData, expectError, type PortalIds } from './factories.ts';
import type { TestApp } from './harness.ts';
import { startPortalApp, type PortalApp } from './portal-helpers.ts';

const PayInvoice = `mutation PayInvoice($id: ID!, $paymentMethodId: ID!, $tipCents: Int) {
  payInvoice(id: $id, paymentMethodId: $paymentMethodId, tipCents: $tipCents) {
    id status subtotalCents taxCents tipCents totalCents paidAt paidWith } }`;
const AddCard =
  'mutation AddCard($input: AddPaymentMethodInput!) { addPaymentMethod(input: $input) { id brand last4 expMonth expYear isDefault } }';
const RemoveCard = 'mutation RemoveCard($id: ID!) { removePaymentMethod(id: $id) }';

let app: TestApp;
let prisma: PortalApp['prisma'];
let factories: PortalApp['factories'];
let chloe: string;
let chloeIds: PortalIds;
let asChloe: PortalApp['asChloe'];
let moveClockTo: PortalApp['moveClockTo'];
let resetClock: PortalApp['resetClock'];

beforeAll(async () => {
  ({ app, prisma, factories, chloe, chloeIds, asChloe, moveClockTo, resetClock } = await startPortalApp());
});

afterAll(async () => {
  await app?.close();
});

afterEach(() => {
  resetClock();
});

describe('payInvoice', () => {
  const visa4242 = () => chloeIds.paymentMethods.find((m) => m.last4 === '4242')!.id;

  test('paying with a tip makes the total subtotal + tax + tip and records the card', async () => {
    const invoice = await factories.pendingInvoice('chloe', { subtotalCents: 8500, taxCents: 680 });

    const paid = expectData(
      await asChloe(PayInvoice, { id: invoice.id, paymentMethodId: visa4242(), tipCents: 1500 }),
    ).payInvoice;

    expect(paid).toEqual({
      id: invoice.id,
      status: 'PAID',
      subtotalCents: 8500,
      taxCents: 680,
      tipCents: 1500,
      totalCents: 8500 + 680 + 1500,
      paidAt: app.clock.now().toISOString(),
      paidWith: 'Visa •••• 4242',
    });
    expect((await prisma.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).paymentMethodId).toBe(visa4242());
  });

  test('without a tip the total is subtotal + tax', async () => {
    const invoice = await factories.pendingInvoice('chloe', { subtotalCents: 5500, taxCents: 440 });

    const paid = expectData(await asChloe(PayInvoice, { id: invoice.id, paymentMethodId: visa4242() })).payInvoice;

    expect(paid).toMatchObject({ status: 'PAID', tipCents: 0, totalCents: 5940 });
  });

  test('paying an invoice that is already PAID is refused with CONFLICT and changes nothing', async () => {
    const invoice = await factories.pendingInvoice('chloe', { subtotalCents: 4000, taxCents: 320 });
    expectData(await asChloe(PayInvoice, { id: invoice.id, paymentMethodId: visa4242(), tipCents: 100 }));
    const before = await prisma.invoice.findUniqueOrThrow({ where: { id: invoice.id } });

    expectError(await asChloe(PayInvoice, { id: invoice.id, paymentMethodId: visa4242(), tipCents: 900 }), 'CONFLICT');

    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toEqual(before);
  });

  test('two payments of one invoice sent at once: exactly one is taken, the other is CONFLICT', async () => {
    const invoice = await factories.pendingInvoice('chloe', { subtotalCents: 4000, taxCents: 320 });

    const results = await Promise.all(
      [100, 200].map((tipCents) => asChloe(PayInvoice, { id: invoice.id, paymentMethodId: visa4242(), tipCents })),
    );

    const paid = results.filter((r) => r.data?.payInvoice);
    expect(paid).toHaveLength(1);
    expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'PAID').sort()).toEqual(['CONFLICT', 'PAID']);
    const stored = await prisma.invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(stored.totalCents).toBe(paid[0]!.data.payInvoice.totalCents);
  });

  test('a negative tip is refused with BAD_USER_INPUT and the invoice stays PENDING', async () => {
    const invoice = await factories.pendingInvoice('chloe', { subtotalCents: 4000, taxCents: 320 });

    expectError(
      await asChloe(PayInvoice, { id: invoice.id, paymentMethodId: visa4242(), tipCents: -100 }),
      'BAD_USER_INPUT',
    );

    expect(await prisma.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toEqual(invoice);
  });

  test('a card that has expired since it was saved is refused with CONFLICT', async () => {
    const invoice = await factories.pendingInvoice('chloe', { subtotalCents: 4000, taxCents: 320 });
    const card = await prisma.paymentMethod.findUniqueOrThrow({ where: { id: visa4242() } });
    const token = await moveClockTo(new Date(Date.UTC(card.expYear, card.expMonth, 1)));

    expectError(await app.gql(PayInvoice, { id: invoice.id, paymentMethodId: card.id }, token), 'CONFLICT');

    expect((await prisma.invoice.findUniqueOrThrow({ where: { id: invoice.id } })).status).toBe('PENDING');
  });
});

describe('addPaymentMethod and removePaymentMethod', () => {
  const thisYear = () => app.clock.now().getUTCFullYear();

  test('a valid card keeps only brand, last 4 digits and expiry; no column anywhere holds the number', async () => {
    const result = await asChloe(AddCard, {
      input: { cardNumber: '4111 1111 1111 1111', expMonth: 9, expYear: thisYear() + 4 },
    });

    expect(expectData(result).addPaymentMethod).toMatchObject({
      brand: 'Visa',
      last4: '1111',
      expMonth: 9,
      expYear: thisYear() + 4,
    });
    const database = Object.values(await databaseSnapshot(app)).join('\n');
    expect(database).toContain(expectData(result).addPaymentMethod.id);
    for (const form of ['4111111111111111', '4111 1111 1111 1111', '411111111111'])
      expect(database).not.toContain(form);
  });

  test('a card number failing the Luhn check is refused with BAD_USER_INPUT and nothing is saved', async () => {
    const cardsBefore = await prisma.paymentMethod.count();

    const result = await asChloe(AddCard, {
      input: { cardNumber: '4111 1111 1111 1112', expMonth: 9, expYear: thisYear() + 4 },
    });

    expectError(result, 'BAD_USER_INPUT');
    expect(await prisma.paymentMethod.count()).toBe(cardsBefore);
  });

  test('an expired card is refused with CONFLICT and nothing is saved', async () => {
    const cardsBefore = await prisma.paymentMethod.count();

    const result = await asChloe(AddCard, {
      input: { cardNumber: '4111 1111 1111 1111', expMonth: 12, expYear: thisYear() - 1 },
    });

    expectError(result, 'CONFLICT');
    expect(await prisma.paymentMethod.count()).toBe(cardsBefore);
  });

  test('a card expiring at the end of the current month is still accepted', async () => {
    const now = app.clock.now();
    const result = await asChloe(AddCard, {
      input: { cardNumber: '5555 5555 5555 4444', expMonth: now.getUTCMonth() + 1, expYear: now.getUTCFullYear() },
    });
    expect(expectData(result).addPaymentMethod).toMatchObject({ brand: 'Mastercard', last4: '4444' });
  });

  test('makeDefault moves the default to the new card', async () => {
    const card = await factories.addCard(chloe, { makeDefault: true });

    const defaults = await prisma.paymentMethod.findMany({ where: { customerId: chloeIds.id, isDefault: true } });

    expect(card.isDefault).toBe(true);
    expect(defaults.map((d) => d.id)).toEqual([card.id]);
  });

  test('a customer removes their own card, and removing it again is NOT_FOUND', async () => {
    const card = await factories.addCard(chloe);

    expect(expectData(await asChloe(RemoveCard, { id: card.id })).removePaymentMethod).toBe(true);
    expect(await prisma.paymentMethod.findUnique({ where: { id: card.id } })).toBeNull();
    expectError(await asChloe(RemoveCard, { id: card.id }), 'NOT_FOUND');
  });
});
