// Every portal mutation as the customer: its happy path, then each input it refuses and the row
// left as it was. Time-dependent rules move the manual clock, never sleep.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  APPOINTMENT_FIELDS,
  DAY,
  HOUR,
  MINUTE,
  databaseSnapshot,
  dateOnly,
  expectData,
  expectError,
  portalFactories,
  type AppointmentView,
  type PortalIds,
} from './factories.ts';
import { demo, startTestApp, type GqlResult, type TestApp } from './harness.ts';

const UpdateProfile =
  'mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { name phone address } }';
const ChangePassword =
  'mutation ChangePassword($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }';
const UpdatePreferences = `mutation UpdatePreferences($preferences: [NotificationPreferenceInput!]!) {
  updateNotificationPreferences(preferences: $preferences) { category channel enabled } }`;
const PET_FIELDS = 'id name species breed weightKg birthDate size coatType healthAlerts groomingNotes cutStyle';
const AddPet = `mutation AddPet($input: AddPetInput!) { addPet(input: $input) { ${PET_FIELDS} } }`;
const UpdatePet = `mutation UpdatePet($id: ID!, $input: UpdatePetInput!) { updatePet(id: $id, input: $input) { ${PET_FIELDS} } }`;
const Reschedule = `mutation Reschedule($id: ID!, $startsAt: DateTime!) { rescheduleAppointment(id: $id, startsAt: $startsAt) { ${APPOINTMENT_FIELDS} } }`;
const Cancel = `mutation Cancel($id: ID!) { cancelAppointment(id: $id) { ${APPOINTMENT_FIELDS} } }`;
const Confirm = `mutation Confirm($id: ID!) { confirmAppointment(id: $id) { ${APPOINTMENT_FIELDS} } }`;
const UpdateNotes = `mutation UpdateNotes($id: ID!, $notes: String!) { updateAppointmentNotes(id: $id, notes: $notes) { ${APPOINTMENT_FIELDS} } }`;
const PayInvoice = `mutation PayInvoice($id: ID!, $paymentMethodId: ID!, $tipCents: Int) {
  payInvoice(id: $id, paymentMethodId: $paymentMethodId, tipCents: $tipCents) {
    id status subtotalCents taxCents tipCents totalCents paidAt paidWith } }`;
const AddCard =
  'mutation AddCard($input: AddPaymentMethodInput!) { addPaymentMethod(input: $input) { id brand last4 expMonth expYear isDefault } }';
const RemoveCard = 'mutation RemoveCard($id: ID!) { removePaymentMethod(id: $id) }';
const SignIn =
  'mutation SignIn($email: String!, $password: String!) { signIn(email: $email, password: $password) { token } }';
const SendMessage = 'mutation SendMessage($body: String!) { sendMessage(body: $body) { id sender body sentAt } }';

let app: TestApp;
let factories: ReturnType<typeof portalFactories>;
let startedAt: Date;
let chloe: string;
let chloeIds: PortalIds;

beforeAll(async () => {
  app = await startTestApp();
  startedAt = app.clock.now();
  factories = portalFactories(app);
  chloe = await app.signIn('chloe');
  chloeIds = await factories.me(chloe);
});

afterAll(async () => {
  await app?.close();
});

afterEach(() => {
  app.clock.set(startedAt);
});

const prisma = () => app.services.prisma;
const asChloe = <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<GqlResult<T>> =>
  app.gql<T>(query, variables, chloe);

const signInAttempt = (email: string, password: string) => app.gql(SignIn, { email, password });

/** Moves the clock and signs chloe in again (her first token expires 12 hours after the start). */
async function moveClockTo(instant: Date): Promise<string> {
  app.clock.set(instant);
  return app.signIn('chloe');
}

/** A new pet of chloe's with a booked appointment of its own, clear of every other test. */
async function bookedAppointment(
  options: { serviceName?: string; groomerName?: string } = {},
): Promise<AppointmentView> {
  const pet = await factories.addPet(chloe);
  const service = await factories.service(options.serviceName ?? 'Bath & Brush');
  const groomerId = options.groomerName ? (await factories.groomer(chloe, options.groomerName)).id : undefined;
  return factories.book(chloe, { petId: pet.id, serviceId: service.id, groomerId });
}

