// @vitest-environment jsdom
// The customer's "Staff access to your account": each view in the server's plain words, its time
// in local time (never the raw UTC instant), and the reason the staff member gave.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Provider } from 'urql';
import { formatDateTime } from '../format.ts';
import { mockClient } from '../testing/mockClient.ts';
import { portalFixtures } from '../testing/portalFixtures.ts';
import { SettingsPage } from './SettingsPage.tsx';

afterEach(cleanup);

describe('Staff access to your account', () => {
  it('shows each staff view in plain words, with its local time and reason', () => {
    const mock = mockClient(portalFixtures);
    render(
      <Provider value={mock.client}>
        <SettingsPage />
      </Provider>,
    );
    const [entry] = screen.getAllByTestId('staff-access-entry');
    const { staffAccessLog } = (portalFixtures.SettingsPage!({}) as { me: { staffAccessLog: { startedAt: string }[] } })
      .me;
    expect(entry!.textContent).toContain('Mara Quinn viewed Billing (2 invoices) and My Pets (Biscuit)');
    expect(entry!.textContent).toContain('Customer called about billing');
    expect(entry!.textContent).toContain(formatDateTime(staffAccessLog[0]!.startedAt));
    expect(entry!.textContent).not.toContain(staffAccessLog[0]!.startedAt);
  });
});

describe('Notifications', () => {
  it('lists staff access, on by email and in the app until the customer saves otherwise', () => {
    const mock = mockClient(portalFixtures);
    render(
      <Provider value={mock.client}>
        <SettingsPage />
      </Provider>,
    );
    expect((screen.getByLabelText('Staff access by email') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Staff access by app') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Staff access by text') as HTMLInputElement).checked).toBe(false);
    expect((screen.getByLabelText('Promotions by email') as HTMLInputElement).checked).toBe(false);
  });
});
