// @vitest-environment jsdom
import { CloseCode } from 'graphql-ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiClient, shouldRetryClose } from './client.ts';
import { gql } from 'urql';

const ProbeQuery = gql`
  query ClientProbe {
    viewer {
      kind
    }
  }
`;

afterEach(() => {
  vi.unstubAllGlobals();
});

function answer(status: number, body: unknown) {
  const fetch = vi.fn(
    async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const unauthenticated = {
  errors: [
    { message: 'Session expired or signed out', extensions: { code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' } },
  ],
};

describe('graphql-ws reconnection', () => {
  it('does not reconnect after the server refused the token (4401, 4403)', () => {
    expect(shouldRetryClose({ code: CloseCode.Unauthorized, reason: 'Unauthorized' })).toBe(false);
    expect(shouldRetryClose({ code: CloseCode.Forbidden, reason: 'Session ended' })).toBe(false);
  });

  it('reconnects after other closes and network errors', () => {
    expect(shouldRetryClose({ code: 1006, reason: '' })).toBe(true);
    expect(shouldRetryClose(new Error('network down'))).toBe(true);
  });
});

describe('HTTP', () => {
  it('sends the bearer token', async () => {
    const fetch = answer(200, { data: { viewer: { kind: 'CUSTOMER' } } });
    const { client } = createApiClient({ token: 'tok-1', origin: 'http://salon.test' });
    await client.query(ProbeQuery, {}).toPromise();
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://salon.test/graphql');
    expect(new Headers(init.headers).get('authorization')).toBe('Bearer tok-1');
  });

  it('reports a refused token once it answers UNAUTHENTICATED', async () => {
    answer(401, unauthenticated);
    const onAuthLost = vi.fn();
    const { client } = createApiClient({ token: 'tok-1', origin: 'http://salon.test', onAuthLost });
    await client.query(ProbeQuery, {}).toPromise();
    expect(onAuthLost).toHaveBeenCalledWith({ source: 'http', message: 'Session expired or signed out' });
  });

  it('does not report other errors as a lost token', async () => {
    answer(200, { errors: [{ message: 'Not allowed', extensions: { code: 'FORBIDDEN' } }] });
    const onAuthLost = vi.fn();
    const { client } = createApiClient({ token: 'tok-1', origin: 'http://salon.test', onAuthLost });
    await client.query(ProbeQuery, {}).toPromise();
    expect(onAuthLost).not.toHaveBeenCalled();
  });

  it('has no token to lose when anonymous (a wrong password is not a sign-out)', async () => {
    answer(200, unauthenticated);
    const onAuthLost = vi.fn();
    const { client } = createApiClient({ token: null, origin: 'http://salon.test', onAuthLost });
    await client.query(ProbeQuery, {}).toPromise();
    expect(onAuthLost).not.toHaveBeenCalled();
  });
});