describe('updateProfile', () => {
  test('a customer changes their name, phone and address', async () => {
    const input = { name: 'Chloe Martin-Reyes', phone: '+1 (555) 010-9999', address: '20 Birch Road, Springfield' };

    const result = await asChloe(UpdateProfile, { input });

    expect(expectData(result).updateProfile).toEqual(input);
    const stored = await prisma().customer.findUniqueOrThrow({ where: { id: chloeIds.id } });
    expect({ name: stored.name, phone: stored.phone, address: stored.address }).toEqual(input);
  });

  test('fields left out stay as they are and an empty phone clears it', async () => {
    const before = await prisma().customer.findUniqueOrThrow({ where: { id: chloeIds.id } });

    const result = await asChloe(UpdateProfile, { input: { phone: '' } });

    expect(expectData(result).updateProfile).toEqual({ name: before.name, phone: null, address: before.address });
  });

  test.each([
    ['an empty name', { name: '' }],
    ['a name of spaces only', { name: '   ' }],
    ['a phone with letters', { phone: '555-CALL-NOW' }],
  ])('%s is refused with BAD_USER_INPUT and the profile is unchanged', async (_case, input) => {
    const before = await prisma().customer.findUniqueOrThrow({ where: { id: chloeIds.id } });

    expectError(await asChloe(UpdateProfile, { input }), 'BAD_USER_INPUT');

    expect(await prisma().customer.findUniqueOrThrow({ where: { id: chloeIds.id } })).toEqual(before);
  });
});

describe('changePassword (as dan)', () => {
  const newPassword = 'a-brand-new-password';

  test('a wrong current password is refused with BAD_USER_INPUT and the password stays', async () => {
    const dan = await app.signIn('dan');
    const before = await prisma().customer.findUniqueOrThrow({ where: { email: demo.dan.email } });

    expectError(
      await app.gql(ChangePassword, { current: 'not-the-password', next: newPassword }, dan),
      'BAD_USER_INPUT',
    );

    expect((await prisma().customer.findUniqueOrThrow({ where: { email: demo.dan.email } })).passwordHash).toBe(
      before.passwordHash,
    );
  });

  test('a new password shorter than 10 characters is refused with BAD_USER_INPUT', async () => {
    const dan = await app.signIn('dan');
    const before = await prisma().customer.findUniqueOrThrow({ where: { email: demo.dan.email } });

    expectError(await app.gql(ChangePassword, { current: demo.dan.password, next: 'short-pw' }, dan), 'BAD_USER_INPUT');

    expect((await prisma().customer.findUniqueOrThrow({ where: { email: demo.dan.email } })).passwordHash).toBe(
      before.passwordHash,
    );
  });

  test('after a change the old password no longer signs in, the new one does, and only the other sessions are signed out', async () => {
    const current = await app.signIn('dan');
    const other = await app.signIn('dan');

    expect(
      expectData(await app.gql(ChangePassword, { current: demo.dan.password, next: newPassword }, current))
        .changePassword,
    ).toBe(true);

    expectError(await signInAttempt(demo.dan.email, demo.dan.password), 'UNAUTHENTICATED', 'INVALID_CREDENTIALS');
    expect(expectData(await signInAttempt(demo.dan.email, newPassword)).signIn.token).toEqual(expect.any(String));
    expectError(await app.gql('{ me { id } }', {}, other), 'UNAUTHENTICATED');
    expect(expectData(await app.gql('{ me { email } }', {}, current)).me.email).toBe(demo.dan.email);
  });
});

describe('updateNotificationPreferences', () => {
  const ME_PREFERENCES = '{ me { notificationPreferences { category channel enabled } } }';

  test('sets only the given category x channel switches and returns all of them', async () => {
    const before = expectData(await asChloe(ME_PREFERENCES)).me.notificationPreferences as {
      category: string;
      channel: string;
      enabled: boolean;
    }[];
    const changes = [
      { category: 'PROMOTIONS', channel: 'EMAIL', enabled: false },
      { category: 'BILLING', channel: 'SMS', enabled: true },
    ];
    expect(before).toContainEqual({ ...changes[0], enabled: true });
    expect(before).toContainEqual({ ...changes[1], enabled: false });

    const result = await asChloe(UpdatePreferences, { preferences: changes });

    const key = (p: { category: string; channel: string }) => `${p.category}/${p.channel}`;
    const expected = before.map((p) => changes.find((c) => key(c) === key(p)) ?? p);
    expect(expectData(result).updateNotificationPreferences).toEqual(expected);
    expect(expectData(await asChloe(ME_PREFERENCES)).me.notificationPreferences).toEqual(expected);
  });

  test('an empty list is refused with BAD_USER_INPUT', async () => {
    expectError(await asChloe(UpdatePreferences, { preferences: [] }), 'BAD_USER_INPUT');
  });
});

