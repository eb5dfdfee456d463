// @vitest-environment jsdom
// The client sends persisted operations: the hash codegen embedded in the document, no query text;
// a development build sends the text when the server does not know the hash.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from './client.ts';
import { PetsPageDocument } from './gql/graphql.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

type Sent = { query?: string; operationName?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } };

function answers(...bodies: unknown[]) {
  const fetch = vi.fn(
    async () =>
      new Response(JSON.stringify(bodies.shift()), { status: 200, headers: { 'content-type': 'application/json' } }),
  );
  vi.stubGlobal('fetch', fetch);
  return () =>
    fetch.mock.calls.map((call) => JSON.parse(String((call as unknown as [string, RequestInit])[1].body)) as Sent);
}

const hash = (PetsPageDocument as unknown as { __meta__: { hash: string } }).__meta__.hash;
const data = { data: { me: { id: 'cust-1', name: 'Chloe Martin', pets: [] } } };

describe('persisted operations', () => {
  it('sends the hash of a generated document and no query, by POST', async () => {
    const sent = answers(data);
    const { client } = createApiClient({ token: 'tok-1', origin: 'http://salon.test' });
    const result = await client.query(PetsPageDocument, { staffView: false, withAppointments: true }).toPromise();
    expect(result.data?.me.id).toBe('cust-1');
    const [body] = sent();
    expect(body).toMatchObject({ operationName: 'PetsPage', extensions: { persistedQuery: { sha256Hash: hash } } });
    expect(body!.query).toBeUndefined();
  });

  it('sends the query text once the server answers PersistedQueryNotFound (development)', async () => {
    const notFound = {
      errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
    };
    const sent = answers(notFound, data);
    const { client } = createApiClient({ token: 'tok-1', origin: 'http://salon.test' });
    const result = await client.query(PetsPageDocument, { staffView: false, withAppointments: true }).toPromise();
    expect(result.data?.me.id).toBe('cust-1');
    const [, retry] = sent();
    expect(retry!.query).toContain('query PetsPage');
  });
});
