// Default-deny reads, proven for the whole schema: every object type is a portal type (readable only
// by its customer or an impersonation of them) or a reviewed exception; and every path from Query
// and Subscription is walked as each caller, failing on any portal record that reaches someone who
// may not read it. A type or field added later is walked without touching this file.
import { getNamedType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_PORTAL_TYPES } from '../server/schema/portal-read.ts';
import { schema } from '../server/schema/index.ts';
import { startTestApp, type GqlResult, type TestApp } from './harness.ts';
import { collect, startSession } from './impersonation-helpers.ts';
import { objectTypes, operation, paths, portalTypes } from './schema-walk.ts';

/** Every portal record in a response: its type and id. */
function portalRecords(value: unknown, found: { type: string; id: string | null }[] = []) {
  if (Array.isArray(value)) value.forEach((item) => portalRecords(item, found));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.__typename === 'string' && portalTypes.has(record.__typename)) {
      found.push({ type: record.__typename, id: typeof record.id === 'string' ? record.id : null });
    }
    Object.values(record).forEach((item) => portalRecords(item, found));
  }
  return found;
}

describe('Portal types', () => {
  it('every object type is portal data or a reviewed exception', () => {
    const unreviewed = objectTypes
      .filter((type) => !portalTypes.has(type.name) && !(type.name in NOT_PORTAL_TYPES))
      .map((type) => type.name);
    expect(unreviewed).toEqual([]);
  });

  it('no reviewed exception is marked as portal data', () => {
    expect(Object.keys(NOT_PORTAL_TYPES).filter((name) => portalTypes.has(name))).toEqual([]);
  });

  it('the portal types are the customer’s data', () => {
    expect([...portalTypes].sort()).toEqual(
      expect.arrayContaining(['Appointment', 'Customer', 'Invoice', 'Message', 'PaymentMethod', 'Pet', 'ReportCard']),
    );
  });
});

describe('Reads walked for the whole schema', () => {
  let app: TestApp;
  let chloeIds: Set<string>;
  let chloeSessionId: string;
  const tokens: Record<string, string | undefined> = {};
  const queryPaths = paths(schema.getQueryType()!);
  const subscriptionPaths = paths(schema.getSubscriptionType()!);

  beforeAll(async () => {
    app = await startTestApp();
    const [mara, max] = [await app.signIn('mara'), await app.signIn('max')];
    const ofChloe = await startSession(app, max, 'chloe@example.test');
    const ofDan = await startSession(app, mara, 'dan@example.test');
    chloeSessionId = ofChloe.session.id;
    Object.assign(tokens, {
      anonymous: undefined,
      groomer: await app.signIn('gus'),
      receptionist: await app.signIn('rita'),
      manager: await app.signIn('mara'),
      'another customer': await app.signIn('dan'),
      'an impersonation of another customer': ofDan.token,
      'the customer': await app.signIn('chloe'),
      'an impersonation of the customer': ofChloe.token,
    });
    const chloe = await app.services.prisma.customer.findUniqueOrThrow({
      where: { email: 'chloe@example.test' },
      include: {
        pets: { include: { vaccinations: true } },
        appointments: { include: { reportCard: true } },
        invoices: true,
        paymentMethods: true,
        messages: true,
        notificationPreferences: true,
        impersonationSessions: true,
      },
    });
    chloeIds = new Set([
      chloe.id,
      ...chloe.pets.flatMap((pet) => [pet.id, ...pet.vaccinations.map((v) => v.id)]),
      ...chloe.appointments.flatMap((a) => [a.id, ...(a.reportCard ? [a.reportCard.id] : [])]),
      ...[chloe.invoices, chloe.paymentMethods, chloe.messages, chloe.notificationPreferences].flat().map((r) => r.id),
      ...chloe.impersonationSessions.map((session) => session.id),
    ]);
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Every portal record each path serves to `caller`, over HTTP (queries) and graphql-ws (subscriptions). */
  async function served(caller: string) {
    const records: { type: string; id: string | null; path: string }[] = [];
    for (const path of queryPaths) {
      const query = operation('query', path);
      const result: GqlResult = await app.gql(query, { id: chloeSessionId }, tokens[caller]);
      records.push(...portalRecords(result.data).map((record) => ({ ...record, path: query })));
    }
    const client = app.wsClient(tokens[caller]);
    for (const path of subscriptionPaths) {
      const query = operation('subscription', path);
      const feed = collect<unknown>(client, query);
      await Promise.race([feed.until(() => true, 2000).catch(() => undefined), feed.done]);
      records.push(...portalRecords(feed.values).map((record) => ({ ...record, path: query })));
    }
    await client.dispose();
    return records;
  }

  it.each(['anonymous', 'groomer', 'receptionist', 'manager'])(
    'no portal field resolves for %s (unauthorized)',
    async (caller) => {
      expect(await served(caller)).toEqual([]);
    },
  );

  it.each(['another customer', 'an impersonation of another customer'])(
    'no record of the customer reaches %s (unauthorized)',
    async (caller) => {
      const leaked = (await served(caller)).filter((record) => record.id === null || chloeIds.has(record.id));
      expect(leaked).toEqual([]);
    },
  );

  it.each(['the customer', 'an impersonation of the customer'])('the portal resolves for %s', async (caller) => {
    const types = new Set((await served(caller)).map((record) => record.type));
    expect([...types].sort()).toEqual(
      expect.arrayContaining(['Appointment', 'Customer', 'Invoice', 'Message', 'PaymentMethod', 'Pet', 'Vaccination']),
    );
  });

  it('walks a path to every portal type', () => {
    const reached = new Set(
      queryPaths
        .map((path) => getNamedType((path.chain.at(-1) ?? path.root).type).name)
        .filter((name) => portalTypes.has(name)),
    );
    expect([...reached].sort()).toEqual([...portalTypes].sort());
  });
});
