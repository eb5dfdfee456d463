// The app every portal test file starts: demo data, chloe signed in, her ids, and the steps the
// portal mutation tests share. Each file starts its own with `startPortalApp()` in `beforeAll`.
import { portalFactories, type AppointmentView, type PortalIds } from './factories.ts';
import { startTestApp, type GqlResult, type TestApp } from './harness.ts';

export interface PortalApp {
  app: TestApp;
  prisma: TestApp['services']['prisma'];
  factories: ReturnType<typeof portalFactories>;
  /** chloe's token, signed in when the app started. */
  chloe: string;
  chloeIds: PortalIds;
  asChloe<T = any>(query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>>;
  /** Moves the clock and signs chloe in again (her first token expires AUTH_SESSION_HOURS after the start). */
  moveClockTo(instant: Date): Promise<string>;
  /** Puts the clock back where it was when the app started (for `afterEach`). */
  resetClock(): void;
  /** A new pet of chloe's with a booked appointment of its own, clear of every other test. */
  bookedAppointment(options?: { serviceName?: string; groomerName?: string }): Promise<AppointmentView>;
}

export async function startPortalApp(): Promise<PortalApp> {
  const app = await startTestApp();
  const startedAt = app.clock.now();
  const factories = portalFactories(app);
  const chloe = await app.signIn('chloe');
  const chloeIds = await factories.me(chloe);

  return {
    app,
    prisma: app.services.prisma,
    factories,
    chloe,
    chloeIds,
    asChloe: (query, variables = {}) => app.gql(query, variables, chloe),
    async moveClockTo(instant) {
      app.clock.set(instant);
      return app.signIn('chloe');
    },
    resetClock: () => app.clock.set(startedAt),
    async bookedAppointment(options = {}) {
      const pet = await factories.addPet(chloe);
      const service = await factories.service(options.serviceName ?? 'Bath & Brush');
      const groomerId = options.groomerName ? (await factories.groomer(chloe, options.groomerName)).id : undefined;
      return factories.book(chloe, { petId: pet.id, serviceId: service.id, groomerId });
    },
  };
}
