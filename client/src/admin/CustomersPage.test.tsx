// @vitest-environment jsdom
// The View as customer dialog against a mocked server: it must follow the reason rules the server
// publishes, not numbers of its own.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Provider } from 'urql';
import { SessionContext, type SessionApi } from '../auth/session.tsx';
import { adminFixtures, impersonationPolicy, staffMember } from '../testing/adminFixtures.ts';
import { mockClient, type Fixture } from '../testing/mockClient.ts';
import { CustomersPage } from './CustomersPage.tsx';

afterEach(cleanup);

function renderPage(fixtures: Record<string, Fixture> = {}) {
  const mock = mockClient({
    ...adminFixtures,
    StartStaffView: () => ({ startImpersonation: { token: 'imp-token', session: { id: 'imp-1' } } }),
    ...fixtures,
  });
  const session = { startStaffView: vi.fn() } as unknown as SessionApi;
  render(
    <SessionContext.Provider value={session}>
      <Provider value={mock.client}>
        <CustomersPage staff={staffMember} />
      </Provider>
    </SessionContext.Provider>,
  );
  fireEvent.click(screen.getByTestId('view-as-chloe@example.test'));
  return { mock, dialog: screen.getByTestId('view-as-dialog'), startStaffView: session.startStaffView };
}

const typeReason = (dialog: HTMLElement, reason: string) =>
  fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason for viewing' }), { target: { value: reason } });

describe('View as customer', () => {
  it('states the reason bounds the server sets', () => {
    const { dialog } = renderPage({
      ImpersonationPolicy: () => ({ impersonationPolicy: { ...impersonationPolicy, reasonMaxLength: 280 } }),
    });
    expect(dialog.textContent).toContain('10–280 characters');
    expect(within(dialog).getByRole('textbox').getAttribute('maxLength')).toBe('280');
  });

  it('puts the focus on the reason as the dialog opens', () => {
    const { dialog } = renderPage();
    expect(document.activeElement).toBe(within(dialog).getByRole('textbox'));
  });

  it('starts only once the trimmed reason reaches the server’s minimum', async () => {
    const { mock, dialog, startStaffView } = renderPage({
      ImpersonationPolicy: () => ({ impersonationPolicy: { ...impersonationPolicy, reasonMinLength: 12 } }),
    });
    const start = within(dialog).getByTestId<HTMLButtonElement>('start-staff-view');
    typeReason(dialog, '  Billing cal  ');
    expect(start.disabled).toBe(true);
    typeReason(dialog, 'Billing call');
    expect(start.disabled).toBe(false);
    await act(async () => void fireEvent.click(start));
    expect(mock.mutations).toEqual([
      { name: 'StartStaffView', variables: { customerId: 'cust-1', reason: 'Billing call' } },
    ]);
    expect(startStaffView).toHaveBeenCalledWith('imp-token', 'imp-1');
  });
});
