// @vitest-environment jsdom
// A scoped staff view (SPEC 10, issue 23): the portal asks only for the view's sections (the same
// persisted documents, section variables set from the scope), marks the others in its navigation,
// shows a calm placeholder for them, keeps the header's name, and Home shows the view's cards only.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Provider } from 'urql';
import { SessionContext, type SessionApi } from '../auth/session.tsx';
import { StaffView } from '../impersonation/StaffView.tsx';
import { layOutMarks } from '../testing/markLayout.ts';
import { mockClient, type Fixture } from '../testing/mockClient.ts';
import { portalFixtures, staffViewSession } from '../testing/portalFixtures.ts';
import { PortalApp } from './PortalApp.tsx';

let restoreLayout: () => void;
beforeEach(() => {
  restoreLayout = layOutMarks();
});
afterEach(() => {
  restoreLayout();
  cleanup();
  window.history.replaceState(null, '', '/');
});

/** What each section variable drops from a page's answer when false, as the server's @include would. */
const DROPPED: Record<string, (data: Record<string, unknown>) => void> = {
  withAppointments: (data) => {
    const me = data.me as Record<string, unknown> | undefined;
    if (me) delete me.appointments;
    for (const list of [me?.invoices, data.reportCards, (me?.pets as unknown[] | undefined) ?? []])
      for (const item of (list as Record<string, unknown>[] | undefined) ?? []) {
        delete item.appointment;
        delete item.appointments;
      }
  },
  withPets: (data) => delete (data.me as Record<string, unknown>).pets,
  withReportCards: (data) => delete data.reportCards,
  withBilling: (data) => delete (data.me as Record<string, unknown>).invoices,
  withMessages: (data) => delete (data.me as Record<string, unknown>).messages,
};

/** The portal as a staff view of `scope` at `path`, recording every query's variables. */
function renderView(path: string, scope: string[] | null, storedScope: string[] | undefined = scope ?? undefined) {
  window.history.replaceState(null, '', path);
  const sent: { name: string; variables: Record<string, unknown> }[] = [];
  const fixtures = new Proxy(portalFixtures, {
    get(all, name: string): Fixture {
      return (variables) => {
        sent.push({ name, variables });
        const chrome = { ...staffViewSession(), me: { id: 'cust-1', name: 'Chloe Martin' } };
        chrome.currentImpersonation = { ...chrome.currentImpersonation, scope } as typeof chrome.currentImpersonation;
        if (name === 'OutsideViewPage') return chrome;
        const data = JSON.parse(JSON.stringify(all[name]?.(variables) ?? null)) as Record<string, unknown> | null;
        if (!data) return null;
        for (const [variable, drop] of Object.entries(DROPPED)) if (variables[variable] === false) drop(data);
        return { ...data, currentImpersonation: chrome.currentImpersonation };
      };
    },
  });
  const session = {
    signOut: () => undefined,
    endStaffView: () => undefined,
    session: { kind: 'IMPERSONATION', token: 'imp-token', sessionId: 'imp-1', scope: storedScope },
  } as unknown as SessionApi;
  render(
    <SessionContext.Provider value={session}>
      <Provider value={mockClient(fixtures).client}>
        <StaffView sessionId="imp-1">
          <PortalApp />
        </StaffView>
      </Provider>
    </SessionContext.Provider>,
  );
  return sent;
}

const nav = () => screen.getByRole('navigation', { name: 'Portal sections' });

describe('A Billing view', () => {
  it('Home asks for Billing only, in one query, and shows its balance and which sections are not part of it', async () => {
    const sent = renderView('/', ['BILLING']);
    await screen.findByRole('heading', { level: 2, name: 'Balance due' });
    expect(sent).toEqual([
      {
        name: 'HomePage',
        variables: {
          staffView: true,
          withAppointments: false,
          withPets: false,
          withReportCards: false,
          withBilling: true,
          withMessages: false,
        },
      },
    ]);
    for (const heading of ['Next visit', 'Vaccination reminders', 'Latest report card', 'Messages'])
      expect(screen.queryByRole('heading', { level: 2, name: heading })).toBeNull();
    expect(screen.getByTestId('outside-view-home').textContent).toBe(
      'Not part of this view: start a new view to see Appointments, Pets, Report Cards or Messages.',
    );
    expect(document.querySelector('.portal-header__name')?.textContent).toBe('Chloe Martin');
  });

  it('the navigation marks every other section as not part of the view, by name and look', async () => {
    renderView('/', ['BILLING']);
    await screen.findByRole('heading', { level: 2, name: 'Balance due' });
    expect(within(nav()).getByRole('link', { name: 'Billing' }).dataset.outsideView).toBeUndefined();
    expect(within(nav()).getByRole('link', { name: 'Home' }).dataset.outsideView).toBeUndefined();
    const pets = within(nav()).getByRole('link', { name: 'My Pets, not part of this view' });
    expect(pets.dataset.outsideView).toBe('');
    expect(within(nav()).getAllByRole('link', { name: /not part of this view/ })).toHaveLength(5);
  });

  it('Billing asks for its invoices without their visits (Appointments is not part of the view)', async () => {
    const sent = renderView('/billing', ['BILLING']);
    await screen.findByRole('heading', { level: 1, name: 'Billing' });
    expect(sent).toEqual([{ name: 'BillingPage', variables: { staffView: true, withAppointments: false } }]);
    expect(await screen.findByText(/INV-1010/)).toBeTruthy();
  });

  it('My Pets opened directly says it is not part of the view, asks for nothing of Pets, and keeps the name', async () => {
    const sent = renderView('/pets', ['BILLING']);
    const placeholder = await screen.findByTestId('outside-view');
    expect(placeholder.textContent).toContain('Not part of this view: start a new view to see Pets.');
    expect(screen.getByRole('heading', { level: 1, name: 'My Pets' })).toBeTruthy();
    expect(sent.map((operation) => operation.name)).toEqual(['OutsideViewPage']);
    await screen.findByText('Chloe Martin', { selector: '.portal-header__name' });
    expect(
      within(nav()).getByRole('link', { name: 'My Pets, not part of this view' }).getAttribute('aria-current'),
    ).toBe('page');
  });
});

describe('Other views', () => {
  it('a whole-portal view asks for every section, as the customer does, and marks none', async () => {
    const sent = renderView('/', ['WHOLE_PORTAL']);
    await screen.findByRole('heading', { level: 2, name: 'Next visit' });
    expect(sent[0]?.variables).toEqual({
      staffView: true,
      withAppointments: true,
      withPets: true,
      withReportCards: true,
      withBilling: true,
      withMessages: true,
    });
    expect(within(nav()).queryAllByRole('link', { name: /not part of this view/ })).toEqual([]);
    expect(screen.queryByTestId('outside-view-home')).toBeNull();
  });

  it('a Pets and Appointments view lists the pets with their last visit and asks for nothing else', async () => {
    const sent = renderView('/pets', ['APPOINTMENTS', 'PETS']);
    await screen.findByRole('heading', { level: 2, name: 'Biscuit' });
    expect(sent).toEqual([{ name: 'PetsPage', variables: { staffView: true, withAppointments: true } }]);
  });

  it('a view whose page brings a narrower scope than it started with asks again for that one only', async () => {
    const sent = renderView('/', ['BILLING'], ['WHOLE_PORTAL']);
    await screen.findByTestId('outside-view-home');
    expect(sent.at(-1)?.variables).toMatchObject({ withBilling: true, withPets: false, withAppointments: false });
  });
});
