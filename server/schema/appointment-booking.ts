// Taking a slot: the customer books (BookAppointmentInput, `bookAppointment`) or reschedules an
// appointment. Writes are serialized by an advisory lock so two requests cannot both take one
// free slot; a slot clashing with the groomer's or the pet's open appointments is refused.
import type { Prisma, PrismaClient } from '@prisma/client';
import { AdvisoryLock } from '../db/locks.ts';
import { badInput, conflict, notFound } from '../errors.ts';
import { AppointmentRef, OPEN_STATUSES, appointmentNotes, assertOpen, ownedAppointment } from './appointments.ts';
import { builder } from './builder.ts';

const MAX_BOOKING_AHEAD_DAYS = 365;

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

const BookAppointmentInput = builder.inputType('BookAppointmentInput', {
  fields: (t) => ({
    petId: t.id({ required: true }),
    serviceId: t.id({ required: true }),
    startsAt: t.field({ type: 'DateTime', required: true }),
    groomerId: t.id({ required: false, description: 'Omit to let the salon pick a free groomer.' }),
    customerNotes: t.string({ required: false, validate: appointmentNotes }),
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
}));
