// Sections enforced by the schema (SPEC 10, issue 23 item 2), proven for the whole schema: every
// field of portal data belongs to a section (server/schema/portal-sections.ts), and every path from
// Query (HTTP and graphql-ws) and Subscription (graphql-ws) is walked as a staff view of each scope,
// failing on any value outside it. A field outside the scope answers null and FORBIDDEN
// (OUTSIDE_SCOPE) at its path, and the audit record lists the path as refused.
import type { PortalSection } from '@prisma/client';
import { getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECTIONS } from '../server/impersonation/scope.ts';
import { schema } from '../server/schema/index.ts';
import { FIELD_SECTIONS, SHOWN_TO_EVERY_VIEW, TYPE_SECTIONS, sectionOf } from '../server/schema/portal-sections.ts';
import { scopeAllows } from '../server/schema/section-scope-plugin.ts';
import { expectData } from './factories.ts';
import { startTestApp, type GqlResult, type TestApp } from './harness.ts';
import { REASON, collect, customerId } from './impersonation-helpers.ts';
import { objectTypes, operation, paths, portalTypes, type LeafFilter } from './schema-walk.ts';

const START = `mutation Start($customerId: ID!, $reason: String!, $scope: StaffViewScopeInput) {
  startImpersonation(customerId: $customerId, reason: $reason, scope: $scope) { token session { id } }
}`;
const END = 'mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }';

/** The portal types each section's view must be served (it reads them, and nothing outside). */
const SECTION_TYPES: Record<Exclude<PortalSection, 'WHOLE_PORTAL'>, string[]> = {
  APPOINTMENTS: ['Appointment'],
  PETS: ['Pet', 'Vaccination'],
  REPORT_CARDS: ['ReportCard'],
  BILLING: ['Invoice', 'PaymentMethod'],
  MESSAGES: ['Message'],
  SETTINGS: ['NotificationPreference'],
};

/**
 * Every field of a non-portal type (roots included) whose type is portal data: an entry into it.
 * Mutations aside: a staff view runs none that returns portal data (mutatesCustomer, read-only.ts).
 */
const entries = objectTypes
  .filter((type) => !portalTypes.has(type.name) && type.name !== 'Mutation')
  .flatMap((type) => Object.values(type.getFields()).map((field) => ({ type, field })))
  .filter(({ field }) => portalTypes.has(getNamedType(field.type).name));

describe('Declarations', () => {
  it('every field of every portal type belongs to a section', () => {
    const undeclared = objectTypes
      .filter((type) => portalTypes.has(type.name))
      .flatMap((type) => Object.keys(type.getFields()).map((field) => `${type.name}.${field}`))
      .filter((coordinate) => {
        const [type, field] = coordinate.split('.') as [string, string];
        return sectionOf(type, field, true) === undefined;
      });
    expect(undeclared).toEqual([]);
  });

  it('every field leading into portal data from elsewhere (roots, the viewer) belongs to a section', () => {
    const undeclared = entries
      .map(({ type, field }) => `${type.name}.${field.name}`)
      .filter((coordinate) => !(coordinate in FIELD_SECTIONS));
    expect(undeclared).toEqual([]);
  });

  it('declares only fields and portal types that exist', () => {
    const stale = Object.keys(FIELD_SECTIONS).filter((coordinate) => {
      const [type, field] = coordinate.split('.') as [string, string];
      const found = schema.getType(type);
      return !isObjectType(found) || !(field in found.getFields());
    });
    expect(stale).toEqual([]);
    expect(Object.keys(TYPE_SECTIONS).filter((type) => !portalTypes.has(type))).toEqual([]);
  });
});

/** Every value a response holds outside `scope`, by the field that holds it. */
function outside(scope: readonly PortalSection[], rootType: GraphQLObjectType, data: unknown): string[] {
  const found: string[] = [];
  const visit = (typeName: string, value: unknown) => {
    if (Array.isArray(value)) return value.forEach((item) => visit(typeName, item));
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const type = typeof record.__typename === 'string' ? record.__typename : typeName;
    const object = schema.getType(type) as GraphQLObjectType;
    for (const [key, item] of Object.entries(record)) {
      if (key === '__typename' || item === null || item === undefined) continue;
      const section = sectionOf(type, key, portalTypes.has(type));
      const checked = section !== undefined || portalTypes.has(type);
      if (checked && !scopeAllows(scope, section)) found.push(`${type}.${key}`);
      visit(getNamedType(object.getFields()[key]!.type).name, item);
    }
  };
  visit(rootType.name, data);
  return found;
}

/** The portal types a response serves a value of its own section of (not only what every view shows). */
function servedTypes(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => servedTypes(item, found));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const type = record.__typename;
    const ownValue = (key: string) =>
      key !== '__typename' && record[key] !== null && sectionOf(String(type), key, true) !== SHOWN_TO_EVERY_VIEW;
    if (typeof type === 'string' && portalTypes.has(type) && Object.keys(record).some(ownValue)) found.add(type);
    Object.values(record).forEach((item) => servedTypes(item, found));
  }
  return found;
}

