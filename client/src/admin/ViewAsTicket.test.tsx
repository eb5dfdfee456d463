// @vitest-environment jsdom
// The start dialog's ticket (SPEC 10): a case/ticket id sent with the start, required where the salon
// says so (Start waits for it), the server's TICKET_REQUIRED / BAD_TICKET refusals shown by the field;
// and Active sessions showing each view's ticket, linked to the help desk when there is a link.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CombinedError, Provider } from 'urql';
import { GraphQLError } from 'graphql';
import { SessionContext, type SessionApi } from '../auth/session.tsx';
import { adminFixtures, staffMember } from '../testing/adminFixtures.ts';
import { mockClient, type Fixture } from '../testing/mockClient.ts';
import { ActiveSessionsPage } from './ActiveSessionsPage.tsx';
import { CustomersPage } from './CustomersPage.tsx';

afterEach(cleanup);

const policy = (required: boolean) => () => ({ ticketPolicy: { required, maxLength: 100 } });

function renderDialog(fixtures: Record<string, Fixture> = {}) {
  const mock = mockClient({
    ...adminFixtures,
    TicketPolicy: policy(false),
    StartStaffView: () => ({
      startImpersonation: { token: 'imp-token', session: { id: 'imp-1', scope: ['BILLING'] } },
    }),
    ...fixtures,
  });
  render(
    <SessionContext.Provider value={{ startStaffView: vi.fn() } as unknown as SessionApi}>
      <Provider value={mock.client}>
        <CustomersPage staff={staffMember} />
      </Provider>
    </SessionContext.Provider>,
  );
  fireEvent.click(screen.getByTestId('view-as-chloe@example.test'));
  const dialog = screen.getByTestId('view-as-dialog');
  fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason for viewing' }), {
    target: { value: 'Customer called about invoice INV-1010' },
  });
  fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Billing' }));
  return { mock, dialog };
}

const start = (dialog: HTMLElement) => within(dialog).getByTestId<HTMLButtonElement>('start-staff-view');
const ticketBox = (dialog: HTMLElement, name: RegExp) =>
  within(dialog).getByRole<HTMLInputElement>('textbox', { name });

describe('The ticket of a staff view', () => {
  it('is optional where the salon does not require one, and then sent as none', async () => {
    const { mock, dialog } = renderDialog();
    expect(ticketBox(dialog, /Case or ticket id \(optional\)/).required).toBe(false);
    expect(start(dialog).disabled).toBe(false);
    await act(async () => void fireEvent.click(start(dialog)));
    expect(mock.mutations[0]?.variables.ticket).toBeNull();
  });

  it('is sent trimmed with the start', async () => {
    const { mock, dialog } = renderDialog();
    fireEvent.change(ticketBox(dialog, /Case or ticket id/), { target: { value: '  SUP-1010 ' } });
    await act(async () => void fireEvent.click(start(dialog)));
    expect(mock.mutations[0]?.variables.ticket).toBe('SUP-1010');
  });

  it('keeps Start disabled until a ticket is given where the salon requires one', () => {
    const { dialog } = renderDialog({ TicketPolicy: policy(true) });
    const box = ticketBox(dialog, /^Case or ticket id$/);
    expect(box.required).toBe(true);
    expect(start(dialog).disabled).toBe(true);
    fireEvent.change(box, { target: { value: 'SUP-1010' } });
    expect(start(dialog).disabled).toBe(false);
  });

  it('shows the server’s refusal of the ticket by the field', async () => {
    const { dialog } = renderDialog({
      StartStaffView: () =>
        new CombinedError({
          graphQLErrors: [
            new GraphQLError('ticket: not a ticket id', {
              extensions: { code: 'BAD_USER_INPUT', reason: 'BAD_TICKET' },
            }),
          ],
        }),
    });
    fireEvent.change(ticketBox(dialog, /Case or ticket id/), { target: { value: 'ZD-1' } });
    await act(async () => void fireEvent.click(start(dialog)));
    const refusal = within(dialog).getByTestId('ticket-refusal');
    expect(refusal.textContent).toContain('not a ticket id of your help desk');
    expect(ticketBox(dialog, /Case or ticket id/).getAttribute('aria-describedby')).toContain(refusal.id);
  });
});

describe('Active sessions', () => {
  const session = (ticket: string | null, ticketUrl: string | null) => ({
    id: 'imp-1',
    reason: 'Customer called about invoice INV-1010',
    startedAt: new Date(Date.now() - 60_000).toISOString(),
    expiresAt: new Date(Date.now() + 29 * 60_000).toISOString(),
    extendedAt: null,
    remainingSeconds: 29 * 60,
    tamperIncidents: 0,
    ticket,
    ticketUrl,
    staff: { id: 'staff-2', name: 'Rita Alvarez' },
    customer: { id: 'cust-1', name: 'Chloe Bennett', email: 'chloe@example.test' },
  });
  const renderPage = (row: ReturnType<typeof session>) => {
    const mock = mockClient({ ...adminFixtures, ActiveSessions: () => ({ activeImpersonationSessions: [row] }) });
    render(
      <Provider value={mock.client}>
        <ActiveSessionsPage staff={staffMember} />
      </Provider>,
    );
  };

  it('links each view’s ticket to the help desk', () => {
    renderPage(session('SUP-1010', 'https://help.example/tickets/SUP-1010'));
    const link = within(screen.getByTestId('session-ticket')).getByRole('link', { name: /SUP-1010/ });
    expect(link.getAttribute('href')).toBe('https://help.example/tickets/SUP-1010');
    expect(link.getAttribute('rel')).toContain('noopener');
  });

  it('shows a ticket without a link as text, and nothing for a view without one', () => {
    renderPage(session('SUP-2020', null));
    expect(screen.getByTestId('session-ticket').textContent).toBe('Ticket SUP-2020');
    expect(within(screen.getByTestId('session-ticket')).queryByRole('link')).toBeNull();
    cleanup();
    renderPage(session(null, null));
    expect(screen.queryByTestId('session-ticket')).toBeNull();
  });
});
