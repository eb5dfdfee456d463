// Persisted operations (server/plugins/use-persisted-operations.ts): in production only the
// client's documents run, by hash, over HTTP and graphql-ws; a query text, an unknown hash or
// neither gets a stable code (HTTP 400); development accepts texts.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print, type DocumentNode } from 'graphql';
import { formatDocument } from '@urql/core';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import * as generated from '../client/src/gql/graphql.ts';
import {
  PERSISTED_DOCUMENTS_FILE,
  PersistedOperationCode,
  loadPersistedDocuments,
} from '../server/plugins/use-persisted-operations.ts';
import { expectData, expectError } from './factories.ts';
import { demo, startTestApp, type GqlResult, type TestApp } from './harness.ts';

type Generated = DocumentNode & { __meta__?: { hash?: string } };

const clientDocuments = Object.entries(generated).filter(
  (entry): entry is [string, Generated] =>
    entry[0].endsWith('Document') && (entry[1] as DocumentNode).kind === 'Document',
);
const hashOf = (document: DocumentNode) => (document as Generated).__meta__!.hash!;
const UNKNOWN_HASH = 'f'.repeat(64);
const SERVICES = '{ services { id } }';

/** Production, persisted only. */
let strict: TestApp;
/** Development (the test mode): texts and hashes. */
let development: TestApp;

beforeAll(async () => {
  vi.stubEnv('NODE_ENV', 'production');
  try {
    strict = await startTestApp({ config: { SEED_DEMO_DATA: true, ALLOW_ARBITRARY_OPERATIONS: false } });
  } finally {
    vi.unstubAllEnvs();
  }
  development = await startTestApp();
  // Two fresh embedded databases when DATABASE_URL is unset.
}, 120_000);

afterAll(async () => {
  await Promise.all([strict?.close(), development?.close()]);
});

async function post(target: TestApp, body: unknown, token?: string): Promise<{ status: number; result: GqlResult }> {
  const response = await target.app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, result: (await response.json()) as GqlResult };
}

/** What the client sends: the operation name, the variables and the hash, no query. */
const persisted = (document: DocumentNode, variables: Record<string, unknown> = {}) => ({
  operationName: undefined,
  variables,
  extensions: { persistedQuery: { version: 1, sha256Hash: hashOf(document) } },
});

async function signIn(target: TestApp, account: keyof typeof demo): Promise<string> {
  const { result } = await post(target, persisted(generated.SignInDocument, demo[account]));
  return expectData(result as GqlResult<{ signIn: { token: string } }>).signIn.token;
}

