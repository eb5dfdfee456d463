// @vitest-environment jsdom
// The kill switch on the Active sessions page against a mocked server: its position follows what
// is pushed, turning off needs a reason of the server's length, turning back on files a request for
// a second manager (with a reason), and only managers get the button.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Provider } from 'urql';
import { adminFixtures, staffMember, staffViewControls } from '../testing/adminFixtures.ts';
import { mockClient } from '../testing/mockClient.ts';
import { StaffViewsSwitch } from './StaffViewsSwitch.tsx';

afterEach(cleanup);

const off = {
  ...staffViewControls,
  enabled: false,
  reason: 'Suspected account takeover',
  changedByName: 'Max Okafor',
  changedAt: new Date().toISOString(),
};

function renderSwitch(staff = staffMember) {
  const mock = mockClient({
    ...adminFixtures,
    DisableStaffViews: () => ({ disableStaffViews: off }),
    RequestGovernanceChange: () => ({
      requestGovernanceChange: {
        id: 'gov-1',
        state: 'PENDING',
        coolingOffUntil: null,
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    }),
  });
  render(
    <Provider value={mock.client}>
      <StaffViewsSwitch staff={staff} />
    </Provider>,
  );
  return mock;
}

describe('Staff views switch', () => {
  it('turns staff views off only with a reason of the server’s minimum length', async () => {
    const mock = renderSwitch();
    expect(screen.getByTestId('staff-views-switch').textContent).toContain('Staff views are on salon-wide');
    fireEvent.click(screen.getByRole('button', { name: 'Turn off staff views' }));
    const dialog = screen.getByTestId('staff-views-dialog');
    const confirm = within(dialog).getByTestId<HTMLButtonElement>('confirm-staff-views-switch');
    const reason = within(dialog).getByRole('textbox', { name: 'Reason (staff and audit only)' });
    fireEvent.change(reason, { target: { value: ' ab ' } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(reason, { target: { value: 'Suspected account takeover' } });
    await act(async () => void fireEvent.click(confirm));
    expect(mock.mutations).toEqual([
      { name: 'DisableStaffViews', variables: { reason: 'Suspected account takeover' } },
    ]);
  });

  it('shows the pushed position live: off, by whom and why; back on is a request for a second manager', async () => {
    const mock = renderSwitch();
    act(() => mock.push('StaffViewControlsLive', { staffViewControls: off }));
    const panel = screen.getByTestId('staff-views-switch');
    expect(panel.textContent).toContain('Staff views are off salon-wide');
    expect(panel.textContent).toContain('Turned off by Max Okafor: “Suspected account takeover”');
    fireEvent.click(screen.getByRole('button', { name: 'Turn staff views back on' }));
    const dialog = screen.getByTestId('governance-request-dialog');
    const confirm = within(dialog).getByTestId<HTMLButtonElement>('confirm-governance-request');
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason (managers and audit only)' }), {
      target: { value: 'Incident closed with the police report' },
    });
    await act(async () => void fireEvent.click(confirm));
    expect(mock.mutations).toEqual([
      {
        name: 'RequestGovernanceChange',
        variables: { input: { kind: 'ENABLE_STAFF_VIEWS', reason: 'Incident closed with the police report' } },
      },
    ]);
    expect(within(dialog).getByTestId('governance-request-filed').textContent).toContain(
      'Waiting for a second manager',
    );
  });

  it('turns staff views off (unauthorized: a receptionist reads the position but has no button)', () => {
    renderSwitch({ ...staffMember, role: 'RECEPTIONIST', canImpersonate: false } as never);
    expect(screen.getByTestId('staff-views-switch').textContent).toContain('Staff views are on salon-wide');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
