// @vitest-environment jsdom
// The customer's "Staff access to your account": each view in the server's plain words, its time
// in local time (never the raw UTC instant), and the reason the staff member gave.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Provider } from 'urql';
import { formatDateTime } from '../format.ts';
import { mockClient } from '../testing/mockClient.ts';
import { notificationSwitches, portalFixtures, staffAccess } from '../testing/portalFixtures.ts';
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
  const checked = (label: string) => (screen.getByLabelText(label) as HTMLInputElement).checked;

  it('lists staff access, on by email and in the app as the server reports its default', () => {
    const mock = mockClient(portalFixtures);
    render(
      <Provider value={mock.client}>
        <SettingsPage />
      </Provider>,
    );
    expect(checked('Staff access by email')).toBe(true);
    expect(checked('Staff access by app')).toBe(true);
    expect(checked('Staff access by text')).toBe(false);
    expect(checked('Promotions by email')).toBe(false);
  });

  it('shows and saves the switches the server reports, with no default of its own', () => {
    // A server whose staff-access switches are off and whose promotions by text are on: the page
    // follows it, and saving unchanged switches sends them back as the server had them.
    const fixture = portalFixtures.SettingsPage!({}) as { me: Record<string, unknown> };
    const mock = mockClient({
      ...portalFixtures,
      SettingsPage: () => ({ me: { ...fixture.me, notificationSwitches: notificationSwitches(['PROMOTIONS:SMS']) } }),
    });
    render(
      <Provider value={mock.client}>
        <SettingsPage />
      </Provider>,
    );
    expect(checked('Staff access by email')).toBe(false);
    expect(checked('Staff access by app')).toBe(false);
    expect(checked('Promotions by text')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Save preferences' }));
    const [saved] = mock.mutations;
    expect(saved?.name).toBe('UpdateNotificationPreferences');
    const preferences = saved!.variables.preferences as { category: string; channel: string; enabled: boolean }[];
    expect(preferences.filter((p) => p.enabled)).toEqual([{ category: 'PROMOTIONS', channel: 'SMS', enabled: true }]);
    expect(preferences).toHaveLength(18);
  });
});

describe('How a staff view ended', () => {
  it('says in plain words, without an alarm pill, that a manager ended a view early, with the salon’s message', () => {
    const fixture = portalFixtures.SettingsPage!({}) as { me: { staffAccessLog: Record<string, unknown>[] } };
    const terminated = {
      ...fixture.me.staffAccessLog[0],
      endState: 'TERMINATED',
      endReason: 'We opened your account by mistake',
      extendedAt: new Date(Date.now() - 86_400_000).toISOString(),
    };
    const mock = mockClient({
      ...portalFixtures,
      SettingsPage: () => ({ me: { ...fixture.me, staffAccessLog: [terminated] } }),
    });
    render(
      <Provider value={mock.client}>
        <SettingsPage />
      </Provider>,
    );
    const ending = screen.getByTestId('staff-access-ending');
    expect(ending.textContent).toContain('Ended early by a salon manager');
    expect(ending.textContent).toContain('Message from the salon: We opened your account by mistake');
    expect(screen.getByTestId('staff-access-extended').textContent).toMatch(/^Extended once, until /);
    expect(ending.querySelector('.pill--danger')).toBeNull();
    expect(screen.queryByText('Stopped by a manager')).toBeNull();
  });
});

describe('Staff access settings', () => {
  function renderSettings(me?: ReturnType<typeof staffAccess>) {
    const mock = mockClient(me ? { ...portalFixtures, StaffAccess: () => ({ me }) } : portalFixtures);
    render(
      <Provider value={mock.client}>
        <SettingsPage />
      </Provider>,
    );
    return mock;
  }

  it('comes before the profile, with the consent choice', () => {
    renderSettings();
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings.indexOf('Staff access to your account')).toBeLessThan(headings.indexOf('Profile'));
    expect(screen.getByTestId<HTMLInputElement>('staff-access-ASK_FIRST').checked).toBe(true);
  });

  it('lists the staff she stopped or declined until when, and allows one again', () => {
    const block = { id: 'blk-1', staffName: 'Mara Quinn', cause: 'STOPPED', until: '2026-12-08T01:27:00.000Z' };
    const mock = mockClient({ ...portalFixtures, StaffAccess: () => ({ me: staffAccess([], 'FREELY', [block]) }) });
    render(
      <Provider value={mock.client}>
        <SettingsPage />
      </Provider>,
    );
    const listed = screen.getByTestId('staff-view-block');
    expect(listed.textContent).toContain(
      `Mara Quinn can't view your account or ask again until ${formatDateTime(block.until)}.`,
    );
    fireEvent.click(within(listed).getByRole('button', { name: 'Allow again' }));
    expect(mock.mutations).toEqual([{ name: 'LiftStaffViewBlock', variables: { blockId: 'blk-1' } }]);
  });

  it('changes the consent choice and grants access for a period', () => {
    const mock = renderSettings();
    fireEvent.click(screen.getByTestId('staff-access-FREELY'));
    fireEvent.click(screen.getByTestId('grant-SEVEN_DAYS'));
    expect(mock.mutations).toEqual([
      { name: 'SetStaffAccessPreference', variables: { preference: 'FREELY' } },
      { name: 'GrantStaffAccess', variables: { duration: 'SEVEN_DAYS', sections: ['WHOLE_PORTAL'] } },
    ]);
  });

  it('grants access to the parts of her account she chooses only', () => {
    const mock = renderSettings();
    const group = screen.getByRole('group', { name: 'Allow staff to see' });
    fireEvent.click(within(group).getByRole('checkbox', { name: 'My whole account' }));
    fireEvent.click(within(group).getByRole('checkbox', { name: 'Billing' }));
    fireEvent.click(screen.getByTestId('grant-ONE_DAY'));
    expect(mock.mutations).toEqual([
      { name: 'GrantStaffAccess', variables: { duration: 'ONE_DAY', sections: ['BILLING'] } },
    ]);
  });

  it('lists each grant with the parts of her account it allows, in her words', () => {
    const grant = {
      id: 'g-1',
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
    renderSettings({ ...staffAccess(), accessGrants: [{ ...grant, scope: ['PETS', 'BILLING'] }] });
    expect(screen.getByTestId('access-grant').textContent).toContain('Staff may view My Pets and Billing until');
  });
});
