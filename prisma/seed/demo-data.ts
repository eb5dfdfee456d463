// Demo data for the pet-grooming salon: staff, customers (two active, one disabled), services,
// pets with vaccinations, appointment history with report cards and invoices, upcoming bookings,
// saved cards, message threads and notification preferences. Every time is relative to `now`.
//
// The caller seeds only an empty database (no Staff rows); nothing here checks for that. Rows go
// in with one `createManyAndReturn` per model, in a few dependency waves, so the whole seed is a
// dozen statements; rows are matched back by natural keys (email, name, pet + start time),
// never by the order of the returned rows.
import type { Prisma, PrismaClient } from '@prisma/client';
import { hashPassword } from '../../server/auth/passwords.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
const TAX_RATE = 0.08;
const FIRST_INVOICE_NUMBER = 1001;

const NOTIFICATION_CATEGORIES = ['APPOINTMENTS', 'REPORT_CARDS', 'BILLING', 'MESSAGES', 'PROMOTIONS'] as const;
const NOTIFICATION_CHANNELS = ['EMAIL', 'SMS', 'PUSH'] as const;

type Status = 'COMPLETED' | 'CANCELLED' | 'SCHEDULED' | 'CONFIRMED';

interface AppointmentPlan {
  pet: string;
  service: string;
  groomer: string;
  /** Days from today; negative is the past. */
  day: number;
  /** Start hour, UTC. */
  hour: number;
  status: Status;
  /** For completed appointments. PENDING leaves the invoice unpaid. */
  invoice?: 'PAID' | 'PENDING';
  tipCents?: number;
  customerNotes?: string;
  report?: { mood: string; conditionNotes: string; nextInWeeks: number };
}

interface PetPlan {
  name: string;
  species: string;
  breed: string;
  weightKg: number;
  /** Age on `now`, in years; the birthday is in `birthMonth` (1-12). */
  ageYears: number;
  birthMonth: number;
  size: 'SMALL' | 'MEDIUM' | 'LARGE' | 'XLARGE';
  coatType: string;
  healthAlerts: string[];
  groomingNotes: string;
  cutStyle: string;
  /** Vaccine name and days until it expires (negative: already expired). */
  vaccinations: [string, number][];
}

interface CustomerPlan {
  name: string;
  email: string;
  phone: string;
  address: string;
  status: 'ACTIVE' | 'DISABLED';
  customerSinceDays: number;
  card?: { brand: string; last4: string; expMonth: number; expYearsAhead: number };
  /** Paid-with text when there is no saved card (paid at the counter). */
  counterPayment?: string;
  promotionsByEmail: boolean;
  pets: PetPlan[];
  appointments: AppointmentPlan[];
  /** Alternating thread starting with the customer; minutes after the thread starts. */
  messages: { afterMinutes: number; body: string }[];
  /** Days before `now` the thread starts (at 10:00 UTC). */
  threadStartsDaysAgo: number;
}

const PASSWORDS = {
  manager: 'demo-manager-pass',
  staff: 'demo-staff-pass',
  customer: 'demo-customer-pass',
} as const;

const STAFF = [
  { name: 'Mara Quinn', email: 'mara@salon.test', role: 'MANAGER', password: 'manager' },
  { name: 'Max Okafor', email: 'max@salon.test', role: 'MANAGER', password: 'manager' },
  { name: 'Rita Alvarez', email: 'rita@salon.test', role: 'RECEPTIONIST', password: 'staff' },
  { name: 'Gus Lindqvist', email: 'gus@salon.test', role: 'GROOMER', password: 'staff' },
  { name: 'Gwen Park', email: 'gwen@salon.test', role: 'GROOMER', password: 'staff' },
] as const;

