// The customer's appointments: booking (slots, groomers, concurrent bookings), rescheduling,
// cancelling, confirming and notes, each with what it refuses. Time-dependent rules move the
// manual clock, never sleep.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  APPOINTMENT_FIELDS,
  DAY,
  HOUR,
  MINUTE,
  expectData,
  expectError,
  type AppointmentView,
  type PortalIds,
} from './factories.ts';
import type { TestApp } from './harness.ts';
import { startPortalApp, type PortalApp } from './portal-helpers.ts';

const Reschedule = `mutation Reschedule($id: ID!, $startsAt: DateTime!) { rescheduleAppointment(id: $id, startsAt: $startsAt) { ${APPOINTMENT_FIELDS} } }`;
const Cancel = `mutation Cancel($id: ID!) { cancelAppointment(id: $id) { ${APPOINTMENT_FIELDS} } }`;
const Confirm = `mutation Confirm($id: ID!) { confirmAppointment(id: $id) { ${APPOINTMENT_FIELDS} } }`;
const UpdateNotes = `mutation UpdateNotes($id: ID!, $notes: String!) { updateAppointmentNotes(id: $id, notes: $notes) { ${APPOINTMENT_FIELDS} } }`;

let app: TestApp;
let prisma: PortalApp['prisma'];
let factories: PortalApp['factories'];
let chloe: string;
let chloeIds: PortalIds;
let asChloe: PortalApp['asChloe'];
let moveClockTo: PortalApp['moveClockTo'];
let bookedAppointment: PortalApp['bookedAppointment'];
let resetClock: PortalApp['resetClock'];

beforeAll(async () => {
  ({ app, prisma, factories, chloe, chloeIds, asChloe, moveClockTo, bookedAppointment, resetClock } =
    await startPortalApp());
});

afterAll(async () => {
  await app?.close();
});

afterEach(() => {
  resetClock();
});

/** A moment while the appointment is under way: half its length after its start. */
const halfwayThrough = (appointment: AppointmentView) =>
  new Date((new Date(appointment.startsAt).getTime() + new Date(appointment.endsAt).getTime()) / 2);

const durationMs = (appointment: AppointmentView) =>
  new Date(appointment.endsAt).getTime() - new Date(appointment.startsAt).getTime();

