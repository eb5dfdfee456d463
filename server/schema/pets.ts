// Pets and their vaccinations; customers add and update their own pets.
import { z } from 'zod';
import { badInput, notFound } from '../errors.ts';
import { builder } from './builder.ts';
import { PetSizeEnum } from './enums.ts';
import { portalType } from './portal-read.ts';
import { MaskKind, sensitiveForStaff } from './staff-masks.ts';

/** A vaccination expiring within this many days is shown as EXPIRING. */
const EXPIRING_WITHIN_DAYS = 30;

/** Valid, expiring within 30 days, or expired. */
export const VaccinationStatus = builder.enumType('VaccinationStatus', {
  values: ['VALID', 'EXPIRING', 'EXPIRED'] as const,
});

/** A vaccination's status at `now`. */
export function vaccinationStatus(expiresOn: Date, now: Date): 'VALID' | 'EXPIRING' | 'EXPIRED' {
  const days = (expiresOn.getTime() - now.getTime()) / 86_400_000;
  if (days < 0) return 'EXPIRED';
  return days <= EXPIRING_WITHIN_DAYS ? 'EXPIRING' : 'VALID';
}

builder.prismaObject('Vaccination', {
  ...portalType,
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    expiresOn: t.expose('expiresOn', { type: 'Date' }),
    status: t.field({
      type: VaccinationStatus,
      resolve: (vaccination, _args, ctx) => vaccinationStatus(vaccination.expiresOn, ctx.clock.now()),
    }),
  }),
});

/** A customer's pet with its care details and vaccinations. */
export const Pet = builder.prismaObject('Pet', {
  ...portalType,
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    species: t.exposeString('species'),
    breed: t.exposeString('breed', { nullable: true }),
    weightKg: t.exposeFloat('weightKg', { nullable: true }),
    birthDate: t.expose('birthDate', { type: 'Date', nullable: true }),
    size: t.expose('size', { type: PetSizeEnum }),
    coatType: t.exposeString('coatType', { nullable: true }),
    healthAlerts: t.exposeStringList('healthAlerts', sensitiveForStaff('PET_HEALTH_ALERTS', MaskKind.TextList)),
    groomingNotes: t.exposeString('groomingNotes', {
      nullable: true,
      ...sensitiveForStaff('PET_GROOMING_NOTES', MaskKind.Text),
    }),
    cutStyle: t.exposeString('cutStyle', { nullable: true }),
    vaccinations: t.relation('vaccinations', { query: { orderBy: { expiresOn: 'asc' } } }),
    appointments: t.relation('appointments', { query: { orderBy: { startsAt: 'desc' } } }),
  }),
});

/** Text as stored: trimmed. How long each field may be is declared in string-limits.ts. */
const text = z.string().trim();

const PetFields = {
  name: text.min(1),
  species: text.min(1),
  weightKg: z.number().positive().max(150),
  healthAlerts: z.array(text.min(1)).max(20),
};

const petInput = <Required extends boolean>(name: string, required: Required) =>
  builder.inputType(name, {
    fields: (t) => ({
      name: t.string({ required, validate: PetFields.name }),
      species: t.string({ required, validate: PetFields.species }),
      breed: t.string({ required: false, validate: text }),
      weightKg: t.float({ required: false, validate: PetFields.weightKg }),
      birthDate: t.field({
        type: 'Date',
        required: false,
        validate: z.date().min(new Date(Date.UTC(1900, 0, 1)), 'not before 1900'),
      }),
      size: t.field({ type: PetSizeEnum, required }),
      coatType: t.string({ required: false, validate: text }),
      healthAlerts: t.stringList({ required: false, validate: PetFields.healthAlerts }),
      groomingNotes: t.string({ required: false, validate: text }),
      cutStyle: t.string({ required: false, validate: text }),
    }),
  });

const AddPetInput = petInput('AddPetInput', true);
const UpdatePetInput = petInput('UpdatePetInput', false);

function assertBirthDate(birthDate: Date | null | undefined, now: Date) {
  if (birthDate && birthDate > now) throw badInput('birthDate: must not be in the future');
}

builder.mutationFields((t) => ({
  addPet: t.withAuth({ customer: true }).prismaField({
    type: Pet,
    args: { input: t.arg({ type: AddPetInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => {
      assertBirthDate(input.birthDate, ctx.clock.now());
      return ctx.prisma.pet.create({
        ...query,
        data: { ...input, healthAlerts: input.healthAlerts ?? [], customerId: ctx.customer.id },
      });
    },
  }),
  updatePet: t.withAuth({ customer: true }).prismaField({
    type: Pet,
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdatePetInput, required: true }) },
    resolve: async (query, _root, { id, input }, ctx) => {
      assertBirthDate(input.birthDate, ctx.clock.now());
      const owned = await ctx.prisma.pet.findFirst({
        where: { id: String(id), customerId: ctx.customer.id },
        select: { id: true },
      });
      if (!owned) throw notFound('Pet');
      const { name, species, size, healthAlerts, ...optional } = input;
      return ctx.prisma.pet.update({
        ...query,
        where: { id: owned.id },
        data: {
          ...optional,
          name: name ?? undefined,
          species: species ?? undefined,
          size: size ?? undefined,
          healthAlerts: healthAlerts ?? undefined,
        },
      });
    },
  }),
}));
