// Default-deny under impersonation, proven for the whole schema: every Mutation field is built
// with valid-shaped arguments from the schema itself and sent with an impersonation token over
// HTTP (POST, GET, batched) and graphql-ws. Each must be refused with IMPERSONATION_READ_ONLY
// (unless listed in READ_ONLY_EXEMPTIONS) and no row may change. A mutation added later is
// covered without touching this file.
import type { GraphQLField } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ONLY_EXEMPTIONS } from '../server/schema/read-only.ts';
import { databaseSnapshot } from './factories.ts';
import { startTestApp, type GqlResult, type TestApp } from './harness.ts';
import { startSession } from './impersonation-helpers.ts';
import { mutationFields, probeDocument, sampleValue } from './schema-probes.ts';

let app: TestApp;
let staffToken: string;
let impersonationToken: string;
let customerToken: string;

const guarded = mutationFields.filter((field) => !(field.name in READ_ONLY_EXEMPTIONS));

function operationFor(field: GraphQLField<unknown, unknown>) {
  const variables = Object.fromEntries(field.args.map((arg) => [arg.name, sampleValue(arg.type)]));
  return { query: probeDocument(field), variables };
}

// The audit log, its checkpoints and its chain heads move with every attempt, and the monitoring
// of those attempts may raise an alert (REFUSED_ATTEMPTS: the alert, its managers' email and its
// webhook deliveries); nothing else may.
const snapshot = () =>
  databaseSnapshot(app, ['AuditEvent', 'AuditCheckpoint', 'AuditChainHead', 'Alert', 'WebhookDelivery'], {
    NotificationOutbox: '"alertId" IS NULL',
  });

const readOnlyRefusal = (result: GqlResult) => result.errors?.[0]?.extensions;

beforeAll(async () => {
  app = await startTestApp();
  staffToken = await app.signIn('mara');
  customerToken = await app.signIn('chloe');
  impersonationToken = (await startSession(app, staffToken)).token;
});
afterAll(async () => {
  await app?.close();
});

describe('every mutation under impersonation', () => {
  it('finds the mutations to check, and every exemption names a real mutation', () => {
    expect(guarded.length).toBeGreaterThan(15);
    for (const name of Object.keys(READ_ONLY_EXEMPTIONS))
      expect(mutationFields.map((field) => field.name)).toContain(name);
  });

  it('a guarded mutation over HTTP POST runs only for the customer (unauthorized)', async () => {
    const before = await snapshot();
    for (const field of guarded) {
      const { query, variables } = operationFor(field);
      const result = await app.gql(query, variables, impersonationToken);
      expect(readOnlyRefusal(result), field.name).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'IMPERSONATION_READ_ONLY',
      });
      expect(result.data?.[field.name] ?? null, field.name).toBeNull();
    }
    expect(await snapshot()).toEqual(before);
  });

  it('is refused in one batched HTTP request and changes no row', async () => {
    const before = await snapshot();
    for (let i = 0; i < guarded.length; i += 10) {
      const batch = guarded.slice(i, i + 10).map(operationFor);
      const response = await fetch(app.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${impersonationToken}` },
        body: JSON.stringify(batch),
      });
      const results = (await response.json()) as GqlResult[];
      expect(results).toHaveLength(batch.length);
      for (const result of results)
        expect(readOnlyRefusal(result)).toMatchObject({ reason: 'IMPERSONATION_READ_ONLY' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('is never executed over HTTP GET', async () => {
    const before = await snapshot();
    for (const field of guarded) {
      const { query, variables } = operationFor(field);
      const url = `${app.url}?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify(variables))}`;
      const response = await fetch(url, {
        headers: { authorization: `Bearer ${impersonationToken}`, accept: 'application/graphql-response+json' },
      });
      expect(response.status, field.name).toBe(405);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('is refused over graphql-ws and changes no row', async () => {
    const before = await snapshot();
    const client = app.wsClient(impersonationToken);
    for (const field of guarded) {
      const { query, variables } = operationFor(field);
      const result = (await new Promise<GqlResult>((resolve, reject) => {
        let received: GqlResult = {};
        client.subscribe(
          { query, variables },
          { next: (value) => (received = value as GqlResult), error: reject, complete: () => resolve(received) },
        );
      })) as GqlResult;
      expect(readOnlyRefusal(result), field.name).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'IMPERSONATION_READ_ONLY',
      });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('records each refusal as a denied operation in the audit log', async () => {
    const { rows } = await app.services.pool.query<{ count: string }>(
      `SELECT count(*) FROM "AuditEvent" WHERE action = 'OPERATION' AND outcome = 'DENIED' AND "errorCode" = 'FORBIDDEN'`,
    );
    // POST, batch and WS each sent every guarded mutation once; GET never reached execution.
    expect(Number(rows[0]!.count)).toBe(guarded.length * 3);
  });
});

describe('the same mutations for the real customer', () => {
  it('a guarded mutation over HTTP POST runs only for the customer', async () => {
    for (const field of guarded) {
      const { query, variables } = operationFor(field);
      const result = await app.gql(query, variables, customerToken);
      expect(result.errors?.[0]?.extensions?.reason, field.name).not.toBe('IMPERSONATION_READ_ONLY');
    }
  });
});
