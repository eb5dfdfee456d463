// @vitest-environment jsdom
// One query per page view: the page's query carries the chrome (the header's name, the staff
// view's session), with the staff view's part asked for only under a staff view.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Provider } from 'urql';
import { SessionContext, type SessionApi } from '../auth/session.tsx';
import { StaffView } from '../impersonation/StaffView.tsx';
import { layOutMarks } from '../testing/markLayout.ts';
import { mockClient, type Fixture } from '../testing/mockClient.ts';
import { portalFixtures } from '../testing/portalFixtures.ts';
import { PortalApp } from './PortalApp.tsx';

// The staff view's marks are laid out as a browser would (jsdom has no layout): no tampering is seen.
let restoreLayout: () => void;
beforeEach(() => {
  restoreLayout = layOutMarks();
});

afterEach(() => {
  restoreLayout();
  cleanup();
  window.history.replaceState(null, '', '/');
});

const sessionOf = (kind: 'CUSTOMER' | 'IMPERSONATION') =>
  ({
    signOut: () => undefined,
    endStaffView: () => undefined,
    session: kind === 'CUSTOMER' ? { kind, token: 'customer-token' } : { kind, token: 'imp-token', sessionId: 'imp-1' },
  }) as unknown as SessionApi;

/** What the customer's own portal may ask whatever the page: staff access (query, feed), presence (feed). */
const PORTAL_WIDE = ['StaffAccess', 'StaffAccessLive', 'StaffPresenceLive'];

/** The portal at `path`, recording the variables of every query by operation name. */
function renderPortal(path: string, staffView: boolean) {
  window.history.replaceState(null, '', path);
  const sent: { name: string; variables: Record<string, unknown> }[] = [];
  // Every operation the portal runs is recorded, whether or not a fixture answers it.
  const recorded = new Proxy(portalFixtures, {
    get(fixtures, name: string): Fixture {
      return (variables) => {
        sent.push({ name, variables });
        return fixtures[name]?.(variables) ?? null;
      };
    },
  });
  const mock = mockClient(recorded);
  const portal = staffView ? (
    <StaffView sessionId="imp-1">
      <PortalApp />
    </StaffView>
  ) : (
    <PortalApp />
  );
  render(
    <SessionContext.Provider value={sessionOf(staffView ? 'IMPERSONATION' : 'CUSTOMER')}>
      <Provider value={mock.client}>{portal}</Provider>
    </SessionContext.Provider>,
  );
  return sent;
}

describe('One query per page view', () => {
  it('asks for the page and the header in one query, as the customer', async () => {
    const sent = renderPortal('/billing', false);
    await screen.findByRole('heading', { level: 1, name: 'Billing' });
    expect(sent.filter((operation) => !PORTAL_WIDE.includes(operation.name))).toEqual([
      { name: 'BillingPage', variables: { staffView: false, withAppointments: true } },
    ]);
    // The page brings her staff-access section too (PortalChrome): the portal-wide part sends no
    // query of its own, only its live feeds over the socket.
    expect(sent.map((operation) => operation.name)).not.toContain('StaffAccess');
    expect(document.querySelector('.portal-header__name')?.textContent).toBe('Chloe Martin');
  });

  it('adds the staff view’s session to the same query under a staff view', async () => {
    const sent = renderPortal('/billing', true);
    await screen.findByRole('heading', { level: 1, name: 'Billing' });
    expect(sent).toEqual([{ name: 'BillingPage', variables: { staffView: true, withAppointments: true } }]);
    expect(screen.getByTestId('staff-banner').textContent).toContain('Viewing as Chloe Martin');
    expect(document.querySelector('.portal-header__name')?.textContent).toBe('Chloe Martin');
  });
});