describe('addPet and updatePet', () => {
  const today = () => dateOnly(app.clock.now());
  const tomorrow = () => dateOnly(new Date(app.clock.now().getTime() + DAY));

  test('a customer adds a pet with every field, and it is theirs', async () => {
    const input = {
      name: 'Noodle',
      species: 'Dog',
      breed: 'Dachshund',
      weightKg: 7.5,
      birthDate: '2021-05-02',
      size: 'SMALL',
      coatType: 'Smooth',
      healthAlerts: ['Bad back: no lifting by the front legs'],
      groomingNotes: 'Likes a warm towel',
      cutStyle: 'Nails short',
    };

    const pet = expectData(await asChloe(AddPet, { input })).addPet;

    expect(pet).toEqual({ id: expect.any(String), ...input });
    expect((await prisma().pet.findUniqueOrThrow({ where: { id: pet.id } })).customerId).toBe(chloeIds.id);
  });

  test('a pet born today is accepted', async () => {
    const pet = expectData(
      await asChloe(AddPet, { input: { name: 'Newborn', species: 'Cat', size: 'SMALL', birthDate: today() } }),
    ).addPet;
    expect(pet.birthDate).toBe(today());
  });

  test.each([
    ['a birth date in the future', () => ({ birthDate: tomorrow() })],
    ['a negative weight', () => ({ weightKg: -2 })],
    ['a weight of zero', () => ({ weightKg: 0 })],
  ])('addPet with %s is refused with BAD_USER_INPUT and no pet is added', async (_case, extra) => {
    const petsBefore = await prisma().pet.count();

    expectError(
      await asChloe(AddPet, { input: { name: 'Ghost', species: 'Dog', size: 'SMALL', ...extra() } }),
      'BAD_USER_INPUT',
    );

    expect(await prisma().pet.count()).toBe(petsBefore);
  });

  test('updatePet changes the given fields and leaves the others', async () => {
    const pet = await factories.addPet(chloe, { breed: 'Beagle', weightKg: 10, cutStyle: 'Short' });

    const updated = expectData(
      await asChloe(UpdatePet, { id: pet.id, input: { weightKg: 11.25, cutStyle: 'Puppy cut' } }),
    ).updatePet;

    expect(updated).toMatchObject({
      id: pet.id,
      name: pet.name,
      breed: 'Beagle',
      weightKg: 11.25,
      cutStyle: 'Puppy cut',
    });
  });

  test.each([
    ['a birth date in the future', () => ({ birthDate: tomorrow() })],
    ['a negative weight', () => ({ weightKg: -0.5 })],
  ])('updatePet with %s is refused with BAD_USER_INPUT and the pet is unchanged', async (_case, input) => {
    const pet = await factories.addPet(chloe, { weightKg: 4 });
    const before = await prisma().pet.findUniqueOrThrow({ where: { id: pet.id } });

    expectError(await asChloe(UpdatePet, { id: pet.id, input: input() }), 'BAD_USER_INPUT');

    expect(await prisma().pet.findUniqueOrThrow({ where: { id: pet.id } })).toEqual(before);
  });
});

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
      endsAt: new Date(startsAt.getTime() + 120 * MINUTE).toISOString(),
      status: 'SCHEDULED',
      customerNotes: 'First visit',
      canChange: true,
      pet: { id: pet.id },
      groomer: { id: gwen.id },
    });
    expect((await prisma().appointment.findUniqueOrThrow({ where: { id: appointment.id } })).customerId).toBe(
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
    expect(await prisma().appointment.count({ where: { petId: pet.id } })).toBe(0);
  });

  test('a groomer already busy at that time is refused with CONFLICT', async () => {
    const first = await bookedAppointment({ groomerName: 'Gus Lindqvist' });
    const otherPet = await factories.addPet(chloe);

    const result = await factories.tryBook(chloe, {
      petId: otherPet.id,
      serviceId: first.service.id,
      startsAt: new Date(new Date(first.startsAt).getTime() + 30 * MINUTE),
      groomerId: first.groomer!.id,
    });

    expectError(result, 'CONFLICT');
    expect(result.errors![0]!.message).toMatch(/groomer/i);
    expect(await prisma().appointment.count({ where: { petId: otherPet.id } })).toBe(0);
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
      startsAt: new Date(new Date(first.startsAt).getTime() + 30 * MINUTE),
      groomerId: gwen.id,
    });

    expectError(result, 'CONFLICT');
    expect(result.errors![0]!.message).toMatch(/pet/i);
    expect(await prisma().appointment.count({ where: { petId: first.pet.id } })).toBe(1);
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
    expect(await prisma().appointment.count({ where: { groomerId: gus.id, startsAt } })).toBe(1);
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
    expect(await prisma().appointment.count({ where: { petId: pet.id } })).toBe(1);
  });

  test('an unknown service is refused with NOT_FOUND', async () => {
    const pet = await factories.addPet(chloe);
    const result = await factories.tryBook(chloe, {
      petId: pet.id,
      serviceId: 'no-such-service',
      startsAt: factories.nextSlot(),
    });
    expectError(result, 'NOT_FOUND');
    expect(await prisma().appointment.count({ where: { petId: pet.id } })).toBe(0);
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
      endsAt: new Date(startsAt.getTime() + 120 * MINUTE).toISOString(),
    });
  });

  test('an appointment that has started is refused with CONFLICT and stays where it was', async () => {
    const booked = await bookedAppointment();
    const token = await moveClockTo(new Date(new Date(booked.startsAt).getTime() + MINUTE));

    const result = await app.gql(Reschedule, { id: booked.id, startsAt: factories.nextSlot().toISOString() }, token);

    expectError(result, 'CONFLICT');
    expect((await prisma().appointment.findUniqueOrThrow({ where: { id: booked.id } })).startsAt.toISOString()).toBe(
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
    expect((await prisma().appointment.findUniqueOrThrow({ where: { id: booked.id } })).status).toBe('CANCELLED');
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
    expect((await prisma().appointment.findUniqueOrThrow({ where: { id: booked.id } })).status).toBe('CANCELLED');
  });
});