describe('bookAppointment', () => {
  test('a booking ends the service’s duration after its start and is SCHEDULED with the chosen groomer', async () => {
    const pet = await factories.addPet(chloe);
    const fullGroom = await factories.service('Full Groom');
    const gwen = await factories.groomer(chloe, 'Gwen Park');
    const startsAt = factories.nextSlot();

    const appointment = await factories.book(chloe, {
      petId: pet.id,
      serviceId: fullGroom.id,
      startsAt,
      groomerId: gwen.id,
      customerNotes: 'First visit',
    });

    expect(fullGroom.durationMinutes).toBe(120);
    expect(appointment).toMatchObject({
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + fullGroom.durationMinutes * MINUTE).toISOString(),
      status: 'SCHEDULED',
      customerNotes: 'First visit',
      canChange: true,
      pet: { id: pet.id },
      groomer: { id: gwen.id },
    });
    expect((await prisma.appointment.findUniqueOrThrow({ where: { id: appointment.id } })).customerId).toBe(
      chloeIds.id,
    );
  });

  test.each([
    ['in the past', -HOUR],
    ['right now', 0],
    ['more than a year ahead', 366 * DAY],
  ])('a start %s is refused with BAD_USER_INPUT and nothing is booked', async (_case, offset) => {
    const pet = await factories.addPet(chloe);
    const service = await factories.service('Bath & Brush');

    const result = await factories.tryBook(chloe, {
      petId: pet.id,
      serviceId: service.id,
      startsAt: new Date(app.clock.now().getTime() + offset),
    });

    expectError(result, 'BAD_USER_INPUT');
    expect(await prisma.appointment.count({ where: { petId: pet.id } })).toBe(0);
  });

  test('a groomer already busy at that time is refused with CONFLICT', async () => {
    const first = await bookedAppointment({ groomerName: 'Gus Lindqvist' });
    const otherPet = await factories.addPet(chloe);

    const result = await factories.tryBook(chloe, {
      petId: otherPet.id,
      serviceId: first.service.id,
      startsAt: halfwayThrough(first),
      groomerId: first.groomer!.id,
    });

    expectError(result, 'CONFLICT');
    expect(result.errors![0]!.message).toMatch(/groomer/i);
    expect(await prisma.appointment.count({ where: { petId: otherPet.id } })).toBe(0);
  });

  test('the same groomer can be booked from the moment the previous appointment ends', async () => {
    const first = await bookedAppointment({ groomerName: 'Gus Lindqvist' });
    const otherPet = await factories.addPet(chloe);

    const result = await factories.tryBook(chloe, {
      petId: otherPet.id,
      serviceId: first.service.id,
      startsAt: new Date(first.endsAt),
      groomerId: first.groomer!.id,
    });

    expect(expectData(result).bookAppointment.startsAt).toBe(first.endsAt);
  });

  test('a pet that already has an appointment at that time is refused with CONFLICT, even with another groomer', async () => {
    const first = await bookedAppointment({ groomerName: 'Gus Lindqvist' });
    const gwen = await factories.groomer(chloe, 'Gwen Park');

    const result = await factories.tryBook(chloe, {
      petId: first.pet.id,
      serviceId: first.service.id,
      startsAt: halfwayThrough(first),
      groomerId: gwen.id,
    });

    expectError(result, 'CONFLICT');
    expect(result.errors![0]!.message).toMatch(/pet/i);
    expect(await prisma.appointment.count({ where: { petId: first.pet.id } })).toBe(1);
  });

  test('without a chosen groomer the salon picks one who is free', async () => {
    const first = await bookedAppointment({ groomerName: 'Gus Lindqvist' });
    const otherPet = await factories.addPet(chloe);

    const result = await factories.tryBook(chloe, {
      petId: otherPet.id,
      serviceId: first.service.id,
      startsAt: new Date(first.startsAt),
    });

    expect(expectData(result).bookAppointment.groomer).toMatchObject({ name: 'Gwen Park' });
  });

  test('a cancelled appointment no longer holds its slot', async () => {
    const first = await bookedAppointment({ groomerName: 'Gus Lindqvist' });
    expectData(await asChloe(Cancel, { id: first.id }));

    const result = await factories.tryBook(chloe, {
      petId: first.pet.id,
      serviceId: first.service.id,
      startsAt: new Date(first.startsAt),
      groomerId: first.groomer!.id,
    });

    expect(expectData(result).bookAppointment.status).toBe('SCHEDULED');
  });

  test('two bookings of one groomer for the same time sent at once: one is booked, the other is CONFLICT', async () => {
    const pets = [await factories.addPet(chloe), await factories.addPet(chloe)];
    const service = await factories.service('Bath & Brush');
    const gus = await factories.groomer(chloe, 'Gus Lindqvist');
    const startsAt = factories.nextSlot();

    const results = await Promise.all(
      pets.map((pet) =>
        factories.tryBook(chloe, { petId: pet.id, serviceId: service.id, startsAt, groomerId: gus.id }),
      ),
    );

    const outcomes = results.map((r) => r.errors?.[0]?.extensions?.code ?? r.data?.bookAppointment.status).sort();
    expect(outcomes).toEqual(['CONFLICT', 'SCHEDULED']);
    expect(await prisma.appointment.count({ where: { groomerId: gus.id, startsAt } })).toBe(1);
  });

  test('one pet booked twice for the same time at once: one is booked, the other is CONFLICT', async () => {
    const pet = await factories.addPet(chloe);
    const service = await factories.service('Bath & Brush');
    const startsAt = factories.nextSlot();

    const results = await Promise.all(
      [1, 2].map(() => factories.tryBook(chloe, { petId: pet.id, serviceId: service.id, startsAt })),
    );

    const outcomes = results.map((r) => r.errors?.[0]?.extensions?.code ?? r.data?.bookAppointment.status).sort();
    expect(outcomes).toEqual(['CONFLICT', 'SCHEDULED']);
    expect(await prisma.appointment.count({ where: { petId: pet.id } })).toBe(1);
  });

  test('an unknown service is refused with NOT_FOUND', async () => {
    const pet = await factories.addPet(chloe);
    const result = await factories.tryBook(chloe, {
      petId: pet.id,
      serviceId: 'no-such-service',
      startsAt: factories.nextSlot(),
    });
    expectError(result, 'NOT_FOUND');
    expect(await prisma.appointment.count({ where: { petId: pet.id } })).toBe(0);
  });

  test('an unknown groomer is refused with NOT_FOUND', async () => {
    const pet = await factories.addPet(chloe);
    const service = await factories.service('Bath & Brush');
    const result = await factories.tryBook(chloe, {
      petId: pet.id,
      serviceId: service.id,
      startsAt: factories.nextSlot(),
      groomerId: 'no-such-groomer',
    });
    expectError(result, 'NOT_FOUND');
  });
});

