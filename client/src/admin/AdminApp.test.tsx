// @vitest-environment jsdom
// The admin app's manager-only sections follow the server's `canImpersonate`, not a role check of
// the client's own: a manager the server does not let view as a customer sees the directory only.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Provider } from 'urql';
import { SessionContext, type SessionApi } from '../auth/session.tsx';
import { navigate } from '../router.tsx';
import { adminFixtures, staffMember } from '../testing/adminFixtures.ts';
import { mockClient } from '../testing/mockClient.ts';
import { AdminApp } from './AdminApp.tsx';

afterEach(cleanup);

function renderApp(staff: { role: string; canImpersonate: boolean }, path: string) {
  navigate(path, { replace: true });
  const mock = mockClient({
    ...adminFixtures,
    AdminViewer: () => ({ viewer: { kind: 'STAFF', staff: { ...staffMember, ...staff } } }),
  });
  const session = { ending: null, signOut: vi.fn(), dismissEnding: vi.fn() } as unknown as SessionApi;
  render(
    <SessionContext.Provider value={session}>
      <Provider value={mock.client}>
        <AdminApp />
      </Provider>
    </SessionContext.Provider>,
  );
  const nav = screen.getByRole('navigation', { name: 'Admin sections' });
  return within(nav)
    .getAllByRole('link')
    .map((link) => link.textContent);
}

describe('Admin sections', () => {
  it('shows the manager sections to staff the server lets view as a customer', () => {
    expect(renderApp({ role: 'MANAGER', canImpersonate: true }, '/admin/audit')).toEqual([
      'Customers',
      'Active sessions',
      'Audit log',
      'Alerts',
      'Emergency access',
      'Access reviews',
      'Webhooks',
    ]);
    expect(window.location.pathname).toBe('/admin/audit');
  });

  it('hides them, and leaves their pages, when the server says no, whatever the role', () => {
    expect(renderApp({ role: 'MANAGER', canImpersonate: false }, '/admin/audit')).toEqual(['Customers']);
    expect(window.location.pathname).toBe('/admin/customers');
  });
});