const SERVICES = [
  {
    name: 'Full Groom',
    description: 'Bath, blow-dry, breed-appropriate haircut, ear cleaning, nail trim and a finishing spritz.',
    basePriceCents: 8500,
    durationMinutes: 120,
    isAddOn: false,
  },
  {
    name: 'Bath & Brush',
    description: 'Shampoo and conditioner, hand dry, thorough brush-out and a neat tidy of feet and face.',
    basePriceCents: 5500,
    durationMinutes: 60,
    isAddOn: false,
  },
  {
    name: 'Puppy Intro',
    description:
      'A gentle first visit for puppies under six months: short bath, brush, and getting used to the dryer and table.',
    basePriceCents: 4000,
    durationMinutes: 45,
    isAddOn: false,
  },
  {
    name: 'Feline Groom',
    description:
      'Calm, cat-only session: bath or waterless wash, de-matting, sanitary trim and nail clip. Lion cut on request.',
    basePriceCents: 7500,
    durationMinutes: 90,
    isAddOn: false,
  },
  {
    name: 'De-shedding Treatment',
    description:
      'Undercoat-release shampoo and conditioner with a high-velocity blow-out that removes loose undercoat.',
    basePriceCents: 7000,
    durationMinutes: 90,
    isAddOn: false,
  },
  {
    name: 'Nail Trim',
    description: 'Clip and file nails. Add it to any appointment or book it on its own.',
    basePriceCents: 1500,
    durationMinutes: 15,
    isAddOn: true,
  },
  {
    name: 'Teeth Brushing',
    description: 'Enzymatic toothpaste brushing for fresher breath between dental check-ups.',
    basePriceCents: 1200,
    durationMinutes: 15,
    isAddOn: true,
  },
] as const;

