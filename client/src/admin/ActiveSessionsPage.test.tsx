// @vitest-environment jsdom
// The Terminate dialog against a mocked server: its reason bounds come from the server's policy,
// which the terminating manager's text is checked against before anything is sent.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Provider } from 'urql';
import { adminFixtures, impersonationPolicy, staffMember } from '../testing/adminFixtures.ts';
import { mockClient, type Fixture } from '../testing/mockClient.ts';
import { ActiveSessionsPage } from './ActiveSessionsPage.tsx';

afterEach(cleanup);

function openTerminate(fixtures: Record<string, Fixture> = {}) {
  const mock = mockClient({
    ...adminFixtures,
    TerminateStaffView: () => ({ terminateImpersonation: { id: 'imp-1', state: 'TERMINATED', endReason: 'x' } }),
    ...fixtures,
  });
  render(
    <Provider value={mock.client}>
      <ActiveSessionsPage staff={staffMember} />
    </Provider>,
  );
  fireEvent.click(screen.getByTestId('terminate-imp-1'));
  const dialog = screen.getByTestId('terminate-dialog');
  const setReason = (reason: string) =>
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason' }), { target: { value: reason } });
  return { mock, dialog, setReason };
}

describe('Terminate staff view', () => {
  it('terminates only once the trimmed reason reaches the server’s minimum', async () => {
    const { mock, dialog, setReason } = openTerminate({
      ImpersonationPolicy: () => ({ impersonationPolicy: { ...impersonationPolicy, terminateReasonMinLength: 5 } }),
    });
    const confirm = within(dialog).getByTestId<HTMLButtonElement>('confirm-terminate');
    setReason(' Stop ');
    expect(confirm.disabled).toBe(true);
    setReason('Stop!');
    expect(confirm.disabled).toBe(false);
    await act(async () => void fireEvent.click(confirm));
    expect(mock.mutations).toEqual([
      { name: 'TerminateStaffView', variables: { sessionId: 'imp-1', reason: 'Stop!' } },
    ]);
    expect(screen.queryByTestId('terminate-dialog')).toBeNull();
  });

  it('counts the reason against the server’s maximum', () => {
    const { dialog, setReason } = openTerminate({
      ImpersonationPolicy: () => ({ impersonationPolicy: { ...impersonationPolicy, reasonMaxLength: 40 } }),
    });
    setReason('Customer asked us to stop');
    expect(dialog.textContent).toContain('25/40');
    expect(within(dialog).getByRole('textbox').getAttribute('maxLength')).toBe('40');
  });
});
