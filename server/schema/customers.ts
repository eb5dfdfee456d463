// The customer: the portal's root (`me`), the staff directory of customers, profile and password
// (notification preferences: notification-preferences.ts).
import { AuditAction } from '@prisma/client';
import { z } from 'zod';
import { setCustomerStatus } from '../access/staff-changes.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { SignInEndReason, announceSignInsEnded, markSignInsRevoked } from '../auth/sign-ins.ts';
import { ErrorReason, badInput } from '../errors.ts';
import { profileTimeZone } from '../notifications/customer-texts.ts';
import { builder } from './builder.ts';
import { CustomerStatusEnum } from './enums.ts';
import { portalType } from './portal-read.ts';
import { sensitive } from './sensitive.ts';
import { MaskKind, sensitiveForStaff } from './staff-masks.ts';

/** A customer: profile, and the portal reached from `me`. */
export const Customer = builder.prismaObject('Customer', {
  ...portalType,
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    phone: t.exposeString('phone', { nullable: true }),
    address: t.exposeString('address', { nullable: true, ...sensitiveForStaff('CUSTOMER_ADDRESS', MaskKind.Text) }),
    timeZone: t.exposeString('timeZone', {
      nullable: true,
      description: 'IANA time zone her notices are written in; null: the salon’s (or UTC). Set from her browser.',
    }),
    status: t.expose('status', { type: CustomerStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    pets: t.relation('pets', { query: { orderBy: { name: 'asc' } } }),
    appointments: t.relation('appointments', {
      args: {
        upcoming: t.arg.boolean({ required: false, description: 'true: not yet started; false: started or past' }),
      },
      query: (args, ctx) => {
        const now = ctx.clock.now();
        if (args.upcoming === true) return { where: { startsAt: { gt: now } }, orderBy: { startsAt: 'asc' } };
        if (args.upcoming === false) return { where: { startsAt: { lte: now } }, orderBy: { startsAt: 'desc' } };
        return { orderBy: { startsAt: 'desc' } };
      },
    }),
    invoices: t.relation('invoices', { query: { orderBy: { issuedAt: 'desc' } } }),
    paymentMethods: t.relation('paymentMethods', { query: { orderBy: { createdAt: 'asc' } } }),
    messages: t.relation('messages', { query: { orderBy: [{ sentAt: 'asc' }, { id: 'asc' }] } }),
  }),
});

/** What staff see of a customer outside a staff view (SPEC 2): enough to find the right person. */
export const CustomerDirectoryEntry = builder.prismaObject('Customer', {
  variant: 'CustomerDirectoryEntry',
  description: 'A customer as the staff directory shows them: no portal data.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    phone: t.exposeString('phone', { nullable: true }),
    status: t.expose('status', { type: CustomerStatusEnum }),
    petNames: t.stringList({
      select: { pets: { select: { name: true }, orderBy: { name: 'asc' } } },
      resolve: (customer) => customer.pets.map((pet) => pet.name),
    }),
  }),
});

/** Escapes LIKE wildcards so a search for "%" or "_" matches those characters only. */
const likeLiteral = (term: string) => term.replace(/[\\%_]/g, '\\$&');

const matching = (term: string) => ({
  OR: [
    { name: { contains: term, mode: 'insensitive' as const } },
    { email: { contains: term, mode: 'insensitive' as const } },
    { phone: { contains: term } },
  ],
});

builder.queryFields((t) => ({
  me: t.withAuth({ customer: true }).prismaField({
    type: Customer,
    description: 'The signed-in customer, or the customer being viewed under impersonation.',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.customer.findUniqueOrThrow({ ...query, where: { id: ctx.customer.id } }),
  }),
  customers: t.withAuth({ staff: true }).prismaField({
    type: [CustomerDirectoryEntry],
    description: 'Staff directory of customers, searched by name, email or phone. Each search is audited.',
    extensions: { auditAs: AuditAction.DIRECTORY_SEARCH },
    args: { search: t.arg.string({ required: false }) },
    resolve: async (query, _root, { search }, ctx) => {
      // Every read counts, with a search or without: each hands out up to 100 customers' details.
      await ctx.rateLimits.directorySearch(ctx.actor.id);
      return ctx.prisma.customer.findMany({
        ...query,
        where: search?.trim() ? matching(likeLiteral(search.trim())) : undefined,
        orderBy: { name: 'asc' },
        take: 100,
      });
    },
  }),
}));

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  fields: (t) => ({
    name: t.string({ required: false, validate: z.string().trim().min(1) }),
    phone: t.string({
      required: false,
      validate: z
        .string()
        .trim()
        .regex(/^[+0-9 ()-]*$/, 'digits, spaces, + ( ) - only'),
    }),
    address: t.string({ required: false, validate: z.string().trim() }),
    timeZone: t.string({
      required: false,
      description: 'An IANA time zone (Intl.supportedValuesOf), e.g. America/Los_Angeles; empty clears it.',
      validate: profileTimeZone,
    }),
  }),
});

builder.mutationFields((t) => ({
  updateProfile: t.withAuth({ customer: true }).prismaField({
    type: Customer,
    args: { input: t.arg({ type: UpdateProfileInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      ctx.prisma.customer.update({
        ...query,
        where: { id: ctx.customer.id },
        data: {
          name: input.name ?? undefined,
          phone: input.phone === undefined ? undefined : input.phone || null,
          address: input.address === undefined ? undefined : input.address || null,
          timeZone: input.timeZone === undefined ? undefined : input.timeZone || null,
        },
      }),
  }),
  changePassword: t.withAuth({ customer: true }).boolean({
    description: 'Changes the password and signs out every other session of this customer.',
    args: {
      currentPassword: t.arg.string({ required: true, ...sensitive }),
      newPassword: t.arg.string({
        required: true,
        validate: z.string().min(10, 'at least 10 characters'),
        ...sensitive,
      }),
    },
    resolve: async (_root, { currentPassword, newPassword }, ctx) => {
      const customer = await ctx.prisma.customer.findUniqueOrThrow({ where: { id: ctx.customer.id } });
      if (!(await verifyPassword(currentPassword, customer.passwordHash))) {
        throw badInput('Current password is incorrect', { reason: ErrorReason.InvalidCredentials });
      }
      if (currentPassword === newPassword) throw badInput('newPassword: must differ from the current password');
      const passwordHash = await hashPassword(newPassword);
      const revoked = await ctx.prisma.$transaction(async (tx) => {
        await tx.customer.update({ where: { id: customer.id }, data: { passwordHash } });
        const others = { customerId: customer.id, kind: 'CUSTOMER' as const, id: { not: ctx.authSession?.id } };
        return markSignInsRevoked(tx, others, ctx.clock.now());
      });
      announceSignInsEnded(ctx.pubsub, revoked, SignInEndReason.PasswordChanged);
      return true;
    },
  }),
}));

builder.mutationFields((t) => ({
  setCustomerStatus: t.withAuth({ manager: true }).prismaField({
    type: CustomerDirectoryEntry,
    description: 'Disabling a customer signs them out and ends every session viewing them.',
    args: { customerId: t.arg.id({ required: true }), status: t.arg({ type: CustomerStatusEnum, required: true }) },
    resolve: async (query, _root, { customerId, status }, ctx) => {
      const customer = await setCustomerStatus(ctx, String(customerId), status);
      return ctx.prisma.customer.findUniqueOrThrow({ ...query, where: { id: customer.id } });
    },
  }),
}));