const CUSTOMERS: CustomerPlan[] = [
  {
    name: 'Chloe Martin',
    email: 'chloe@example.test',
    phone: '+1 555-0142',
    address: '18 Alder Lane, Springfield, OR 97477',
    status: 'ACTIVE',
    customerSinceDays: 400,
    card: { brand: 'Visa', last4: '4242', expMonth: 8, expYearsAhead: 2 },
    promotionsByEmail: true,
    pets: [
      {
        name: 'Biscuit',
        species: 'Dog',
        breed: 'Cockapoo',
        weightKg: 9.5,
        ageYears: 4,
        birthMonth: 3,
        size: 'MEDIUM',
        coatType: 'Curly',
        healthAlerts: ['Allergic to oatmeal shampoo'],
        groomingNotes:
          'Nervous around the big dryer: use low heat and towel-dry the face. Loves the peanut-butter lick mat.',
        cutStyle: 'Teddy bear cut, 1/2" on the body, round face',
        vaccinations: [
          ['Rabies', 420],
          ['DHPP', 12],
          ['Bordetella', 160],
        ],
      },
      {
        name: 'Miso',
        species: 'Cat',
        breed: 'Maine Coon',
        weightKg: 6.8,
        ageYears: 6,
        birthMonth: 10,
        size: 'MEDIUM',
        coatType: 'Long, prone to matting',
        healthAlerts: ['Heart murmur: keep sessions short, no sedation'],
        groomingNotes: 'Mats behind the ears and on the belly. Prefers the quiet room; handle with a towel wrap.',
        cutStyle: 'Lion cut in summer, comb-out and sanitary trim otherwise',
        vaccinations: [
          ['Rabies', 300],
          ['FVRCP', -20],
        ],
      },
    ],
    appointments: [
      {
        pet: 'Biscuit',
        service: 'Full Groom',
        groomer: 'gus@salon.test',
        day: -120,
        hour: 9,
        status: 'COMPLETED',
        invoice: 'PAID',
        tipCents: 1000,
        report: {
          mood: 'Happy and wiggly',
          conditionNotes:
            'Coat in good shape, a few small mats behind the ears brushed out. Ears clean, nails trimmed.',
          nextInWeeks: 6,
        },
      },
      {
        pet: 'Miso',
        service: 'Feline Groom',
        groomer: 'gwen@salon.test',
        day: -84,
        hour: 13,
        status: 'COMPLETED',
        invoice: 'PAID',
        tipCents: 800,
        report: {
          mood: 'Grumpy at first, settled once wrapped',
          conditionNotes:
            'Belly mats shaved out; skin underneath healthy. Lion cut done, tail plume and mane left full.',
          nextInWeeks: 8,
        },
      },
      {
        pet: 'Biscuit',
        service: 'Bath & Brush',
        groomer: 'gus@salon.test',
        day: -56,
        hour: 9,
        status: 'COMPLETED',
        invoice: 'PAID',
        tipCents: 0,
        report: {
          mood: 'Relaxed',
          conditionNotes: 'Used the hypoallergenic shampoo; no redness afterwards. Coat growing out evenly.',
          nextInWeeks: 4,
        },
      },
      {
        pet: 'Biscuit',
        service: 'Full Groom',
        groomer: 'gwen@salon.test',
        day: -40,
        hour: 9,
        status: 'CANCELLED',
      },
      {
        pet: 'Miso',
        service: 'Nail Trim',
        groomer: 'gwen@salon.test',
        day: -28,
        hour: 13,
        status: 'COMPLETED',
        invoice: 'PAID',
        tipCents: 300,
        report: {
          mood: 'Calm',
          conditionNotes: 'Quick nail clip, all claws healthy. Small mat starting behind the left ear.',
          nextInWeeks: 6,
        },
      },
      {
        pet: 'Biscuit',
        service: 'Full Groom',
        groomer: 'gus@salon.test',
        day: -6,
        hour: 9,
        status: 'COMPLETED',
        invoice: 'PENDING',
        report: {
          mood: 'Excited, a bit restless on the table',
          conditionNotes:
            'Slight redness on the belly, likely from grass; monitor. Teddy bear cut refreshed, ears plucked.',
          nextInWeeks: 6,
        },
      },
      {
        pet: 'Biscuit',
        service: 'Bath & Brush',
        groomer: 'gwen@salon.test',
        day: 4,
        hour: 13,
        status: 'SCHEDULED',
        customerNotes: 'Please use the hypoallergenic shampoo again, the oatmeal one made her itchy.',
      },
      {
        pet: 'Miso',
        service: 'Feline Groom',
        groomer: 'gus@salon.test',
        day: 18,
        hour: 9,
        status: 'CONFIRMED',
      },
    ],
    threadStartsDaysAgo: 3,
    messages: [
      { afterMinutes: 0, body: 'Hi! Biscuit had a little redness on her belly after her groom. Anything I should do?' },
      {
        afterMinutes: 35,
        body: 'Hi Chloe, Gus noticed it too. It looked like grass irritation; a cool damp cloth and keeping her off long grass for a few days should help.',
      },
      { afterMinutes: 80, body: 'Thanks! Could you use the hypoallergenic shampoo at her next bath?' },
      { afterMinutes: 95, body: "Absolutely, I've added a note to her booking. See you both soon!" },
      { afterMinutes: 1500, body: 'Perfect, thank you. Also, is Miso due for a lion cut again?' },
    ],
  },
  {
    name: 'Dan Whitaker',
    email: 'dan@example.test',
    phone: '+1 555-0178',
    address: '402 Harbor View Rd, Apt 5B, Springfield, OR 97478',
    status: 'ACTIVE',
    customerSinceDays: 250,
    card: { brand: 'Mastercard', last4: '5454', expMonth: 3, expYearsAhead: 3 },
    promotionsByEmail: false,
    pets: [
      {
        name: 'Bruno',
        species: 'Dog',
        breed: 'Bernese Mountain Dog',
        weightKg: 46.5,
        ageYears: 5,
        birthMonth: 6,
        size: 'XLARGE',
        coatType: 'Double coat',
        healthAlerts: ['Hip dysplasia: support the hindquarters, use the lift table'],
        groomingNotes: 'Heavy seasonal shedding. Gentle giant but hates having his back feet handled.',
        cutStyle: 'Natural, tidy feet and sanitary trim only (never shave)',
        vaccinations: [
          ['Rabies', 500],
          ['DHPP', 210],
          ['Bordetella', -45],
        ],
      },
      {
        name: 'Pepper',
        species: 'Dog',
        breed: 'Miniature Schnauzer',
        weightKg: 7.2,
        ageYears: 2,
        birthMonth: 11,
        size: 'SMALL',
        coatType: 'Wiry',
        healthAlerts: ['Sensitive skin: no fragranced products', 'Gets carsick; may arrive a little queasy'],
        groomingNotes: 'Barks at the dryer but stands well. Owner likes the beard kept long.',
        cutStyle: 'Classic schnauzer, long beard and eyebrows',
        vaccinations: [
          ['Rabies', 25],
          ['DHPP', 330],
          ['Bordetella', 90],
        ],
      },
    ],
    appointments: [
      {
        pet: 'Bruno',
        service: 'De-shedding Treatment',
        groomer: 'gus@salon.test',
        day: -105,
        hour: 11,
        status: 'COMPLETED',
        invoice: 'PAID',
        tipCents: 1500,
        report: {
          mood: 'Happy, leaned on the groomer the whole time',
          conditionNotes:
            'Removed a huge amount of undercoat. Skin healthy, no hot spots. Hips stiff getting off the table.',
          nextInWeeks: 8,
        },
      },
      {
        pet: 'Pepper',
        service: 'Full Groom',
        groomer: 'gwen@salon.test',
        day: -77,
        hour: 11,
        status: 'COMPLETED',
        invoice: 'PAID',
        tipCents: 1000,
        report: {
          mood: 'Vocal but cooperative',
          conditionNotes: 'Hand-stripped the back, clippered the sides. Beard and brows left long as requested.',
          nextInWeeks: 6,
        },
      },
      {
        pet: 'Bruno',
        service: 'Bath & Brush',
        groomer: 'gus@salon.test',
        day: -49,
        hour: 15,
        status: 'COMPLETED',
        invoice: 'PAID',
        tipCents: 500,
        report: {
          mood: 'Sleepy and content',
          conditionNotes: 'Coat much less dense after last de-shed. Small tangle behind the collar worked out.',
          nextInWeeks: 6,
        },
      },
      {
        pet: 'Pepper',
        service: 'Teeth Brushing',
        groomer: 'gwen@salon.test',
        day: -21,
        hour: 15,
        status: 'CANCELLED',
      },
      {
        pet: 'Bruno',
        service: 'Full Groom',
        groomer: 'gwen@salon.test',
        day: -10,
        hour: 11,
        status: 'COMPLETED',
        invoice: 'PENDING',
        report: {
          mood: 'A little anxious at first, settled quickly',
          conditionNotes:
            'Feet and sanitary tidied, full blow-out. Noticed mild redness between the toes on the back left paw.',
          nextInWeeks: 6,
        },
      },
      {
        pet: 'Pepper',
        service: 'Full Groom',
        groomer: 'gus@salon.test',
        day: 7,
        hour: 11,
        status: 'CONFIRMED',
      },
      {
        pet: 'Bruno',
        service: 'De-shedding Treatment',
        groomer: 'gwen@salon.test',
        day: 12,
        hour: 15,
        status: 'SCHEDULED',
        customerNotes: "He's blowing his coat badly this month. Could you also check the redness on his back paw?",
      },
    ],
    threadStartsDaysAgo: 23,
    messages: [
      { afterMinutes: 0, body: "Hello, can I move Pepper's teeth brushing? Something came up at work." },
      {
        afterMinutes: 20,
        body: "Hi Dan, no problem. I've cancelled it for now; would you like to add it to her next full groom instead?",
      },
      { afterMinutes: 240, body: "Yes please, that works. Also, Bruno's shedding is out of control again." },
      {
        afterMinutes: 265,
        body: "Ha, it's the season! A de-shedding treatment makes a big difference; book one whenever suits and we'll take care of him.",
      },
    ],
  },
  {
    name: 'Dora Fenwick',
    email: 'dora@example.test',
    phone: '+1 555-0119',
    address: '7 Quarry Street, Springfield, OR 97477',
    status: 'DISABLED',
    customerSinceDays: 300,
    counterPayment: 'Cash',
    promotionsByEmail: true,
    pets: [
      {
        name: 'Waffles',
        species: 'Dog',
        breed: 'Dachshund',
        weightKg: 8.1,
        ageYears: 9,
        birthMonth: 1,
        size: 'SMALL',
        coatType: 'Smooth',
        healthAlerts: ['Back problems: do not lift by the front legs'],
        groomingNotes: 'Senior dog; keep him warm and give breaks.',
        cutStyle: 'None (smooth coat), nails short',
        vaccinations: [['Rabies', 200]],
      },
    ],
    appointments: [
      {
        pet: 'Waffles',
        service: 'Bath & Brush',
        groomer: 'gus@salon.test',
        day: -70,
        hour: 13,
        status: 'COMPLETED',
        invoice: 'PAID',
        tipCents: 0,
        report: {
          mood: 'Calm and sleepy',
          conditionNotes: 'Skin healthy, nails ground down short. A little stiff in the back; took it slow.',
          nextInWeeks: 8,
        },
      },
    ],
    threadStartsDaysAgo: 0,
    messages: [],
  },
];

