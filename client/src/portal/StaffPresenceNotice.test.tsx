// @vitest-environment jsdom
// The customer's live presence notice against a mocked server: it follows what the server pushes
// (who, from where, why; several views at once; gone when they end) and "Stop this view" sends the
// stop at once with the customer's words, if any, and whether she keeps her permission; then says
// what the Stop did, in her local time.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Provider } from 'urql';
import { mockClient } from '../testing/mockClient.ts';
import { formatDateTime, formatTime } from '../format.ts';
import { StaffPresenceNotice } from './StaffPresenceNotice.tsx';

afterEach(cleanup);

const mara = {
  id: 'imp-1',
  staffName: 'Mara Quinn',
  salonName: 'Tidy Tails',
  reason: 'You called about invoice INV-1010',
  startedAt: new Date().toISOString(),
};
const max = { ...mara, id: 'imp-2', staffName: 'Max Okafor', reason: 'Checking your booking' };
const STOPPED_AT = '2026-12-07T01:27:00.000Z';
const BLOCKED_UNTIL = '2026-12-08T01:27:00.000Z';

function renderNotice() {
  const mock = mockClient({
    StopStaffView: (variables) => ({
      stopStaffView: {
        staffName: 'Mara Quinn',
        stoppedAt: STOPPED_AT,
        grantWithdrawn: !variables.keepPermission,
        blockedUntil: variables.keepPermission ? null : BLOCKED_UNTIL,
      },
    }),
  });
  render(
    <Provider value={mock.client}>
      <StaffPresenceNotice />
    </Provider>,
  );
  const push = (views: (typeof mara)[]) => act(() => mock.push('StaffPresenceLive', { staffPresence: views }));
  return { mock, push };
}

describe('Live presence notice', () => {
  it('says who from the salon is viewing the account now, and why', () => {
    const { push } = renderNotice();
    expect(screen.queryByTestId('presence-notice')).toBeNull();
    push([mara]);
    const notice = screen.getByTestId('presence-notice');
    expect(notice.textContent).toContain('Mara Quinn from Tidy Tails is viewing your account now.');
    expect(notice.textContent).toContain('Reason: You called about invoice INV-1010');
    expect(within(notice).getByRole('button', { name: 'Stop this view' })).toBeTruthy();
  });

  it('shows one notice per view, and drops each as the server says it ended', () => {
    const { push } = renderNotice();
    push([mara, max]);
    expect(screen.getAllByTestId('presence-notice')).toHaveLength(2);
    push([max]);
    const [left] = screen.getAllByTestId('presence-notice');
    expect(screen.getAllByTestId('presence-notice')).toHaveLength(1);
    expect(left!.textContent).toContain('Max Okafor');
    push([]);
    expect(screen.queryByTestId('presence-notice')).toBeNull();
  });

  it("stops that view at once with the customer's words", async () => {
    const { mock, push } = renderNotice();
    push([mara, max]);
    const notice = screen.getAllByTestId('presence-notice')[0]!;
    fireEvent.change(within(notice).getByRole('textbox', { name: 'Message to Mara (optional)' }), {
      target: { value: '  Please call me first  ' },
    });
    await act(async () => void fireEvent.click(within(notice).getByRole('button', { name: 'Stop this view' })));
    expect(mock.mutations).toEqual([
      {
        name: 'StopStaffView',
        variables: { sessionId: 'imp-1', message: 'Please call me first', keepPermission: false },
      },
    ]);
    const confirmation = screen.getByTestId('stop-confirmation');
    expect(confirmation.textContent).toContain(`You stopped Mara Quinn's view at ${formatTime(STOPPED_AT)}.`);
    expect(confirmation.textContent).toContain('The access you had allowed is withdrawn');
    expect(confirmation.textContent).toContain(
      `Mara Quinn can't view your account or ask again until ${formatDateTime(BLOCKED_UNTIL)}, unless you allow it in Settings.`,
    );
  });

  it('keeps her permission when she ticks it, and says so', async () => {
    const { mock, push } = renderNotice();
    push([mara]);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Keep my permission (Mara may ask again)' }));
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Stop this view' })));
    expect(mock.mutations[0]?.variables).toMatchObject({ keepPermission: true });
    const confirmation = screen.getByTestId('stop-confirmation');
    expect(confirmation.textContent).toContain('You kept your permission');
    expect(confirmation.textContent).not.toContain('withdrawn');
  });

  it('stops a view without words', async () => {
    const { mock, push } = renderNotice();
    push([mara]);
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Stop this view' })));
    expect(mock.mutations).toEqual([
      { name: 'StopStaffView', variables: { sessionId: 'imp-1', message: null, keepPermission: false } },
    ]);
  });
});