describe('updateAppointmentNotes', () => {
  test('notes of exactly 500 characters are stored', async () => {
    const booked = await bookedAppointment();
    const notes = 'n'.repeat(500);

    expect(expectData(await asChloe(UpdateNotes, { id: booked.id, notes })).updateAppointmentNotes.customerNotes).toBe(
      notes,
    );
    expect((await prisma().appointment.findUniqueOrThrow({ where: { id: booked.id } })).customerNotes).toBe(notes);
  });

  test('notes of 501 characters are refused with BAD_USER_INPUT and the old notes stay', async () => {
    const booked = await bookedAppointment();
    expectData(await asChloe(UpdateNotes, { id: booked.id, notes: 'Old notes' }));

    expectError(await asChloe(UpdateNotes, { id: booked.id, notes: 'n'.repeat(501) }), 'BAD_USER_INPUT');

    expect((await prisma().appointment.findUniqueOrThrow({ where: { id: booked.id } })).customerNotes).toBe(
      'Old notes',
    );
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

    expect((await prisma().appointment.findUniqueOrThrow({ where: { id: booked.id } })).customerNotes).toBe('Before');
  });
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
    expect((await prisma().invoice.findUniqueOrThrow({ where: { id: invoice.id } })).paymentMethodId).toBe(visa4242());
  });

  test('without a tip the total is subtotal + tax', async () => {
    const invoice = await factories.pendingInvoice('chloe', { subtotalCents: 5500, taxCents: 440 });

    const paid = expectData(await asChloe(PayInvoice, { id: invoice.id, paymentMethodId: visa4242() })).payInvoice;

    expect(paid).toMatchObject({ status: 'PAID', tipCents: 0, totalCents: 5940 });
  });

  test('paying an invoice that is already PAID is refused with CONFLICT and changes nothing', async () => {
    const invoice = await factories.pendingInvoice('chloe', { subtotalCents: 4000, taxCents: 320 });
    expectData(await asChloe(PayInvoice, { id: invoice.id, paymentMethodId: visa4242(), tipCents: 100 }));
    const before = await prisma().invoice.findUniqueOrThrow({ where: { id: invoice.id } });

    expectError(await asChloe(PayInvoice, { id: invoice.id, paymentMethodId: visa4242(), tipCents: 900 }), 'CONFLICT');

    expect(await prisma().invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toEqual(before);
  });

  test('two payments of one invoice sent at once: exactly one is taken, the other is CONFLICT', async () => {
    const invoice = await factories.pendingInvoice('chloe', { subtotalCents: 4000, taxCents: 320 });

    const results = await Promise.all(
      [100, 200].map((tipCents) => asChloe(PayInvoice, { id: invoice.id, paymentMethodId: visa4242(), tipCents })),
    );

    const paid = results.filter((r) => r.data?.payInvoice);
    expect(paid).toHaveLength(1);
    expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'PAID').sort()).toEqual(['CONFLICT', 'PAID']);
    const stored = await prisma().invoice.findUniqueOrThrow({ where: { id: invoice.id } });
    expect(stored.totalCents).toBe(paid[0]!.data.payInvoice.totalCents);
  });

  test('a negative tip is refused with BAD_USER_INPUT and the invoice stays PENDING', async () => {
    const invoice = await factories.pendingInvoice('chloe', { subtotalCents: 4000, taxCents: 320 });

    expectError(
      await asChloe(PayInvoice, { id: invoice.id, paymentMethodId: visa4242(), tipCents: -100 }),
      'BAD_USER_INPUT',
    );

    expect(await prisma().invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toEqual(invoice);
  });

  test('a card that has expired since it was saved is refused with CONFLICT', async () => {
    const invoice = await factories.pendingInvoice('chloe', { subtotalCents: 4000, taxCents: 320 });
    const card = await prisma().paymentMethod.findUniqueOrThrow({ where: { id: visa4242() } });
    const token = await moveClockTo(new Date(Date.UTC(card.expYear, card.expMonth, 1)));

    expectError(await app.gql(PayInvoice, { id: invoice.id, paymentMethodId: card.id }, token), 'CONFLICT');

    expect((await prisma().invoice.findUniqueOrThrow({ where: { id: invoice.id } })).status).toBe('PENDING');
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
    const cardsBefore = await prisma().paymentMethod.count();

    const result = await asChloe(AddCard, {
      input: { cardNumber: '4111 1111 1111 1112', expMonth: 9, expYear: thisYear() + 4 },
    });

    expectError(result, 'BAD_USER_INPUT');
    expect(await prisma().paymentMethod.count()).toBe(cardsBefore);
  });

  test('an expired card is refused with CONFLICT and nothing is saved', async () => {
    const cardsBefore = await prisma().paymentMethod.count();

    const result = await asChloe(AddCard, {
      input: { cardNumber: '4111 1111 1111 1111', expMonth: 12, expYear: thisYear() - 1 },
    });

    expectError(result, 'CONFLICT');
    expect(await prisma().paymentMethod.count()).toBe(cardsBefore);
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

    const defaults = await prisma().paymentMethod.findMany({ where: { customerId: chloeIds.id, isDefault: true } });

    expect(card.isDefault).toBe(true);
    expect(defaults.map((d) => d.id)).toEqual([card.id]);
  });

  test('a customer removes their own card, and removing it again is NOT_FOUND', async () => {
    const card = await factories.addCard(chloe);

    expect(expectData(await asChloe(RemoveCard, { id: card.id })).removePaymentMethod).toBe(true);
    expect(await prisma().paymentMethod.findUnique({ where: { id: card.id } })).toBeNull();
    expectError(await asChloe(RemoveCard, { id: card.id }), 'NOT_FOUND');
  });
});