/** UTC midnight of the day `days` from `now`. */
function utcDay(now: Date, days: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + days * DAY_MS);
}

/**
 * A salon-hours start time: `hour`:00 UTC on the day `days` from `now`. The salon is closed on
 * Sundays, so a past Sunday moves back to Saturday and a future one forward to Monday (plans keep
 * each customer's appointments at least two days apart, so this never makes two collide).
 */
function salonSlot(now: Date, days: number, hour: number): Date {
  let day = utcDay(now, days);
  if (day.getUTCDay() === 0) day = new Date(day.getTime() + (days < 0 ? -DAY_MS : DAY_MS));
  return new Date(day.getTime() + hour * 60 * MINUTE_MS);
}

/** A date-only value (UTC midnight) `days` after the given instant's day. */
function dateOnly(instant: Date, days = 0): Date {
  return utcDay(instant, days);
}

function addMinutes(instant: Date, minutes: number): Date {
  return new Date(instant.getTime() + minutes * MINUTE_MS);
}

function byKey<T>(rows: T[], key: (row: T) => string): Map<string, T> {
  return new Map(rows.map((row) => [key(row), row]));
}

function must<T>(map: Map<string, T>, key: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`seed: no row for ${key}`);
  return value;
}

export async function seedDemoData(prisma: PrismaClient, now: Date = new Date()): Promise<void> {
  // Each distinct password is hashed once, in parallel (scrypt runs on the libuv thread pool).
  const [managerHash, staffHash, customerHash] = await Promise.all([
    hashPassword(PASSWORDS.manager),
    hashPassword(PASSWORDS.staff),
    hashPassword(PASSWORDS.customer),
  ]);
  const staffHashes = { manager: managerHash, staff: staffHash };

  // Wave 1: rows without foreign keys.
  const [staffRows, serviceRows, customerRows] = await Promise.all([
    prisma.staff.createManyAndReturn({
      data: STAFF.map((s, i) => ({
        name: s.name,
        email: s.email,
        role: s.role,
        active: true,
        passwordHash: staffHashes[s.password],
        createdAt: addMinutes(utcDay(now, -720 + i * 30), 9 * 60),
      })),
    }),
    prisma.service.createManyAndReturn({ data: SERVICES.map((s) => ({ ...s, active: true })) }),
    prisma.customer.createManyAndReturn({
      data: CUSTOMERS.map((c) => ({
        name: c.name,
        email: c.email,
        phone: c.phone,
        address: c.address,
        status: c.status,
        passwordHash: customerHash,
        createdAt: addMinutes(utcDay(now, -c.customerSinceDays), 16 * 60 + 20),
      })),
    }),
  ]);
  const staffByEmail = byKey(staffRows, (s) => s.email);
  const serviceByName = byKey(serviceRows, (s) => s.name);
  const customerByEmail = byKey(customerRows, (c) => c.email);
  const rita = must(staffByEmail, 'rita@salon.test');

  // Wave 2: pets, saved cards, messages and notification preferences (need customers, staff).
  const preferences: Prisma.NotificationPreferenceCreateManyInput[] = [];
  const messages: Prisma.MessageCreateManyInput[] = [];
  for (const plan of CUSTOMERS) {
    const customerId = must(customerByEmail, plan.email).id;
    for (const category of NOTIFICATION_CATEGORIES) {
      for (const channel of NOTIFICATION_CHANNELS) {
        const enabled =
          channel === 'EMAIL'
            ? category !== 'PROMOTIONS' || plan.promotionsByEmail
            : channel === 'SMS'
              ? category === 'APPOINTMENTS'
              : false;
        preferences.push({ customerId, category, channel, enabled });
      }
    }
    const threadStart = addMinutes(utcDay(now, -plan.threadStartsDaysAgo), 10 * 60);
    plan.messages.forEach((m, i) => {
      const salon = i % 2 === 1;
      messages.push({
        customerId,
        sender: salon ? 'SALON' : 'CUSTOMER',
        staffId: salon ? rita.id : null,
        body: m.body,
        sentAt: addMinutes(threadStart, m.afterMinutes),
      });
    });
  }

  const [petRows, cardRows] = await Promise.all([
    prisma.pet.createManyAndReturn({
      data: CUSTOMERS.flatMap((plan) =>
        plan.pets.map((p) => ({
          customerId: must(customerByEmail, plan.email).id,
          name: p.name,
          species: p.species,
          breed: p.breed,
          weightKg: p.weightKg,
          birthDate: new Date(Date.UTC(now.getUTCFullYear() - p.ageYears, p.birthMonth - 1, 14)),
          size: p.size,
          coatType: p.coatType,
          healthAlerts: p.healthAlerts,
          groomingNotes: p.groomingNotes,
          cutStyle: p.cutStyle,
          createdAt: addMinutes(utcDay(now, -plan.customerSinceDays), 16 * 60 + 30),
        })),
      ),
    }),
    prisma.paymentMethod.createManyAndReturn({
      data: CUSTOMERS.flatMap((plan) =>
        plan.card
          ? [
              {
                customerId: must(customerByEmail, plan.email).id,
                brand: plan.card.brand,
                last4: plan.card.last4,
                expMonth: plan.card.expMonth,
                expYear: now.getUTCFullYear() + plan.card.expYearsAhead,
                isDefault: true,
                createdAt: addMinutes(utcDay(now, -plan.customerSinceDays), 16 * 60 + 40),
              },
            ]
          : [],
      ),
    }),
    prisma.notificationPreference.createMany({ data: preferences }),
    prisma.message.createMany({ data: messages }),
  ]);
  const petByOwnerAndName = byKey(petRows, (p) => `${p.customerId}/${p.name}`);
  const cardByCustomer = byKey(cardRows, (c) => c.customerId);

  // Wave 3: vaccinations and appointments (need pets).
  const vaccinations: Prisma.VaccinationCreateManyInput[] = [];
  const appointments: (Prisma.AppointmentCreateManyInput & { plan: AppointmentPlan; customer: CustomerPlan })[] = [];
  for (const plan of CUSTOMERS) {
    const customerId = must(customerByEmail, plan.email).id;
    for (const pet of plan.pets) {
      const petId = must(petByOwnerAndName, `${customerId}/${pet.name}`).id;
      for (const [name, daysLeft] of pet.vaccinations)
        vaccinations.push({ petId, name, expiresOn: utcDay(now, daysLeft) });
    }
    for (const a of plan.appointments) {
      const service = must(serviceByName, a.service);
      const startsAt = salonSlot(now, a.day, a.hour);
      const endsAt = addMinutes(startsAt, service.durationMinutes);
      // Booked about two weeks ahead; last touched when it was completed or cancelled.
      const createdAt = addMinutes(startsAt, -14 * 24 * 60 - 7 * 60);
      const updatedAt =
        a.status === 'COMPLETED' ? endsAt : a.status === 'CANCELLED' ? addMinutes(startsAt, -2 * 24 * 60) : createdAt;
      appointments.push({
        plan: a,
        customer: plan,
        customerId,
        petId: must(petByOwnerAndName, `${customerId}/${a.pet}`).id,
        serviceId: service.id,
        groomerId: must(staffByEmail, a.groomer).id,
        startsAt,
        endsAt,
        status: a.status,
        customerNotes: a.customerNotes ?? null,
        createdAt,
        updatedAt,
      });
    }
  }

  const [appointmentRows] = await Promise.all([
    prisma.appointment.createManyAndReturn({
      data: appointments.map(({ plan: _plan, customer: _customer, ...row }) => row),
    }),
    prisma.vaccination.createMany({ data: vaccinations }),
  ]);
  const appointmentByPetAndStart = byKey(appointmentRows, (a) => `${a.petId}/${a.startsAt.getTime()}`);

  // Wave 4: report cards and invoices (need appointments). Invoice numbers follow issue order.
  const reportCards: Prisma.ReportCardCreateManyInput[] = [];
  const invoices: Prisma.InvoiceCreateManyInput[] = [];
  for (const a of appointments) {
    const row = must(appointmentByPetAndStart, `${a.petId}/${(a.startsAt as Date).getTime()}`);
    const endsAt = a.endsAt as Date;
    if (a.plan.report) {
      reportCards.push({
        appointmentId: row.id,
        mood: a.plan.report.mood,
        conditionNotes: a.plan.report.conditionNotes,
        nextRecommendedDate: dateOnly(endsAt, a.plan.report.nextInWeeks * 7),
        createdAt: addMinutes(endsAt, 10),
      });
    }
    if (a.plan.invoice) {
      const subtotalCents = must(serviceByName, a.plan.service).basePriceCents;
      const taxCents = Math.round(subtotalCents * TAX_RATE);
      const tipCents = a.plan.tipCents ?? 0;
      const paid = a.plan.invoice === 'PAID';
      const card = cardByCustomer.get(row.customerId);
      invoices.push({
        number: '',
        customerId: row.customerId,
        appointmentId: row.id,
        subtotalCents,
        taxCents,
        tipCents,
        totalCents: subtotalCents + taxCents + tipCents,
        status: a.plan.invoice,
        issuedAt: addMinutes(endsAt, 5),
        paidAt: paid ? addMinutes(endsAt, 12) : null,
        paymentMethodId: paid && card ? card.id : null,
        paidWith: paid ? (card ? `${card.brand} •••• ${card.last4}` : (a.customer.counterPayment ?? 'Cash')) : null,
      });
    }
  }
  invoices
    .sort((x, y) => (x.issuedAt as Date).getTime() - (y.issuedAt as Date).getTime())
    .forEach((invoice, i) => (invoice.number = `INV-${FIRST_INVOICE_NUMBER + i}`));

  await Promise.all([
    prisma.reportCard.createMany({ data: reportCards }),
    prisma.invoice.createMany({ data: invoices }),
  ]);
}
