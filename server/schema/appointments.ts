// Services, appointments and report cards: the customer books, reschedules, confirms, cancels
// and annotates their own appointments; every rule about time reads the database clock.
import type { Appointment, Prisma, PrismaClient } from '@prisma/client';
import { z } from 'zod';
import { AdvisoryLock } from '../db/locks.ts';
import { badInput, conflict, notFound } from '../errors.ts';
import { builder } from './builder.ts';
import { AppointmentStatusEnum } from './enums.ts';
import { portalType } from './portal-read.ts';

/** The longest customer note on an appointment (SPEC 1). */
export const NOTES_MAX_LENGTH = 500;
const MAX_BOOKING_AHEAD_DAYS = 365;
const OPEN_STATUSES = ['SCHEDULED', 'CONFIRMED'] as const;

builder.prismaObject('Service', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    basePriceCents: t.exposeInt('basePriceCents'),
    durationMinutes: t.exposeInt('durationMinutes'),
    isAddOn: t.exposeBoolean('isAddOn'),
  }),
});

builder.prismaObject('ReportCard', {
  ...portalType,
  fields: (t) => ({
    id: t.exposeID('id'),
    mood: t.exposeString('mood'),
    conditionNotes: t.exposeString('conditionNotes'),
    nextRecommendedDate: t.expose('nextRecommendedDate', { type: 'Date', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    appointment: t.relation('appointment'),
  }),
});

/** An appointment: pet, service, groomer, times, status and notes. */
export const AppointmentRef = builder.prismaObject('Appointment', {
  ...portalType,
  fields: (t) => ({
    id: t.exposeID('id'),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    status: t.expose('status', { type: AppointmentStatusEnum }),
    customerNotes: t.exposeString('customerNotes', { nullable: true }),
    pet: t.relation('pet'),
    service: t.relation('service'),
    groomer: t.relation('groomer', { nullable: true }),
    reportCard: t.relation('reportCard', { nullable: true }),
    invoice: t.relation('invoice', { nullable: true }),
    canChange: t.boolean({
      description: 'Whether the customer may still reschedule, cancel or edit notes.',
      select: { status: true, startsAt: true },
      resolve: (appointment, _args, ctx) => isOpen(appointment, ctx.clock.now()),
    }),
  }),
});

builder.queryFields((t) => ({
  services: t.prismaField({
    type: ['Service'],
    description: 'The salon’s bookable services, public.',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.service.findMany({
        ...query,
        where: { active: true },
        orderBy: [{ isAddOn: 'asc' }, { name: 'asc' }],
      }),
  }),
  reportCards: t.withAuth({ customer: true }).prismaField({
    type: ['ReportCard'],
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.reportCard.findMany({
        ...query,
        where: { appointment: { customerId: ctx.customer.id } },
        orderBy: { appointment: { startsAt: 'desc' } },
      }),
  }),
}));

function isOpen(appointment: Pick<Appointment, 'status' | 'startsAt'>, now: Date): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(appointment.status) && appointment.startsAt > now;
}

async function ownedAppointment(prisma: PrismaClient, id: string | number, customerId: string) {
  const appointment = await prisma.appointment.findFirst({
    where: { id: String(id), customerId },
    include: { service: true },
  });
  if (!appointment) throw notFound('Appointment');
  return appointment;
}

function assertOpen(appointment: Appointment, now: Date, action: string) {
  if (!isOpen(appointment, now)) {
    throw conflict(
      `Cannot ${action}: the appointment is ${appointment.status.toLowerCase()}${appointment.startsAt <= now ? ' and has started' : ''}`,
      {
        status: appointment.status,
      },
    );
  }
}

function assertBookableStart(startsAt: Date, now: Date) {
  if (startsAt <= now) throw badInput('startsAt: must be in the future');
  if (startsAt.getTime() - now.getTime() > MAX_BOOKING_AHEAD_DAYS * 86_400_000) {
    throw badInput(`startsAt: at most ${MAX_BOOKING_AHEAD_DAYS} days ahead`);
  }
}

/** Serializes booking writes so two requests cannot both take one free slot. */
function withSlotLock<T>(prisma: PrismaClient, write: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(${AdvisoryLock.AppointmentSlots}::bigint)::text AS locked`;
    return write(tx);
  });
}

/** Refuses a slot that overlaps another open appointment of the same groomer or pet. */
async function assertSlotFree(
  prisma: Prisma.TransactionClient,
  slot: { startsAt: Date; endsAt: Date; groomerId: string; petId: string; excludeId?: string },
) {
  const clash = await prisma.appointment.findFirst({
    where: {
      id: slot.excludeId ? { not: slot.excludeId } : undefined,
      status: { in: [...OPEN_STATUSES, 'IN_PROGRESS'] },
      startsAt: { lt: slot.endsAt },
      endsAt: { gt: slot.startsAt },
      OR: [{ groomerId: slot.groomerId }, { petId: slot.petId }],
    },
    select: { petId: true },
  });
  if (clash) {
    throw conflict(
      clash.petId === slot.petId
        ? 'The pet already has an appointment at that time'
        : 'The groomer is not free at that time',
    );
  }
}

const notes = z.string().trim().max(NOTES_MAX_LENGTH, `at most ${NOTES_MAX_LENGTH} characters`);

const BookAppointmentInput = builder.inputType('BookAppointmentInput', {
  fields: (t) => ({
    petId: t.id({ required: true }),
    serviceId: t.id({ required: true }),
    startsAt: t.field({ type: 'DateTime', required: true }),
    groomerId: t.id({ required: false, description: 'Omit to let the salon pick a free groomer.' }),
    customerNotes: t.string({ required: false, validate: notes }),
  }),
});

builder.mutationFields((t) => ({
  bookAppointment: t.withAuth({ customer: true }).prismaField({
    type: AppointmentRef,
    args: { input: t.arg({ type: BookAppointmentInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const now = ctx.clock.now();
      assertBookableStart(input.startsAt, now);
      const customerId = ctx.customer.id;
      const [pet, service] = await Promise.all([
        ctx.prisma.pet.findFirst({ where: { id: String(input.petId), customerId }, select: { id: true } }),
        ctx.prisma.service.findFirst({ where: { id: String(input.serviceId), active: true } }),
      ]);
      if (!pet) throw notFound('Pet');
      if (!service) throw notFound('Service');
      const endsAt = new Date(input.startsAt.getTime() + service.durationMinutes * 60_000);
      const groomers = await ctx.prisma.staff.findMany({
        where: { role: 'GROOMER', active: true, id: input.groomerId ? String(input.groomerId) : undefined },
        orderBy: { name: 'asc' },
        select: { id: true },
      });
      if (input.groomerId && groomers.length === 0) throw notFound('Groomer');
      return withSlotLock(ctx.prisma, async (tx) => {
        let lastError: unknown = conflict('No groomer is free at that time');
        for (const groomer of groomers) {
          try {
            await assertSlotFree(tx, { startsAt: input.startsAt, endsAt, groomerId: groomer.id, petId: pet.id });
          } catch (error) {
            lastError = error;
            continue;
          }
          return tx.appointment.create({
            ...query,
            data: {
              customerId,
              petId: pet.id,
              serviceId: service.id,
              groomerId: groomer.id,
              startsAt: input.startsAt,
              endsAt,
              customerNotes: input.customerNotes || null,
            },
          });
        }
        throw lastError;
      });
    },
  }),
  rescheduleAppointment: t.withAuth({ customer: true }).prismaField({
    type: AppointmentRef,
    description: 'Moves an open appointment; it goes back to SCHEDULED and needs confirming again.',
    args: { id: t.arg.id({ required: true }), startsAt: t.arg({ type: 'DateTime', required: true }) },
    resolve: async (query, _root, { id, startsAt }, ctx) => {
      const now = ctx.clock.now();
      const appointment = await ownedAppointment(ctx.prisma, id, ctx.customer.id);
      assertOpen(appointment, now, 'reschedule');
      assertBookableStart(startsAt, now);
      const endsAt = new Date(startsAt.getTime() + appointment.service.durationMinutes * 60_000);
      return withSlotLock(ctx.prisma, async (tx) => {
        await assertSlotFree(tx, {
          startsAt,
          endsAt,
          groomerId: appointment.groomerId ?? '',
          petId: appointment.petId,
          excludeId: appointment.id,
        });
        return tx.appointment.update({
          ...query,
          where: { id: appointment.id },
          data: { startsAt, endsAt, status: 'SCHEDULED' },
        });
      });
    },
  }),
  cancelAppointment: t.withAuth({ customer: true }).prismaField({
    type: AppointmentRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const appointment = await ownedAppointment(ctx.prisma, id, ctx.customer.id);
      assertOpen(appointment, ctx.clock.now(), 'cancel');
      return ctx.prisma.appointment.update({ ...query, where: { id: appointment.id }, data: { status: 'CANCELLED' } });
    },
  }),
  confirmAppointment: t.withAuth({ customer: true }).prismaField({
    type: AppointmentRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, { id }, ctx) => {
      const appointment = await ownedAppointment(ctx.prisma, id, ctx.customer.id);
      assertOpen(appointment, ctx.clock.now(), 'confirm');
      if (appointment.status === 'CONFIRMED') throw conflict('The appointment is already confirmed');
      return ctx.prisma.appointment.update({ ...query, where: { id: appointment.id }, data: { status: 'CONFIRMED' } });
    },
  }),
  updateAppointmentNotes: t.withAuth({ customer: true }).prismaField({
    type: AppointmentRef,
    description: `Notes for the groomer, at most ${NOTES_MAX_LENGTH} characters, editable until the appointment starts.`,
    args: { id: t.arg.id({ required: true }), notes: t.arg.string({ required: true, validate: notes }) },
    resolve: async (query, _root, { id, notes: text }, ctx) => {
      const appointment = await ownedAppointment(ctx.prisma, id, ctx.customer.id);
      assertOpen(appointment, ctx.clock.now(), 'edit notes');
      return ctx.prisma.appointment.update({
        ...query,
        where: { id: appointment.id },
        data: { customerNotes: text || null },
      });
    },
  }),
}));