describe('The manifest', () => {
  const manifest = JSON.parse(readFileSync(PERSISTED_DOCUMENTS_FILE, 'utf8')) as Record<string, string>;

  test('holds every document of the client, under the hash the document carries', () => {
    expect(clientDocuments.length).toBeGreaterThanOrEqual(30);
    for (const [name, document] of clientDocuments) expect(manifest, name).toHaveProperty(hashOf(document));
  });

  test('keys each document by the SHA-256 of its text', () => {
    for (const [hash, text] of Object.entries(manifest))
      expect(createHash('sha256').update(text).digest('hex')).toBe(hash);
  });

  test('is run as urql sends it: __typename on every selection set but the root', () => {
    const documents = loadPersistedDocuments();
    const home = documents.get(hashOf(generated.PetsPageDocument))!;
    expect(home).toContain('__typename');
    expect(home.replace(/\s+/g, ' ')).toMatch(
      /(^| )query PetsPage\(\$staffView: Boolean!, \$withAppointments: Boolean = true\) \{ me \{/,
    );
    // The chrome's fragments travel with the page: one document per page.
    expect(home).toMatch(/fragment PortalChrome on Query/);
    // urql adds nothing more to it.
    expect(print(formatDocument(home as never))).toBe(home);
  });

  test('refuses to load a manifest whose key is not the hash of its document', () => {
    const forged = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'persisted-documents.json');
    writeFileSync(forged, JSON.stringify({ [UNKNOWN_HASH]: SERVICES }));
    expect(() => loadPersistedDocuments(forged)).toThrow(/not the SHA-256/);
  });
});

describe('In production, persisted only', () => {
  test('a persisted query is served by its hash (authorized)', async () => {
    const token = await signIn(strict, 'chloe');
    const { status, result } = await post(strict, persisted(generated.PetsPageDocument, { staffView: false }), token);
    expect(status).toBe(200);
    expect(expectData(result as GqlResult<{ me: { name: string } }>).me.name).toBe('Chloe Martin');
  });

  test('every client document passes validation as the server runs it', () => {
    const { parse, validate, schema } = strict.app.yoga.getEnveloped({});
    for (const query of loadPersistedDocuments().values())
      expect(validate(schema, parse(query)).map((error: Error) => error.message)).toEqual([]);
  });

  test('a query text is refused with PERSISTED_QUERY_ONLY (unauthorized)', async () => {
    const { status, result } = await post(strict, { query: SERVICES });
    expect(status).toBe(400);
    expectError(result, PersistedOperationCode.Only);
    expect(JSON.stringify(result)).not.toContain('services');
  });

  test('a query text with a known hash is refused too', async () => {
    const document = generated.PetsPageDocument;
    const { result } = await post(strict, { query: print(document), ...persisted(document) });
    expectError(result, PersistedOperationCode.Only);
  });

  test('an unknown hash is refused with PERSISTED_QUERY_NOT_FOUND', async () => {
    const { status, result } = await post(strict, {
      extensions: { persistedQuery: { version: 1, sha256Hash: UNKNOWN_HASH } },
    });
    expect(status).toBe(400);
    expectError(result, PersistedOperationCode.NotFound);
    expect(JSON.stringify(result)).not.toContain(UNKNOWN_HASH);
  });

  test('neither a query nor a hash is refused with PERSISTED_QUERY_ID_REQUIRED', async () => {
    const { status, result } = await post(strict, { variables: {} });
    expect(status).toBe(400);
    expectError(result, PersistedOperationCode.IdRequired);
  });

  test('a GET with a query text is refused as well', async () => {
    const response = await strict.app.yoga.fetch(`http://test/graphql?query=${encodeURIComponent(SERVICES)}`, {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(400);
    expectError((await response.json()) as GqlResult, PersistedOperationCode.Only);
  });

  describe('over graphql-ws', () => {
    const next = (client: ReturnType<TestApp['wsClient']>, payload: Record<string, unknown>) =>
      new Promise<GqlResult>((resolve) => {
        client.subscribe(
          { query: '', ...payload },
          {
            next: (value) => resolve(value as GqlResult),
            error: (errors) => resolve({ errors: errors as GqlResult['errors'] }),
            complete: () => undefined,
          },
        );
      });

    test('a persisted subscription is served by its hash (authorized)', async () => {
      const token = await signIn(strict, 'mara');
      const client = strict.wsClient(token);
      const result = await next(client, persisted(generated.ActiveSessionsLiveDocument));
      expect(expectData(result as GqlResult<{ activeImpersonationSessions: unknown[] }>)).toHaveProperty(
        'activeImpersonationSessions',
      );
    });

    test('a query text is refused with PERSISTED_QUERY_ONLY, and the socket keeps serving', async () => {
      const client = strict.wsClient();
      expectError(await next(client, { query: SERVICES }), PersistedOperationCode.Only);
      expectError(
        await next(client, { extensions: { persistedQuery: { version: 1, sha256Hash: UNKNOWN_HASH } } }),
        PersistedOperationCode.NotFound,
      );
      expectError(await next(client, {}), PersistedOperationCode.IdRequired);
      const token = await signIn(strict, 'chloe');
      const served = await next(strict.wsClient(token), persisted(generated.PetsPageDocument, { staffView: false }));
      expect(expectData(served as GqlResult<{ me: { name: string } }>).me.name).toBe('Chloe Martin');
    });
  });
});

describe('When arbitrary operations are allowed', () => {
  // Production with ALLOW_ARBITRARY_OPERATIONS=true runs texts in test/graphql-http-audit.test.ts and
  // test/bad-input.test.ts.
  test('development serves a query text and a persisted hash', async () => {
    expectData((await post(development, { query: SERVICES })).result);
    const token = await signIn(development, 'chloe');
    expectData((await post(development, persisted(generated.PetsPageDocument, { staffView: false }), token)).result);
  });

  test('an unknown hash still answers PersistedQueryNotFound, for the client to send the text', async () => {
    const { result } = await post(development, {
      extensions: { persistedQuery: { version: 1, sha256Hash: UNKNOWN_HASH } },
    });
    expect(result.errors?.[0]).toMatchObject({
      message: 'PersistedQueryNotFound',
      extensions: { code: PersistedOperationCode.NotFound },
    });
  });
});
