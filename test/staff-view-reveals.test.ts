// Masked until revealed (SPEC 10, issue 23 item 3): in a staff view, fields declared sensitive for
// staff (server/schema/staff-masks.ts) come masked, same types, on every transport; a reveal opens one
// field of one record for the rest of the view, with a reason that follows the start's rule, recorded
// (a StaffViewReveal row and one audit record), rate limited per view, counted in the session
// summary and told to the customer in plain words. The customer's own portal is unchanged.
import { getNamedType, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { schema } from '../server/schema/index.ts';
import { MASKED_TEXT, NOT_MASKED_FOR_STAFF, maskValue, type SensitiveForStaff } from '../server/schema/staff-masks.ts';
import { expectData } from './factories.ts';
import { errorCode, startTestApp, type GqlResult, type TestApp } from './harness.ts';
import { REASON, collect, customerId } from './impersonation-helpers.ts';
import { objectTypes, operation, paths, portalTypes } from './schema-walk.ts';

const START = `mutation Start($customerId: ID!, $reason: String!, $scope: StaffViewScopeInput) {
  startImpersonation(customerId: $customerId, reason: $reason, scope: $scope) { token session { id } }
}`;
const END = 'mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }';
const REVEAL = `mutation Reveal($field: StaffViewMaskedField!, $recordId: ID!, $reason: String!) {
  revealStaffViewField(field: $field, recordId: $recordId, reason: $reason) { id field recordId reason }
}`;
const PORTAL = `query Portal { me { id address staffViewMasked
  pets { id name healthAlerts groomingNotes staffViewMasked }
  paymentMethods { id last4 expMonth expYear staffViewMasked }
  invoices { id paidWith staffViewMasked }
  messages { id body staffViewMasked } } }`;
const REVEAL_REASON = 'She asked whether we use the right shampoo';
const WHOLE = { sections: ['WHOLE_PORTAL'], need: 'Tests read every section of the portal' };

/** The fields declared sensitive for staff, by schema coordinate. */
const declared = new Map<string, SensitiveForStaff>(
  objectTypes.flatMap((type) =>
    Object.values(type.getFields()).flatMap((field) => {
      const mask = (field.extensions as { sensitiveForStaff?: SensitiveForStaff }).sensitiveForStaff;
      return mask ? [[`${type.name}.${field.name}`, mask] as const] : [];
    }),
  ),
);

describe('Declarations', () => {
  it('every text field of portal data, and every input the audit declares sensitive, is masked or reviewed', () => {
    const texts = objectTypes
      .filter((type) => portalTypes.has(type.name))
      .flatMap((type) => Object.values(type.getFields()).map((field) => ({ type, field })))
      .filter(({ field }) => getNamedType(field.type).name === 'String')
      .map(({ type, field }) => `${type.name}.${field.name}`);
    const auditSensitive = Object.values(schema.getTypeMap()).flatMap((type) => {
      const fields = 'getFields' in type ? Object.values((type as GraphQLObjectType).getFields()) : [];
      return fields.flatMap((field) => [
        ...((field.extensions as { sensitive?: boolean }).sensitive ? [`${type.name}.${field.name}`] : []),
        ...('args' in field ? field.args : [])
          .filter((arg) => (arg.extensions as { sensitive?: boolean }).sensitive)
          .map((arg) => `${type.name}.${field.name}(${arg.name}:)`),
      ]);
    });
    const unreviewed = [...texts, ...auditSensitive].filter(
      (coordinate) => !declared.has(coordinate) && !(coordinate in NOT_MASKED_FOR_STAFF),
    );
    expect(unreviewed).toEqual([]);
    expect(Object.keys(NOT_MASKED_FOR_STAFF).filter((c) => ![...texts, ...auditSensitive].includes(c))).toEqual([]);
  });

  it('declares the fields the salon chose (SECURITY.md: masked until revealed)', () => {
    expect([...declared.keys()].sort()).toEqual([
      'Customer.address',
      'Invoice.paidWith',
      'Message.body',
      'PaymentMethod.expMonth',
      'PaymentMethod.expYear',
      'PaymentMethod.last4',
      'Pet.groomingNotes',
      'Pet.healthAlerts',
    ]);
  });
});

/** How many values at masked coordinates the checks below saw (so a walk that saw none fails). */
let maskedSeen = 0;

/** Every value a response holds at a masked coordinate that is not its masked form. */
function unmasked(rootType: GraphQLObjectType, data: unknown): string[] {
  const found: string[] = [];
  const visit = (typeName: string, value: unknown) => {
    if (Array.isArray(value)) return value.forEach((item) => visit(typeName, item));
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const type = typeof record.__typename === 'string' ? record.__typename : typeName;
    const object = schema.getType(type) as GraphQLObjectType;
    for (const [key, item] of Object.entries(record)) {
      if (key === '__typename' || item === null || item === undefined) continue;
      const mask = declared.get(`${type}.${key}`);
      const empty = Array.isArray(item) && item.length === 0;
      if (mask && !empty) maskedSeen += 1;
      if (mask && !empty && JSON.stringify(item) !== JSON.stringify(maskValue(mask.kind, item))) {
        found.push(`${type}.${key} = ${JSON.stringify(item)}`);
      }
      visit(getNamedType(object.getFields()[key]!.type).name, item);
    }
  };
  visit(rootType.name, data);
  return found;
}

let app: TestApp;
let max: string;
let chloe: string;
let chloeToken: string;

beforeAll(async () => {
  app = await startTestApp({ config: { IMPERSONATION_STARTS_PER_WINDOW: 10_000, STAFF_VIEW_REVEALS_PER_SESSION: 3 } });
  [max, chloeToken] = [await app.signIn('max'), await app.signIn('chloe')];
  chloe = await customerId(app, max, 'chloe@example.test');
});
afterAll(async () => {
  await app?.close();
});
beforeEach(async () => {
  await app.services.prisma.impersonationSession.updateMany({
    where: { endedAt: null },
    data: { endedAt: app.clock.now(), endState: 'ENDED', endReason: 'test reset' },
  });
});

const startView = async (scope: unknown = WHOLE) =>
  expectData(await app.gql(START, { customerId: chloe, reason: REASON, scope }, max)).startImpersonation as {
    token: string;
    session: { id: string };
  };

const biscuitOf = (data: { me: { pets: { id: string; name: string }[] } }) =>
  data.me.pets.find((pet) => pet.name === 'Biscuit')!;

describe('Masked in a staff view', () => {
  it('every sensitive field comes masked, same types, with the record’s staffViewMasked (HTTP)', async () => {
    const { token } = await startView();
    const data = expectData(await app.gql(PORTAL, {}, token));
    expect(data.me).toMatchObject({ address: MASKED_TEXT, staffViewMasked: ['CUSTOMER_ADDRESS'] });
    expect(biscuitOf(data)).toMatchObject({
      healthAlerts: [MASKED_TEXT],
      staffViewMasked: ['PET_HEALTH_ALERTS', 'PET_GROOMING_NOTES'],
    });
    expect(data.me.paymentMethods[0]).toMatchObject({ last4: '••••', expMonth: 0, expYear: 0 });
    expect(data.me.invoices.map((i: { paidWith: string | null }) => i.paidWith)).toContain('Visa •••• ••••');
    expect(data.me.messages.every((m: { body: string }) => m.body === MASKED_TEXT)).toBe(true);
  });

  it('walking every query path (HTTP) and subscription path (graphql-ws), no masked field shows its value', async () => {
    const { token, session } = await startView();
    const leaks: string[] = [];
    const client = app.wsClient(token);
    try {
      for (const path of paths(schema.getQueryType()!)) {
        const result: GqlResult = await app.gql(operation('query', path), { id: session.id }, token);
        leaks.push(...unmasked(schema.getQueryType()!, result.data));
      }
      for (const path of paths(schema.getSubscriptionType()!)) {
        const feed = collect<unknown>(client, operation('subscription', path));
        await Promise.race([feed.until(() => true, 500).catch(() => undefined), feed.done]);
        for (const value of feed.values) leaks.push(...unmasked(schema.getSubscriptionType()!, value));
      }
      const overWs = collect<unknown>(client, PORTAL);
      await overWs.done;
      expect(overWs.values).toHaveLength(1);
      leaks.push(...unmasked(schema.getQueryType()!, overWs.values[0]));
    } finally {
      await client.dispose();
    }
    expect(leaks).toEqual([]);
    expect(maskedSeen).toBeGreaterThan(declared.size);
  }, 300_000);

  it('the customer’s own portal is unchanged: real values, nothing masked', async () => {
    const data = expectData(await app.gql(PORTAL, {}, chloeToken));
    expect(data.me.address).toBe('18 Alder Lane, Springfield, OR 97477');
    expect(biscuitOf(data)).toMatchObject({ healthAlerts: ['Allergic to oatmeal shampoo'], staffViewMasked: [] });
    expect(data.me.paymentMethods[0]).toMatchObject({ last4: '4242', expMonth: 8, staffViewMasked: [] });
    expect(data.me.staffViewMasked).toEqual([]);
  });
});

describe('Reveal', () => {
  it('a reveal of one health alert shows that value only, leaves one record with the reason, and appears in Chloe’s access log in plain words', async () => {
    const { token, session } = await startView();
    const before = expectData(await app.gql(PORTAL, {}, token));
    const biscuit = biscuitOf(before);
    const revealed = expectData(
      await app.gql(REVEAL, { field: 'PET_HEALTH_ALERTS', recordId: biscuit.id, reason: REVEAL_REASON }, token),
    ).revealStaffViewField;
    expect(revealed).toMatchObject({ field: 'PET_HEALTH_ALERTS', recordId: biscuit.id, reason: REVEAL_REASON });

    const after = expectData(await app.gql(PORTAL, {}, token));
    expect(biscuitOf(after)).toMatchObject({
      healthAlerts: ['Allergic to oatmeal shampoo'],
      groomingNotes: before.me.pets.find((p: { id: string }) => p.id === biscuit.id).groomingNotes,
      staffViewMasked: ['PET_GROOMING_NOTES'],
    });
    const others = after.me.pets.filter((pet: { id: string }) => pet.id !== biscuit.id);
    expect(others.every((pet: { healthAlerts: string[] }) => pet.healthAlerts.every((a) => a === MASKED_TEXT))).toBe(
      true,
    );
    expect(after.me.address).toBe(MASKED_TEXT);

    const rows = await app.services.prisma.staffViewReveal.findMany({ where: { sessionId: session.id } });
    expect(rows).toEqual([
      expect.objectContaining({ field: 'PET_HEALTH_ALERTS', recordId: biscuit.id, reason: REVEAL_REASON }),
    ]);
    const records = await app.services.prisma.auditEvent.findMany({
      where: { sessionId: session.id, action: 'STAFF_VIEW_FIELD_REVEALED' },
    });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      reason: REVEAL_REASON,
      seen: { reveal: { field: 'PET_HEALTH_ALERTS', record: `Pet:${biscuit.id}`, reason: REVEAL_REASON } },
    });

    const log = expectData(
      await app.gql('{ me { staffAccessLog { id summary } } }', {}, chloeToken),
    ).me.staffAccessLog.find((entry: { id: string }) => entry.id === session.id);
    expect(log.summary).toContain(`revealed the health alerts of Biscuit (${REVEAL_REASON})`);

    const summary = expectData(
      await app.gql('query S($id: ID!) { auditSession(id: $id) { revealCount } }', { id: session.id }, max),
    ).auditSession;
    expect(summary.revealCount).toBe(1);
  });

  it('revealing the same field of the same record again leaves no second record', async () => {
    const { token, session } = await startView();
    const biscuit = biscuitOf(expectData(await app.gql(PORTAL, {}, token)));
    const args = { field: 'PET_GROOMING_NOTES', recordId: biscuit.id, reason: REVEAL_REASON };
    expectData(await app.gql(REVEAL, args, token));
    expectData(await app.gql(REVEAL, { ...args, reason: 'Another reason given the second time' }, token));
    expect(await app.services.prisma.staffViewReveal.count({ where: { sessionId: session.id } })).toBe(1);
  });

  it('reveals over graphql-ws too, and the socket’s next operation shows the value', async () => {
    const { token } = await startView();
    const client = app.wsClient(token);
    try {
      const read = async () => {
        const feed = collect<{ me: { address: string } }>(client, 'query Address { me { address } }');
        await feed.done;
        return feed.values[0]!.me.address;
      };
      expect(await read()).toBe(MASKED_TEXT);
      expectData(await app.gql(REVEAL, { field: 'CUSTOMER_ADDRESS', recordId: chloe, reason: REVEAL_REASON }, token));
      expect(await read()).toBe('18 Alder Lane, Springfield, OR 97477');
    } finally {
      await client.dispose();
    }
  });

  it.each([
    [
      'a field outside the view’s scope (unauthorized)',
      { sections: ['BILLING'] },
      'PET_HEALTH_ALERTS',
      REVEAL_REASON,
      'FORBIDDEN',
      'OUTSIDE_SCOPE',
    ],
    ['a reason of 9 letters (unauthorized)', WHOLE, 'PET_HEALTH_ALERTS', 'abcdefghi !!!', 'BAD_USER_INPUT', undefined],
  ])('refuses %s, with no reveal', async (_name, scope, field, reason, code, refusal) => {
    const { token: viewToken, session } = await startView(scope);
    const pet = await app.services.prisma.pet.findFirstOrThrow({ where: { customerId: chloe, name: 'Biscuit' } });
    const result = await app.gql(REVEAL, { field, recordId: pet.id, reason }, viewToken);
    expect(errorCode(result)).toBe(code);
    if (refusal) expect(result.errors?.[0]?.extensions?.reason).toBe(refusal);
    expect(await app.services.prisma.staffViewReveal.count({ where: { sessionId: session.id } })).toBe(0);
  });

  it('refuses another customer’s record (unauthorized): NOT_FOUND', async () => {
    const { token } = await startView();
    const other = await app.services.prisma.pet.findFirstOrThrow({ where: { customerId: { not: chloe } } });
    const result = await app.gql(
      REVEAL,
      { field: 'PET_HEALTH_ALERTS', recordId: other.id, reason: REVEAL_REASON },
      token,
    );
    expect(errorCode(result)).toBe('NOT_FOUND');
  });

  it('refuses a reveal outside a staff view (unauthorized): the customer and staff signed in as themselves', async () => {
    const pet = await app.services.prisma.pet.findFirstOrThrow({ where: { customerId: chloe } });
    for (const token of [chloeToken, max]) {
      const result = await app.gql(
        REVEAL,
        { field: 'PET_HEALTH_ALERTS', recordId: pet.id, reason: REVEAL_REASON },
        token,
      );
      expect(errorCode(result)).toBe('FORBIDDEN');
    }
  });

  it('is rate limited per view (STAFF_VIEW_REVEALS_PER_SESSION): the next reveal is RATE_LIMITED, a new view starts afresh', async () => {
    const { token, session } = await startView();
    const data = expectData(await app.gql(PORTAL, {}, token));
    const reveals = [
      { field: 'CUSTOMER_ADDRESS', recordId: chloe },
      ...data.me.pets.map((pet: { id: string }) => ({ field: 'PET_HEALTH_ALERTS', recordId: pet.id })),
      ...data.me.messages.map((message: { id: string }) => ({ field: 'MESSAGE_BODY', recordId: message.id })),
    ];
    const results = [];
    for (const reveal of reveals.slice(0, 4))
      results.push(await app.gql(REVEAL, { ...reveal, reason: REVEAL_REASON }, token));
    expect(results.slice(0, 3).map(errorCode)).toEqual([undefined, undefined, undefined]);
    expect(errorCode(results[3]!)).toBe('RATE_LIMITED');
    expect(results[3]!.errors?.[0]?.extensions?.reason).toBe('REVEAL_LIMIT_REACHED');
    expect(await app.services.prisma.staffViewReveal.count({ where: { sessionId: session.id } })).toBe(3);
    await app.gql(END, { id: session.id }, token);
    const next = await startView();
    expectData(await app.gql(REVEAL, { ...reveals[3], reason: REVEAL_REASON }, next.token));
  });
});