describe('Every path walked as a view of each scope', () => {
  let app: TestApp;
  let max: string;
  let chloe: string;
  const queryType = schema.getQueryType()!;
  const subscriptionType = schema.getSubscriptionType()!;
  const queryPaths = paths(queryType);
  const subscriptionPaths = paths(subscriptionType);

  beforeAll(async () => {
    app = await startTestApp({ config: { IMPERSONATION_STARTS_PER_WINDOW: 10_000 } });
    max = await app.signIn('max');
    chloe = await customerId(app, max, 'chloe@example.test');
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Runs `walk` in a view of `scope` of Chloe's, ended after. */
  async function inView<T>(scope: PortalSection[], walk: (token: string, sessionId: string) => Promise<T>) {
    const whole = scope.includes('WHOLE_PORTAL');
    const input = { sections: scope, need: whole ? 'The walk reads every section of the portal' : null };
    const { token, session } = expectData(
      await app.gql(START, { customerId: chloe, reason: REASON, scope: input }, max),
    ).startImpersonation;
    try {
      return await walk(token, session.id);
    } finally {
      await app.gql(END, { id: session.id }, max);
    }
  }

  /** Walks every query path over HTTP (and, with `socket`, over graphql-ws) and every subscription path. */
  async function walkAll(scope: PortalSection[], keep?: LeafFilter, socket = false) {
    return inView(scope, async (token, sessionId) => {
      const leaks: string[] = [];
      const types = new Set<string>();
      /** Query paths answered with data over graphql-ws (so the socket's walk is not empty). */
      let wsAnswers = 0;
      const client = app.wsClient(token);
      try {
        for (const path of queryPaths) {
          const query = operation('query', path, keep);
          const result: GqlResult = await app.gql(query, { id: sessionId }, token);
          leaks.push(...outside(scope, queryType, result.data).map((leak) => `${leak} in ${query}`));
          servedTypes(result.data, types);
          if (!socket) continue;
          const feed = collect<unknown>(client, query.replace('query Walk', 'query WalkWs'));
          await feed.done;
          for (const value of feed.values) leaks.push(...outside(scope, queryType, value).map((l) => `ws ${l}`));
          if (feed.values.some((value) => value !== null && value !== undefined)) wsAnswers += 1;
        }
        for (const path of subscriptionPaths) {
          const query = operation('subscription', path, keep);
          const feed = collect<unknown>(client, query);
          await Promise.race([feed.until(() => true, 500).catch(() => undefined), feed.done]);
          for (const value of feed.values) leaks.push(...outside(scope, subscriptionType, value).map((l) => `ws ${l}`));
        }
      } finally {
        await client.dispose();
      }
      return { leaks, types, wsAnswers };
    });
  }

  // Every scope over both transports: each query path over HTTP and over graphql-ws, each
  // subscription path over graphql-ws.
  const scopes: PortalSection[][] = [...SECTIONS.map((section) => [section]), ['BILLING', 'PETS'], ['WHOLE_PORTAL']];
  it.each(scopes.map((scope) => [scope.join(' + '), scope] as const))(
    'a view of %s reads no value outside it, every field selected (HTTP and graphql-ws)',
    async (_name, scope) => {
      const { leaks, wsAnswers } = await walkAll(scope, undefined, true);
      expect(leaks).toEqual([]);
      expect(wsAnswers).toBeGreaterThan(0);
    },
    // Every path twice (HTTP, then graphql-ws) and every subscription: longer than one request's test.
    180_000,
  );

  it.each(SECTIONS.map((section) => [section]))(
    'a view of %s reads its own section, when it asks for that section only',
    async (section) => {
      const scope = [section];
      const keep: LeafFilter = (type, field) =>
        scopeAllows(scope, sectionOf(type.name, field.name, portalTypes.has(type.name)));
      const { leaks, types } = await walkAll(scope, keep);
      expect(leaks).toEqual([]);
      expect([...types]).toEqual(expect.arrayContaining(SECTION_TYPES[section]));
      const others = Object.values(SECTION_TYPES)
        .flat()
        .filter((type) => !SECTION_TYPES[section].includes(type));
      expect([...types].filter((type) => others.includes(type))).toEqual([]);
    },
  );

  it('a whole-portal view reads every section', async () => {
    const { types } = await walkAll(['WHOLE_PORTAL']);
    expect([...types]).toEqual(expect.arrayContaining(Object.values(SECTION_TYPES).flat()));
  });
});

describe('A field outside the scope', () => {
  let app: TestApp;
  let max: string;
  let chloe: string;
  const QUERY = 'query Profile { me { name address pets { name healthAlerts } } }';

  beforeAll(async () => {
    app = await startTestApp();
    max = await app.signIn('max');
    chloe = await customerId(app, max, 'chloe@example.test');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers null and FORBIDDEN (OUTSIDE_SCOPE) at its path, recorded as refused: HTTP and graphql-ws', async () => {
    const scope = { sections: ['PETS'] };
    const { token, session } = expectData(
      await app.gql(START, { customerId: chloe, reason: REASON, scope }, max),
    ).startImpersonation;
    const overHttp = await app.gql(QUERY, {}, token);
    const client = app.wsClient(token);
    const feed = collect<unknown>(client, QUERY);
    await feed.done;
    await client.dispose();
    for (const result of [overHttp, { data: feed.values[0], errors: feed.errors }] as GqlResult[]) {
      expect(result.data.me).toMatchObject({ name: 'Chloe Martin', address: null });
      expect(result.data.me.pets.length).toBeGreaterThan(0);
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]).toMatchObject({
        path: ['me', 'address'],
        extensions: { code: 'FORBIDDEN', reason: 'OUTSIDE_SCOPE', section: 'SETTINGS' },
      });
    }
    const records = await app.services.prisma.auditEvent.findMany({
      where: { sessionId: session.id, operationName: 'Profile' },
    });
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record).toMatchObject({ outcome: 'PARTIAL', errorCode: 'FORBIDDEN' });
      expect((record.seen as { refused: string[] }).refused).toEqual(['me.address']);
    }
  });
});
