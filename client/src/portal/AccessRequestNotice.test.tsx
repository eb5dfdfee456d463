// @vitest-environment jsdom
// The customer's notice of a staff member asking to view the account: who and why, the three
// periods to allow, Decline, and what became of a request that no longer waits (pushed live).
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Provider } from 'urql';
import { mockClient } from '../testing/mockClient.ts';
import { portalFixtures, staffAccess, waitingRequest } from '../testing/portalFixtures.ts';
import { AccessRequestNotice } from './AccessRequestNotice.tsx';

afterEach(cleanup);

function renderNotice() {
  const mock = mockClient({ ...portalFixtures, StaffAccess: () => ({ me: staffAccess() }) });
  render(
    <Provider value={mock.client}>
      <AccessRequestNotice />
    </Provider>,
  );
  const push = (requests: unknown[]) =>
    act(() => mock.push('StaffAccessLive', { myStaffAccess: staffAccess(requests) }));
  return { mock, push };
}

describe('Request to view the account', () => {
  it('appears when pushed, with who asks and why', () => {
    const { push } = renderNotice();
    expect(screen.queryByTestId('access-request')).toBeNull();
    push([waitingRequest]);
    const notice = screen.getByTestId('access-request');
    expect(notice.textContent).toContain('Mara Quinn from Tidy Tails asks to view your account');
    expect(notice.textContent).toContain('Reason: Customer called about a double charge');
  });

  it('allows access for the period the customer chooses', () => {
    const { mock, push } = renderNotice();
    push([waitingRequest]);
    fireEvent.click(within(screen.getByTestId('access-request')).getByRole('button', { name: 'Allow for 1 day' }));
    expect(mock.mutations).toEqual([
      { name: 'ApproveAccessRequest', variables: { requestId: 'req-1', duration: 'ONE_DAY', sections: ['BILLING'] } },
    ]);
  });

  it('says which parts of her account are asked for, in her page names', () => {
    const { push } = renderNotice();
    push([{ ...waitingRequest, scope: ['PETS', 'BILLING'] }]);
    expect(screen.getByTestId('access-request-scope').textContent).toBe('They ask to see: My Pets and Billing');
  });

  it('lets her allow less than was asked: the parts she keeps are sent with her answer', () => {
    const { mock, push } = renderNotice();
    push([{ ...waitingRequest, scope: ['PETS', 'BILLING'] }]);
    const notice = screen.getByTestId('access-request');
    const group = within(notice).getByRole('group', { name: 'Allow them to see' });
    expect(within(group).getByRole<HTMLInputElement>('checkbox', { name: 'My Pets' }).checked).toBe(true);
    expect(within(group).getByRole<HTMLInputElement>('checkbox', { name: 'Billing' }).checked).toBe(true);
    expect(within(group).getByRole<HTMLInputElement>('checkbox', { name: 'Messages' }).checked).toBe(false);
    fireEvent.click(within(group).getByRole('checkbox', { name: 'My Pets' }));
    fireEvent.click(within(notice).getByRole('button', { name: 'Allow for 1 hour' }));
    expect(mock.mutations).toEqual([
      { name: 'ApproveAccessRequest', variables: { requestId: 'req-1', duration: 'ONE_HOUR', sections: ['BILLING'] } },
    ]);
  });

  it('offers no Allow while she allows no part, and says what to do', () => {
    const { push } = renderNotice();
    push([waitingRequest]);
    const notice = screen.getByTestId('access-request');
    fireEvent.click(within(notice).getByRole('checkbox', { name: 'Billing' }));
    expect(within(notice).getByRole<HTMLButtonElement>('button', { name: 'Allow for 1 day' }).disabled).toBe(true);
    expect(notice.textContent).toContain('Choose at least one part of your account to allow, or decline.');
  });

  it('starts from her whole account when the whole portal was asked for', () => {
    const { push } = renderNotice();
    push([{ ...waitingRequest, scope: ['WHOLE_PORTAL'] }]);
    const notice = screen.getByTestId('access-request');
    expect(within(notice).getByRole<HTMLInputElement>('checkbox', { name: 'My whole account' }).checked).toBe(true);
    expect(screen.getByTestId('access-request-scope').textContent).toBe('They ask to see: your whole account');
  });

  it('declines', () => {
    const { mock, push } = renderNotice();
    push([waitingRequest]);
    fireEvent.click(within(screen.getByTestId('access-request')).getByRole('button', { name: 'Decline' }));
    expect(mock.mutations).toEqual([{ name: 'DeclineAccessRequest', variables: { requestId: 'req-1' } }]);
  });

  it('says so when the request expires, and no longer offers to allow it', () => {
    const { push } = renderNotice();
    push([waitingRequest]);
    push([{ ...waitingRequest, state: 'EXPIRED', awaitingCustomer: false }]);
    const notice = screen.getByTestId('access-request');
    expect(notice.textContent).toContain('This request expired without an answer');
    expect(within(notice).queryByRole('button', { name: /Allow/ })).toBeNull();
    fireEvent.click(within(notice).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('access-request')).toBeNull();
  });

  it('does not show requests that were already closed before this visit', () => {
    const { push } = renderNotice();
    push([{ ...waitingRequest, state: 'DECLINED', awaitingCustomer: false }]);
    expect(screen.queryByTestId('access-request')).toBeNull();
  });
});
