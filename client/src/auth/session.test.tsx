// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { useEffect } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gql, useQuery } from 'urql';
import { SessionProvider, useSession } from './session.tsx';
import { tokenStore } from './tokenStore.ts';

const SessionProbeQuery = gql`
  query SessionProbe {
    viewer {
      kind
    }
  }
`;

function Probe() {
  const { session, ending, signedOutBecause } = useSession();
  const [result] = useQuery<{ viewer: { kind: string } }>({ query: SessionProbeQuery });
  return (
    <div>
      <p data-testid="kind">{session.kind}</p>
      <p data-testid="ending">{ending ? `${ending.sessionId}: ${ending.reason}` : ''}</p>
      <p data-testid="ending-state">{ending ? String(ending.state) : ''}</p>
      <p data-testid="signed-out">{signedOutBecause ?? ''}</p>
      <p data-testid="viewer">{result.data?.viewer.kind ?? ''}</p>
    </div>
  );
}

function serve(handler: (authorization: string | null) => { status: number; body: unknown }) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => {
      const { status, body } = handler(new Headers(init.headers).get('authorization'));
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }),
  );
}

const refused = {
  status: 401,
  body: { errors: [{ message: 'Impersonation session has ended', extensions: { code: 'UNAUTHENTICATED' } }] },
};

/** A staff view (`imp-1`) whose token the server refuses; the staff sign-in behind it still works. */
function inStaffViewTheServerRefuses() {
  tokenStore.saveAccount({ token: 'staff-tok', kind: 'STAFF' });
  tokenStore.saveImpersonation({ token: 'imp-tok', sessionId: 'imp-1' });
  serve((authorization) =>
    authorization === 'Bearer imp-tok' ? refused : { status: 200, body: { data: { viewer: { kind: 'STAFF' } } } },
  );
}

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('session', () => {
  it('resumes a staff view from the tab’s storage', async () => {
    tokenStore.saveAccount({ token: 'staff-tok', kind: 'STAFF' });
    tokenStore.saveImpersonation({ token: 'imp-tok', sessionId: 'imp-1' });
    serve(() => ({ status: 200, body: { data: { viewer: { kind: 'IMPERSONATION' } } } }));
    render(
      <SessionProvider origin="http://salon.test">
        <Probe />
      </SessionProvider>,
    );
    expect(screen.getByTestId('kind').textContent).toBe('IMPERSONATION');
    await waitFor(() => expect(screen.getByTestId('viewer').textContent).toBe('IMPERSONATION'));
  });

  it('drops a refused impersonation token and returns to the admin app with the reason', async () => {
    inStaffViewTheServerRefuses();
    render(
      <SessionProvider origin="http://salon.test">
        <Probe />
      </SessionProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('kind').textContent).toBe('STAFF'));
    expect(screen.getByTestId('ending').textContent).toBe('imp-1: Impersonation session has ended');
    expect(tokenStore.impersonation()).toBeNull();
    expect(tokenStore.account()).toEqual({ token: 'staff-tok', kind: 'STAFF' });
    expect(window.location.pathname).toBe('/admin/customers');
    // Data fetched with the staff token only: the portal's answers are gone with its client.
    await waitFor(() => expect(screen.getByTestId('viewer').textContent).toBe('STAFF'));
  });

  it.each([
    ['nothing pressed', null, 'null'],
    ['End pressed on another view', 'imp-other', 'null'],
    ['End pressed on this view', 'imp-1', 'ENDED'],
  ] as const)('an end seen as a refused token, %s: state %s', async (_case, pressed, state) => {
    function PressedEnd({ sessionId }: { sessionId: string }) {
      const { endingOwnStaffView } = useSession();
      useEffect(() => endingOwnStaffView(sessionId), [endingOwnStaffView, sessionId]);
      return null;
    }
    inStaffViewTheServerRefuses();
    render(
      <SessionProvider origin="http://salon.test">
        {pressed && <PressedEnd sessionId={pressed} />}
        <Probe />
      </SessionProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('kind').textContent).toBe('STAFF'));
    expect(screen.getByTestId('ending-state').textContent).toBe(state);
  });

  it('signs a customer out when the server refuses their token', async () => {
    tokenStore.saveAccount({ token: 'cust-tok', kind: 'CUSTOMER' });
    serve(() => refused);
    render(
      <SessionProvider origin="http://salon.test">
        <Probe />
      </SessionProvider>,
    );
    await waitFor(() => expect(screen.getByTestId('kind').textContent).toBe('ANONYMOUS'));
    expect(screen.getByTestId('signed-out').textContent).toContain('Impersonation session has ended');
    expect(tokenStore.account()).toBeNull();
  });

  it('ignores a stored impersonation token without the staff sign-in behind it', () => {
    tokenStore.saveImpersonation({ token: 'imp-tok', sessionId: 'imp-1' });
    serve(() => ({ status: 200, body: { data: { viewer: { kind: 'ANONYMOUS' } } } }));
    render(
      <SessionProvider origin="http://salon.test">
        <Probe />
      </SessionProvider>,
    );
    expect(screen.getByTestId('kind').textContent).toBe('ANONYMOUS');
    expect(tokenStore.impersonation()).toBeNull();
  });

  it('starts a staff view only from a staff sign-in', () => {
    tokenStore.saveAccount({ token: 'cust-tok', kind: 'CUSTOMER' });
    serve(() => ({ status: 200, body: { data: { viewer: { kind: 'CUSTOMER' } } } }));
    let api: ReturnType<typeof useSession> | null = null;
    function Grab() {
      api = useSession();
      return null;
    }
    render(
      <SessionProvider origin="http://salon.test">
        <Grab />
        <Probe />
      </SessionProvider>,
    );
    act(() => api!.startStaffView('imp-tok', 'imp-1'));
    expect(screen.getByTestId('kind').textContent).toBe('CUSTOMER');
    expect(tokenStore.impersonation()).toBeNull();
  });
});
