// @vitest-environment jsdom
// Safeguard changes in the approvals area against a mocked server: pushed live, Approve for another
// manager, Decline only with a note, Cancel for the requester, nothing shown when none waits.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Provider } from 'urql';
import { mockClient } from '../testing/mockClient.ts';
import { GovernanceApprovals } from './GovernanceApprovals.tsx';

afterEach(cleanup);

const request = {
  __typename: 'GovernanceRequest',
  id: 'gov-1',
  kind: 'UNPROTECT_CUSTOMER',
  state: 'PENDING',
  reason: 'She asked by phone, ticket 5512',
  createdAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  coolingOffUntil: null,
  canApprove: true,
  canDecline: true,
  canCancel: false,
  requestedBy: { id: 'staff-1', name: 'Mara Quinn' },
  customer: { id: 'cust-2', name: 'Dan Brooks' },
  targetStaff: null,
};

function renderApprovals(initial: unknown[] = []) {
  const mock = mockClient({
    GovernanceRequests: () => ({ governanceRequests: initial }),
    ApproveGovernanceChange: () => ({ approveGovernanceChange: { id: 'gov-1', state: 'APPROVED' } }),
    DeclineGovernanceChange: () => ({ declineGovernanceChange: { id: 'gov-1', state: 'DECLINED' } }),
    CancelGovernanceChange: () => ({ cancelGovernanceChange: { id: 'gov-1', state: 'CANCELLED' } }),
  });
  render(
    <Provider value={mock.client}>
      <GovernanceApprovals />
    </Provider>,
  );
  return mock;
}

describe('Safeguard changes waiting for a second manager', () => {
  it('shows nothing while none waits', () => {
    renderApprovals();
    expect(screen.queryByTestId('governance-approvals')).toBeNull();
  });

  it('shows a pushed request; another manager approves it', async () => {
    const mock = renderApprovals();
    act(() => mock.push('GovernanceRequestsLive', { governanceRequests: [request] }));
    const item = screen.getByTestId('governance-approvals');
    expect(item.textContent).toContain('Remove Dan Brooks’s protection (four-eyes)');
    expect(item.textContent).toContain('Asked by Mara Quinn: “She asked by phone, ticket 5512”');
    await act(async () => void fireEvent.click(within(item).getByTestId('approve-change-gov-1')));
    expect(mock.mutations).toEqual([{ name: 'ApproveGovernanceChange', variables: { requestId: 'gov-1' } }]);
  });

  it('declines only with a note', async () => {
    const mock = renderApprovals([request]);
    const decline = screen.getByTestId<HTMLButtonElement>('decline-change-gov-1');
    expect(decline.disabled).toBe(true);
    fireEvent.change(screen.getByRole('textbox', { name: 'Note to the requester (managers and audit only)' }), {
      target: { value: 'Not without her written consent' },
    });
    await act(async () => void fireEvent.click(decline));
    expect(mock.mutations).toEqual([
      { name: 'DeclineGovernanceChange', variables: { requestId: 'gov-1', note: 'Not without her written consent' } },
    ]);
  });

  it('the requester may only cancel (unauthorized: no Approve or Decline on one’s own request)', async () => {
    const own = { ...request, canApprove: false, canDecline: false, canCancel: true };
    const mock = renderApprovals([own]);
    expect(screen.queryByTestId('approve-change-gov-1')).toBeNull();
    expect(screen.queryByTestId('decline-change-gov-1')).toBeNull();
    expect(screen.getByTestId('governance-approvals').textContent).toContain('another manager must approve it');
    await act(async () => void fireEvent.click(screen.getByTestId('cancel-change-gov-1')));
    expect(mock.mutations).toEqual([{ name: 'CancelGovernanceChange', variables: { requestId: 'gov-1' } }]);
  });

  it('leaves decided requests out', () => {
    renderApprovals([{ ...request, state: 'APPROVED' }]);
    expect(screen.queryByTestId('governance-approvals')).toBeNull();
  });
});
