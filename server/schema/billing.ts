// Invoices and saved payment methods. Only brand, last 4 digits and expiry are ever stored: the
// card number is checked (Luhn, brand) and dropped; the audit log redacts it (see audit/redact.ts).
import { z } from 'zod';
import { conflict, notFound } from '../errors.ts';
import { builder } from './builder.ts';
import { InvoiceStatusEnum } from './enums.ts';
import { portalType } from './portal-read.ts';
import { sensitive } from './sensitive.ts';
import { MaskKind, sensitiveForStaff } from './staff-masks.ts';

builder.prismaObject('PaymentMethod', {
  ...portalType,
  fields: (t) => ({
    id: t.exposeID('id'),
    brand: t.exposeString('brand'),
    last4: t.exposeString('last4', sensitiveForStaff('CARD_LAST4', MaskKind.Digits)),
    expMonth: t.exposeInt('expMonth', sensitiveForStaff('CARD_EXPIRY', MaskKind.Number)),
    expYear: t.exposeInt('expYear', sensitiveForStaff('CARD_EXPIRY', MaskKind.Number)),
    isDefault: t.exposeBoolean('isDefault'),
  }),
});

builder.prismaObject('Invoice', {
  ...portalType,
  fields: (t) => ({
    id: t.exposeID('id'),
    number: t.exposeString('number'),
    subtotalCents: t.exposeInt('subtotalCents'),
    taxCents: t.exposeInt('taxCents'),
    tipCents: t.exposeInt('tipCents'),
    totalCents: t.exposeInt('totalCents'),
    status: t.expose('status', { type: InvoiceStatusEnum }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime' }),
    paidAt: t.expose('paidAt', { type: 'DateTime', nullable: true }),
    paidWith: t.exposeString('paidWith', {
      nullable: true,
      ...sensitiveForStaff('INVOICE_PAID_WITH', MaskKind.Digits),
    }),
    appointment: t.relation('appointment', { nullable: true }),
  }),
});

/** Luhn checksum: catches mistyped card numbers before they reach a processor. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The card brand from its leading digits, or null when unknown. */
export function cardBrand(digits: string): string | null {
  if (/^4/.test(digits)) return 'Visa';
  if (/^(5[1-5]|2[2-7])/.test(digits)) return 'Mastercard';
  if (/^3[47]/.test(digits)) return 'American Express';
  if (/^6(011|5)/.test(digits)) return 'Discover';
  return null;
}

const AddPaymentMethodInput = builder.inputType('AddPaymentMethodInput', {
  fields: (t) => ({
    cardNumber: t.string({
      required: true,
      description: 'Used to derive brand and last 4 digits; never stored.',
      ...sensitive,
      validate: z
        .string()
        .transform((value) => value.replace(/[\s-]/g, ''))
        .pipe(z.string().regex(/^\d{12,19}$/, '12 to 19 digits'))
        .refine(luhnValid, 'not a valid card number')
        .refine((digits) => cardBrand(digits) !== null, 'card brand not accepted'),
    }),
    expMonth: t.int({ required: true, validate: z.number().int().min(1).max(12) }),
    expYear: t.int({ required: true, validate: z.number().int().min(2000).max(2100) }),
    makeDefault: t.boolean({ required: false }),
  }),
});

builder.mutationFields((t) => ({
  payInvoice: t.withAuth({ customer: true }).prismaField({
    type: 'Invoice',
    args: {
      id: t.arg.id({ required: true }),
      paymentMethodId: t.arg.id({ required: true }),
      tipCents: t.arg.int({ required: false, defaultValue: 0, validate: z.number().int().min(0).max(100_000) }),
    },
    resolve: async (query, _root, { id, paymentMethodId, tipCents }, ctx) => {
      const customerId = ctx.customer.id;
      const [invoice, method] = await Promise.all([
        ctx.prisma.invoice.findFirst({ where: { id: String(id), customerId } }),
        ctx.prisma.paymentMethod.findFirst({ where: { id: String(paymentMethodId), customerId } }),
      ]);
      if (!invoice) throw notFound('Invoice');
      if (!method) throw notFound('Payment method');
      if (invoice.status !== 'PENDING')
        throw conflict(`Invoice is ${invoice.status.toLowerCase()}, not payable`, { status: invoice.status });
      const now = ctx.clock.now();
      const expiry = new Date(Date.UTC(method.expYear, method.expMonth, 1));
      if (expiry <= now) throw conflict('The card has expired');
      const tip = tipCents ?? 0;
      // Guarded on status so two concurrent payments cannot both succeed.
      const { count } = await ctx.prisma.invoice.updateMany({
        where: { id: invoice.id, status: 'PENDING' },
        data: {
          status: 'PAID',
          tipCents: tip,
          totalCents: invoice.subtotalCents + invoice.taxCents + tip,
          paidAt: now,
          paymentMethodId: method.id,
          paidWith: `${method.brand} •••• ${method.last4}`,
        },
      });
      if (count === 0) throw conflict('Invoice was paid meanwhile');
      return ctx.prisma.invoice.findUniqueOrThrow({ ...query, where: { id: invoice.id } });
    },
  }),
  addPaymentMethod: t.withAuth({ customer: true }).prismaField({
    type: 'PaymentMethod',
    args: { input: t.arg({ type: AddPaymentMethodInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const now = ctx.clock.now();
      if (new Date(Date.UTC(input.expYear, input.expMonth, 1)) <= now) throw conflict('The card has expired');
      const customerId = ctx.customer.id;
      const existing = await ctx.prisma.paymentMethod.count({ where: { customerId } });
      const isDefault = existing === 0 || input.makeDefault === true;
      const create = ctx.prisma.paymentMethod.create({
        ...query,
        data: {
          customerId,
          brand: cardBrand(input.cardNumber)!,
          last4: input.cardNumber.slice(-4),
          expMonth: input.expMonth,
          expYear: input.expYear,
          isDefault,
        },
      });
      if (!isDefault) return create;
      const [, method] = await ctx.prisma.$transaction([
        ctx.prisma.paymentMethod.updateMany({ where: { customerId, isDefault: true }, data: { isDefault: false } }),
        create,
      ]);
      return method;
    },
  }),
  removePaymentMethod: t.withAuth({ customer: true }).boolean({
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const { count } = await ctx.prisma.paymentMethod.deleteMany({
        where: { id: String(id), customerId: ctx.customer.id },
      });
      if (count === 0) throw notFound('Payment method');
      return true;
    },
  }),
}));
