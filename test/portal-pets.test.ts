// The customer's pets: adding one with every field and updating some, each with the inputs it
// refuses and no row written.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DAY, dateOnly, expectData, expectError, type PortalIds } from './factories.ts';
import type { TestApp } from './harness.ts';
import { startPortalApp, type PortalApp } from './portal-helpers.ts';

const PET_FIELDS = 'id name species breed weightKg birthDate size coatType healthAlerts groomingNotes cutStyle';
const AddPet = `mutation AddPet($input: AddPetInput!) { addPet(input: $input) { ${PET_FIELDS} } }`;
const UpdatePet = `mutation UpdatePet($id: ID!, $input: UpdatePetInput!) { updatePet(id: $id, input: $input) { ${PET_FIELDS} } }`;

let app: TestApp;
let prisma: PortalApp['prisma'];
let factories: PortalApp['factories'];
let chloe: string;
let chloeIds: PortalIds;
let asChloe: PortalApp['asChloe'];

beforeAll(async () => {
  ({ app, prisma, factories, chloe, chloeIds, asChloe } = await startPortalApp());
});

afterAll(async () => {
  await app?.close();
});

const today = () => dateOnly(app.clock.now());
const tomorrow = () => dateOnly(new Date(app.clock.now().getTime() + DAY));

describe('addPet', () => {
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
    expect((await prisma.pet.findUniqueOrThrow({ where: { id: pet.id } })).customerId).toBe(chloeIds.id);
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
    const petsBefore = await prisma.pet.count();

    expectError(
      await asChloe(AddPet, { input: { name: 'Ghost', species: 'Dog', size: 'SMALL', ...extra() } }),
      'BAD_USER_INPUT',
    );

    expect(await prisma.pet.count()).toBe(petsBefore);
  });

  test('a birth date before 1900 is refused with BAD_USER_INPUT', async () => {
    const petsBefore = await prisma.pet.count();

    const result = await asChloe(AddPet, {
      input: { name: 'Ancient', species: 'Dog', size: 'SMALL', birthDate: '0000-01-01' },
    });

    expectError(result, 'BAD_USER_INPUT');
    expect(await prisma.pet.count()).toBe(petsBefore);
  });
});

describe('updatePet', () => {
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
    const before = await prisma.pet.findUniqueOrThrow({ where: { id: pet.id } });

    expectError(await asChloe(UpdatePet, { id: pet.id, input: input() }), 'BAD_USER_INPUT');

    expect(await prisma.pet.findUniqueOrThrow({ where: { id: pet.id } })).toEqual(before);
  });
});
