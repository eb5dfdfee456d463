// Appointments (Appointment): the customer confirms, cancels and annotates their own while they are
// open (not started, not closed); every rule about time reads the database clock. Booking and
// rescheduling, which take a slot, are appointment-booking.ts.
import type { Appointment, PrismaClient } from '@prisma/client';
import { z } from 'zod';
import { conflict, notFound } from '../errors.ts';
import { builder } from './builder.ts';
import { AppointmentStatusEnum } from './enums.ts';
import { portalType } from './portal-read.ts';

/** The longest customer note on an appointment (SPEC 1). */
export const NOTES_MAX_LENGTH = 500;

/** The statuses in which an appointment that has not started may still change (and holds its slot). */
export const OPEN_STATUSES = ['SCHEDULED', 'CONFIRMED'] as const;

/** A customer's note for the groomer, as typed (trimmed, at most NOTES_MAX_LENGTH). */
export const appointmentNotes = z.string().trim().max(NOTES_MAX_LENGTH, `at most ${NOTES_MAX_LENGTH} characters`);

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

function isOpen(appointment: Pick<Appointment, 'status' | 'startsAt'>, now: Date): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(appointment.status) && appointment.startsAt > now;
}

/** The customer's own appointment with its service, or NOT_FOUND (someone else's included). */
export async function ownedAppointment(prisma: PrismaClient, id: string | number, customerId: string) {
  const appointment = await prisma.appointment.findFirst({
    where: { id: String(id), customerId },
    include: { service: true },
  });
  if (!appointment) throw notFound('Appointment');
  return appointment;
}

/** Refuses to `action` an appointment that has started or is no longer open (CONFLICT, with its status). */
export function assertOpen(appointment: Appointment, now: Date, action: string) {
  if (!isOpen(appointment, now)) {
    throw conflict(
      `Cannot ${action}: the appointment is ${appointment.status.toLowerCase()}${appointment.startsAt <= now ? ' and has started' : ''}`,
      {
        status: appointment.status,
      },
    );
  }
}

builder.mutationFields((t) => ({
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
    args: { id: t.arg.id({ required: true }), notes: t.arg.string({ required: true, validate: appointmentNotes }) },
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