describe('rescheduleAppointment', () => {
  test('a confirmed appointment moves, keeps its duration and goes back to SCHEDULED', async () => {
    const booked = await bookedAppointment({ serviceName: 'Full Groom' });
    expect(expectData(await asChloe(Confirm, { id: booked.id })).confirmAppointment.status).toBe('CONFIRMED');
    const startsAt = factories.nextSlot();

    const moved = expectData(
      await asChloe(Reschedule, { id: booked.id, startsAt: startsAt.toISOString() }),
    ).rescheduleAppointment;

    expect(moved).toMatchObject({
      id: booked.id,
      status: 'SCHEDULED',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + durationMs(booked)).toISOString(),
    });
    expect(durationMs(booked)).toBe(booked.service.durationMinutes * MINUTE);
  });

  test('an appointment that has started is refused with CONFLICT and stays where it was', async () => {
    const booked = await bookedAppointment();
    const token = await moveClockTo(new Date(new Date(booked.startsAt).getTime() + MINUTE));

    const result = await app.gql(Reschedule, { id: booked.id, startsAt: factories.nextSlot().toISOString() }, token);

    expectError(result, 'CONFLICT');
    expect((await prisma.appointment.findUniqueOrThrow({ where: { id: booked.id } })).startsAt.toISOString()).toBe(
      booked.startsAt,
    );
  });

  test('a completed appointment from the past is refused with CONFLICT', async () => {
    const completed = chloeIds.appointments.find((a) => a.status === 'COMPLETED')!;
    expectError(
      await asChloe(Reschedule, { id: completed.id, startsAt: factories.nextSlot().toISOString() }),
      'CONFLICT',
    );
  });

  test('moving into the past is refused with BAD_USER_INPUT', async () => {
    const booked = await bookedAppointment();
    const result = await asChloe(Reschedule, {
      id: booked.id,
      startsAt: new Date(app.clock.now().getTime() - HOUR).toISOString(),
    });
    expectError(result, 'BAD_USER_INPUT');
  });
});

describe('cancelAppointment', () => {
  test('an open appointment is cancelled and can no longer be changed', async () => {
    const booked = await bookedAppointment();

    const cancelled = expectData(await asChloe(Cancel, { id: booked.id })).cancelAppointment;

    expect(cancelled).toMatchObject({ id: booked.id, status: 'CANCELLED', canChange: false });
  });

  test('cancelling twice is refused with CONFLICT', async () => {
    const booked = await bookedAppointment();
    expectData(await asChloe(Cancel, { id: booked.id }));

    expectError(await asChloe(Cancel, { id: booked.id }), 'CONFLICT');
    expect((await prisma.appointment.findUniqueOrThrow({ where: { id: booked.id } })).status).toBe('CANCELLED');
  });
});

describe('confirmAppointment', () => {
  test('a scheduled appointment is confirmed', async () => {
    const booked = await bookedAppointment();
    expect(expectData(await asChloe(Confirm, { id: booked.id })).confirmAppointment).toMatchObject({
      status: 'CONFIRMED',
      canChange: true,
    });
  });

  test('confirming twice is refused with CONFLICT', async () => {
    const booked = await bookedAppointment();
    expectData(await asChloe(Confirm, { id: booked.id }));
    expectError(await asChloe(Confirm, { id: booked.id }), 'CONFLICT');
  });

  test('a cancelled appointment cannot be confirmed: CONFLICT', async () => {
    const booked = await bookedAppointment();
    expectData(await asChloe(Cancel, { id: booked.id }));
    expectError(await asChloe(Confirm, { id: booked.id }), 'CONFLICT');
    expect((await prisma.appointment.findUniqueOrThrow({ where: { id: booked.id } })).status).toBe('CANCELLED');
  });
});

describe('updateAppointmentNotes', () => {
  test('notes of exactly 500 characters are stored', async () => {
    const booked = await bookedAppointment();
    const notes = 'n'.repeat(500);

    expect(expectData(await asChloe(UpdateNotes, { id: booked.id, notes })).updateAppointmentNotes.customerNotes).toBe(
      notes,
    );
    expect((await prisma.appointment.findUniqueOrThrow({ where: { id: booked.id } })).customerNotes).toBe(notes);
  });

  test('notes of 501 characters are refused with BAD_USER_INPUT and the old notes stay', async () => {
    const booked = await bookedAppointment();
    expectData(await asChloe(UpdateNotes, { id: booked.id, notes: 'Old notes' }));

    expectError(await asChloe(UpdateNotes, { id: booked.id, notes: 'n'.repeat(501) }), 'BAD_USER_INPUT');

    expect((await prisma.appointment.findUniqueOrThrow({ where: { id: booked.id } })).customerNotes).toBe('Old notes');
  });

  test('empty notes clear them', async () => {
    const booked = await bookedAppointment();
    expectData(await asChloe(UpdateNotes, { id: booked.id, notes: 'Something' }));

    expect(
      expectData(await asChloe(UpdateNotes, { id: booked.id, notes: '' })).updateAppointmentNotes.customerNotes,
    ).toBeNull();
  });

  test('notes are still editable one second before the start', async () => {
    const booked = await bookedAppointment();
    const token = await moveClockTo(new Date(new Date(booked.startsAt).getTime() - 1000));

    const result = await app.gql(UpdateNotes, { id: booked.id, notes: 'Running late' }, token);

    expect(expectData(result).updateAppointmentNotes.customerNotes).toBe('Running late');
  });

  test('once the appointment has started, notes are refused with CONFLICT', async () => {
    const booked = await bookedAppointment();
    expectData(await asChloe(UpdateNotes, { id: booked.id, notes: 'Before' }));
    const token = await moveClockTo(new Date(booked.startsAt));

    expectError(await app.gql(UpdateNotes, { id: booked.id, notes: 'After' }, token), 'CONFLICT');

    expect((await prisma.appointment.findUniqueOrThrow({ where: { id: booked.id } })).customerNotes).toBe('Before');
  });
});
