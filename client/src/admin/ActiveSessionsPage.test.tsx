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
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Internal note (staff and audit only)' }), {
      target: { value: reason },
    });
  const setMessage = (message: string) =>
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Message to the customer (optional)' }), {
      target: { value: message },
    });
  return { mock, dialog, setReason, setMessage };
}

describe('Terminate staff view', () => {
  it('terminates only once the reason holds the server’s minimum of letters or digits', async () => {
    const { mock, dialog, setReason } = openTerminate({
      ImpersonationPolicy: () => ({ impersonationPolicy: { ...impersonationPolicy, terminateReasonMinLength: 5 } }),
    });
    const confirm = within(dialog).getByTestId<HTMLButtonElement>('confirm-terminate');
    setReason(' Stop!!! ');
    expect(confirm.disabled).toBe(true);
    setReason('\u3164'.repeat(8));
    expect(confirm.disabled).toBe(true);
    setReason('Stop now');
    expect(confirm.disabled).toBe(false);
    await act(async () => void fireEvent.click(confirm));
    expect(mock.mutations).toEqual([
      { name: 'TerminateStaffView', variables: { sessionId: 'imp-1', reason: 'Stop now', customerMessage: null } },
    ]);
    expect(screen.queryByTestId('terminate-dialog')).toBeNull();
  });

  it('sends the internal note and the message to the customer apart, each labelled with who reads it', async () => {
    const { mock, dialog, setReason, setMessage } = openTerminate();
    expect(dialog.textContent).toContain('the audit read it; Chloe Martin never does');
    const confirm = within(dialog).getByTestId<HTMLButtonElement>('confirm-terminate');
    setReason('No ticket logged for this call');
    setMessage('!!');
    expect(confirm.disabled).toBe(true);
    setMessage(' We opened your account by mistake. ');
    await act(async () => void fireEvent.click(confirm));
    expect(mock.mutations).toEqual([
      {
        name: 'TerminateStaffView',
        variables: {
          sessionId: 'imp-1',
          reason: 'No ticket logged for this call',
          customerMessage: 'We opened your account by mistake.',
        },
      },
    ]);
  });

  it('counts the reason against the server’s maximum', () => {
    const { dialog, setReason } = openTerminate({
      ImpersonationPolicy: () => ({ impersonationPolicy: { ...impersonationPolicy, reasonMaxLength: 40 } }),
    });
    setReason('Customer asked us to stop');
    expect(dialog.textContent).toContain('25/40');
    const note = within(dialog).getByRole('textbox', { name: 'Internal note (staff and audit only)' });
    expect(note.getAttribute('maxLength')).toBe('40');
  });
});

const approval = {
  id: 'req-9',
  reason: 'Customer disputes a refund on the phone',
  createdAt: '2026-03-01T10:00:00.000Z',
  expiresAt: '2026-03-01T10:15:00.000Z',
  canAnswer: true,
  staff: { id: 'staff-2', name: 'Max Okafor' },
  customer: { id: 'cust-2', name: 'Dan Ortiz', email: 'dan@example.test' },
};

describe('Waiting for a second manager', () => {
  function renderApprovals(requests: unknown[]) {
    const mock = mockClient({
      ...adminFixtures,
      StaffViewApprovals: () => ({ staffViewApprovals: requests }),
    });
    render(
      <Provider value={mock.client}>
        <ActiveSessionsPage staff={staffMember} />
      </Provider>,
    );
    return mock;
  }

  it('another manager approves a start on a protected customer', () => {
    const mock = renderApprovals([approval]);
    const list = screen.getByTestId('staff-view-approvals');
    expect(list.textContent).toContain('Max Okafor');
    expect(list.textContent).toContain('Customer disputes a refund on the phone');
    fireEvent.click(within(list).getByRole('button', { name: 'Approve' }));
    expect(mock.mutations).toEqual([{ name: 'ApproveStaffView', variables: { requestId: 'req-9' } }]);
  });

  it('the requester sees their own request without the buttons', () => {
    renderApprovals([{ ...approval, canAnswer: false, staff: { id: 'staff-1', name: 'Mara Quinn' } }]);
    const list = screen.getByTestId('staff-view-approvals');
    expect(within(list).queryByRole('button', { name: 'Approve' })).toBeNull();
    expect(list.textContent).toContain('another manager must approve it');
  });

  it('a request pushed live appears, and disappears once answered', () => {
    const mock = renderApprovals([]);
    expect(screen.queryByTestId('staff-view-approvals')).toBeNull();
    act(() => mock.push('StaffViewApprovalsLive', { staffViewApprovals: [approval] }));
    expect(screen.getByTestId('staff-view-approvals')).toBeTruthy();
    act(() => mock.push('StaffViewApprovalsLive', { staffViewApprovals: [] }));
    expect(screen.queryByTestId('staff-view-approvals')).toBeNull();
  });
});

describe('Hidden staff-view marks', () => {
  it('warns on the session’s row as soon as the live list brings an incident', () => {
    const mock = mockClient(adminFixtures);
    render(
      <Provider value={mock.client}>
        <ActiveSessionsPage staff={staffMember} />
      </Provider>,
    );
    expect(screen.queryByTestId('tampering-imp-1')).toBeNull();
    const { activeImpersonationSessions } = adminFixtures.ActiveSessions!({}) as {
      activeImpersonationSessions: Record<string, unknown>[];
    };
    const live = (tamperIncidents: number) => ({
      activeImpersonationSessions: activeImpersonationSessions.map((s) => ({ ...s, tamperIncidents })),
    });
    act(() => mock.push('ActiveSessionsLive', live(2)));
    expect(screen.getByTestId('tampering-imp-1').textContent).toBe('Tampering: 2');
  });
});