describe('sendMessage', () => {
  test('a message is added to the conversation as the customer’s, trimmed, at the current time', async () => {
    const message = expectData(await asChloe(SendMessage, { body: '  Is Saturday morning free?  ' })).sendMessage;

    expect(message).toEqual({
      id: expect.any(String),
      sender: 'CUSTOMER',
      body: 'Is Saturday morning free?',
      sentAt: app.clock.now().toISOString(),
    });
    const thread = (await factories.me(chloe)).messages;
    expect(thread.at(-1)!.id).toBe(message.id);
  });

  test.each([
    ['an empty message', ''],
    ['a message of spaces only', '   \n '],
  ])('%s is refused with BAD_USER_INPUT and nothing is sent', async (_case, body) => {
    const messagesBefore = await prisma().message.count();

    expectError(await asChloe(SendMessage, { body }), 'BAD_USER_INPUT');

    expect(await prisma().message.count()).toBe(messagesBefore);
  });
});

describe('errors the client sees', () => {
  /** No error carries a stack trace, an internal exception, or what the database said. */
  function expectNothingLeaked(result: GqlResult) {
    expect(result.errors?.length).toBeGreaterThan(0);
    for (const error of result.errors ?? []) {
      const text = JSON.stringify(error);
      expect(text).not.toMatch(/\bat .+\.(ts|js|mjs):\d+/);
      expect(text).not.toMatch(/prisma|postgres|pglite|invalid byte sequence|DriverAdapterError/i);
      expect(error.extensions ?? {}).not.toHaveProperty('stack');
      expect(error.extensions ?? {}).not.toHaveProperty('exception');
      expect(error.extensions ?? {}).not.toHaveProperty('originalError');
    }
  }

  test('a syntax error is GRAPHQL_PARSE_FAILED', async () => {
    const result = await asChloe('mutation { sendMessage(body: "hi") { id ');
    expectError(result, 'GRAPHQL_PARSE_FAILED');
    expectNothingLeaked(result);
  });

  test('a field that does not exist is GRAPHQL_VALIDATION_FAILED', async () => {
    const result = await asChloe('{ me { passwordHash } }');
    expectError(result, 'GRAPHQL_VALIDATION_FAILED');
    expectNothingLeaked(result);
  });

  test('a birth date before 1900 is refused with BAD_USER_INPUT', async () => {
    const petsBefore = await prisma().pet.count();

    const result = await asChloe(AddPet, {
      input: { name: 'Ancient', species: 'Dog', size: 'SMALL', birthDate: '0000-01-01' },
    });

    expectError(result, 'BAD_USER_INPUT');
    expect(await prisma().pet.count()).toBe(petsBefore);
  });

  test('an unexpected database failure is masked: no database message, no stack trace', async () => {
    const pool = app.services.pool;
    await pool.query(
      `CREATE FUNCTION message_outage() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'secret internal detail'; END $$ LANGUAGE plpgsql`,
    );
    await pool.query(
      `CREATE TRIGGER message_outage BEFORE INSERT ON "Message" FOR EACH ROW EXECUTE FUNCTION message_outage()`,
    );
    try {
      const result = await asChloe(SendMessage, { body: 'hello' });
      expectError(result, 'INTERNAL_SERVER_ERROR');
      expectNothingLeaked(result);
      expect(JSON.stringify(result)).not.toContain('secret internal detail');
    } finally {
      await pool.query('DROP TRIGGER message_outage ON "Message"');
      await pool.query('DROP FUNCTION message_outage()');
    }
  });

  test('a message containing a NUL character is refused with BAD_USER_INPUT', async () => {
    expectError(await asChloe(SendMessage, { body: 'null byte \u0000 inside' }), 'BAD_USER_INPUT');
  });

  test.each([
    ['BAD_USER_INPUT', () => asChloe(SendMessage, { body: '' })],
    ['NOT_FOUND', () => asChloe(Cancel, { id: 'no-such-appointment' })],
    [
      'CONFLICT',
      () =>
        asChloe(Reschedule, {
          id: chloeIds.appointments.find((a) => a.status === 'COMPLETED')!.id,
          startsAt: factories.nextSlot().toISOString(),
        }),
    ],
    ['UNAUTHENTICATED', () => app.gql('{ me { id } }')],
  ])('a %s error carries its code and no stack trace', async (code, run) => {
    const result = await run();
    expectError(result, code);
    expectNothingLeaked(result);
  });
});
