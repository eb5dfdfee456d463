// @vitest-environment jsdom
// The View as customer dialog against a mocked server: it must follow the reason rules the server
// publishes, not numbers of its own.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CombinedError, Provider } from 'urql';
import { GraphQLError } from 'graphql';
import { SessionContext, type SessionApi } from '../auth/session.tsx';
import { adminFixtures, impersonationPolicy, staffMember, staffViewControls } from '../testing/adminFixtures.ts';
import { mockClient, type Fixture } from '../testing/mockClient.ts';
import { CustomersPage } from './CustomersPage.tsx';

afterEach(cleanup);

function renderList(fixtures: Record<string, Fixture> = {}, staff = staffMember) {
  const mock = mockClient({
    ...adminFixtures,
    StartStaffView: () => ({ startImpersonation: { token: 'imp-token', session: { id: 'imp-1' } } }),
    ...fixtures,
  });
  const session = { startStaffView: vi.fn() } as unknown as SessionApi;
  render(
    <SessionContext.Provider value={session}>
      <Provider value={mock.client}>
        <CustomersPage staff={staff} />
      </Provider>
    </SessionContext.Provider>,
  );
  return { mock, session };
}

function renderPage(fixtures: Record<string, Fixture> = {}) {
  const { mock, session } = renderList(fixtures);
  fireEvent.click(screen.getByTestId('view-as-chloe@example.test'));
  return { mock, dialog: screen.getByTestId('view-as-dialog'), startStaffView: session.startStaffView };
}

const typeReason = (dialog: HTMLElement, reason: string) =>
  fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason for viewing' }), { target: { value: reason } });

/** Every start names its scope: these tests' views need Billing. */
function chooseBilling(dialog: HTMLElement) {
  const billing = within(dialog).getByRole<HTMLInputElement>('checkbox', { name: 'Billing' });
  if (!billing.checked) fireEvent.click(billing);
}

describe('View as customer', () => {
  it('states the reason bounds the server sets', () => {
    const { dialog } = renderPage({
      ImpersonationPolicy: () => ({ impersonationPolicy: { ...impersonationPolicy, reasonMaxLength: 280 } }),
    });
    expect(dialog.textContent).toContain('At least 10 letters or digits, at most 280 characters');
    expect(within(dialog).getByRole('textbox', { name: 'Reason for viewing' }).getAttribute('maxLength')).toBe('280');
  });

  it('puts the focus on the reason as the dialog opens', () => {
    const { dialog } = renderPage();
    expect(document.activeElement).toBe(within(dialog).getByRole('textbox', { name: 'Reason for viewing' }));
  });

  it('starts only once the reason holds the server’s minimum of letters or digits', async () => {
    const { mock, dialog, startStaffView } = renderPage({
      ImpersonationPolicy: () => ({ impersonationPolicy: { ...impersonationPolicy, reasonMinLength: 12 } }),
    });
    const start = within(dialog).getByTestId<HTMLButtonElement>('start-staff-view');
    typeReason(dialog, '  Billing call  ');
    chooseBilling(dialog);
    expect(start.disabled).toBe(true);
    typeReason(dialog, '\u3164\uFFA0\u115F'.repeat(5));
    chooseBilling(dialog);
    expect(start.disabled).toBe(true);
    typeReason(dialog, 'Billing call 2');
    chooseBilling(dialog);
    expect(start.disabled).toBe(false);
    await act(async () => void fireEvent.click(start));
    expect(mock.mutations).toEqual([
      {
        name: 'StartStaffView',
        variables: {
          customerId: 'cust-1',
          reason: 'Billing call 2',
          scope: { sections: ['BILLING'] },
          ticket: null,
          emergency: null,
        },
      },
    ]);
    expect(vi.mocked(startStaffView).mock.calls[0]?.slice(0, 2)).toEqual(['imp-token', 'imp-1']);
  });
});

const stepUpRefusal = (message: string, reason?: string) =>
  new CombinedError({
    graphQLErrors: [
      new GraphQLError(message, { extensions: { code: 'STEP_UP_REQUIRED', ...(reason ? { reason } : {}) } }),
    ],
  });

describe('View as customer, with a step-up', () => {
  it('asks for the password up front when the server says a step-up is due, and sends it', async () => {
    const { mock, dialog, startStaffView } = renderPage({
      StaffViewControls: () => ({ staffViewControls: { ...staffViewControls, stepUpRequired: true } }),
    });
    const start = within(dialog).getByTestId<HTMLButtonElement>('start-staff-view');
    typeReason(dialog, 'Billing call about INV-1010');
    chooseBilling(dialog);
    expect(start.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('Your password'), { target: { value: 'secret-pass' } });
    await act(async () => void fireEvent.click(start));
    expect(mock.mutations).toEqual([
      {
        name: 'StartStaffView',
        variables: {
          customerId: 'cust-1',
          reason: 'Billing call about INV-1010',
          scope: { sections: ['BILLING'] },
          ticket: null,
          emergency: null,
          password: 'secret-pass',
        },
      },
    ]);
    expect(vi.mocked(startStaffView).mock.calls[0]?.slice(0, 2)).toEqual(['imp-token', 'imp-1']);
  });

  it('asks for the password when the server refuses the start with STEP_UP_REQUIRED', async () => {
    let answers = 0;
    const { mock, dialog } = renderPage({
      StartStaffView: () =>
        (answers += 1) === 1
          ? stepUpRefusal('Enter your password again to start a staff view')
          : { startImpersonation: { token: 'imp-token', session: { id: 'imp-1' } } },
    });
    expect(within(dialog).queryByLabelText('Your password')).toBeNull();
    typeReason(dialog, 'Billing call about INV-1010');
    chooseBilling(dialog);
    await act(async () => void fireEvent.click(within(dialog).getByTestId('start-staff-view')));
    expect(dialog.textContent).toContain('Enter your password again to start a staff view');
    const password = within(dialog).getByLabelText('Your password');
    expect(document.activeElement).toBe(password);
    fireEvent.change(password, { target: { value: 'secret-pass' } });
    await act(async () => void fireEvent.click(within(dialog).getByTestId('start-staff-view')));
    expect(mock.mutations.map((m) => m.variables.password)).toEqual([undefined, 'secret-pass']);
  });

  it('says so when the password is wrong, and keeps asking', async () => {
    const { dialog } = renderPage({
      StaffViewControls: () => ({ staffViewControls: { ...staffViewControls, stepUpRequired: true } }),
      StartStaffView: () => stepUpRefusal('The password is incorrect', 'INVALID_CREDENTIALS'),
    });
    typeReason(dialog, 'Billing call about INV-1010');
    chooseBilling(dialog);
    fireEvent.change(within(dialog).getByLabelText('Your password'), { target: { value: 'wrong' } });
    await act(async () => void fireEvent.click(within(dialog).getByTestId('start-staff-view')));
    expect(dialog.textContent).toContain('The password is incorrect');
    expect((within(dialog).getByLabelText('Your password') as HTMLInputElement).value).toBe('');
  });
});

describe('Why View as customer is unavailable', () => {
  it('tells a receptionist in words on the page, and points each button at them', () => {
    renderList({}, { ...staffMember, role: 'RECEPTIONIST', canImpersonate: false } as never);
    const why = screen.getByTestId('view-as-unavailable');
    expect(why.textContent).toContain('Only managers can view the portal as a customer.');
    const button = screen.getByTestId<HTMLButtonElement>('view-as-chloe@example.test');
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-describedby')).toBe(why.id);
  });

  it('tells a manager in words while staff views are turned off salon-wide', () => {
    renderList({
      StaffViewControls: () => ({
        staffViewControls: { ...staffViewControls, enabled: false, reason: 'Audit', changedByName: 'Max Okafor' },
      }),
    });
    expect(screen.getByTestId('view-as-unavailable').textContent).toContain(
      'Staff views are turned off salon-wide by Max Okafor: “Audit”',
    );
    expect(screen.getByTestId<HTMLButtonElement>('view-as-chloe@example.test').disabled).toBe(true);
  });

  it('says next to the button why a disabled account cannot be viewed', () => {
    renderList({
      AdminCustomers: () => ({
        customers: [
          {
            id: 'cust-9',
            name: 'Dora Disabled',
            email: 'dora@example.test',
            phone: null,
            status: 'DISABLED',
            petNames: [],
          },
        ],
      }),
    });
    expect(screen.queryByTestId('view-as-unavailable')).toBeNull();
    const button = screen.getByTestId('view-as-dora@example.test');
    const why = document.getElementById(button.getAttribute('aria-describedby')!);
    expect(why?.textContent).toBe('A disabled account cannot be viewed');
  });
});

const pendingRequest = {
  id: 'req-1',
  state: 'PENDING',
  reason: 'Billing call about invoice INV-1010',
  createdAt: '2026-03-01T10:00:00.000Z',
  expiresAt: '2026-03-01T10:15:00.000Z',
  needsCustomer: true,
  needsManager: false,
  scope: ['BILLING'],
  scopeNeed: null,
  awaitingCustomer: true,
  awaitingManager: false,
  declinedByCustomer: false,
  customerApprovedAt: null,
  approvedBy: null,
  declinedBy: null,
  customer: { id: 'cust-1', name: 'Chloe Martin' },
};

describe('View as a customer who asks first', () => {
  function renderRequested() {
    let started = false;
    const rendered = renderPage({
      StartStaffView: () =>
        started
          ? {
              startImpersonation: {
                status: 'STARTED',
                token: 'imp-token',
                session: { id: 'imp-1' },
                accessRequest: null,
              },
            }
          : { startImpersonation: { status: 'REQUESTED', token: null, session: null, accessRequest: pendingRequest } },
    });
    return { ...rendered, allowStart: () => void (started = true) };
  }

  it('waits for the customer instead of starting, and starts once the approval is pushed', async () => {
    const { mock, dialog, startStaffView, allowStart } = renderRequested();
    typeReason(dialog, pendingRequest.reason);
    chooseBilling(dialog);
    await act(async () => void fireEvent.click(within(dialog).getByTestId('start-staff-view')));
    expect(startStaffView).not.toHaveBeenCalled();
    expect(within(dialog).getByTestId('access-request-status').textContent).toContain(
      'Waiting for Chloe Martin (they asked to be asked first)',
    );
    const start = within(dialog).getByTestId<HTMLButtonElement>('start-staff-view');
    expect(start.disabled).toBe(true);
    act(() =>
      mock.push('AccessRequestLive', {
        accessRequest: { ...pendingRequest, state: 'APPROVED', awaitingCustomer: false, customerApprovedAt: 'x' },
      }),
    );
    expect(within(dialog).getByTestId('access-request-status').textContent).toContain(
      'Chloe Martin allowed access (Sections: Billing)',
    );
    expect(start.disabled).toBe(false);
    allowStart();
    await act(async () => void fireEvent.click(start));
    expect(vi.mocked(startStaffView).mock.calls[0]?.slice(0, 2)).toEqual(['imp-token', 'imp-1']);
    // The start asks for what she allowed.
    expect(mock.mutations.at(-1)?.variables.scope).toEqual({ sections: ['BILLING'] });
  });

  it('shows a declined request as declined by the customer, with a way to ask again', async () => {
    const { mock, dialog } = renderRequested();
    typeReason(dialog, pendingRequest.reason);
    chooseBilling(dialog);
    await act(async () => void fireEvent.click(within(dialog).getByTestId('start-staff-view')));
    act(() =>
      mock.push('AccessRequestLive', {
        accessRequest: { ...pendingRequest, state: 'DECLINED', awaitingCustomer: false, declinedByCustomer: true },
      }),
    );
    expect(within(dialog).getByTestId('access-request-status').textContent).toBe('Chloe Martin declined the request.');
    expect(within(dialog).getByRole('button', { name: 'Ask again' })).toBeTruthy();
  });
});

describe('Protected customers', () => {
  it('a manager marks a customer protected from the list', async () => {
    const { mock } = renderPage({
      SetCustomerProtected: () => ({ setCustomerProtected: { id: 'cust-1', protected: true } }),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await act(async () => void fireEvent.click(screen.getByTestId('protect-chloe@example.test')));
    expect(mock.mutations).toContainEqual({
      name: 'SetCustomerProtected',
      variables: { customerId: 'cust-1', protected: true },
    });
  });
});

describe('Removing protection', () => {
  const protectedChloe = {
    id: 'cust-1',
    name: 'Chloe Martin',
    email: 'chloe@example.test',
    phone: '+1 555-0142',
    status: 'ACTIVE',
    petNames: ['Biscuit'],
    protected: true,
    staffAccess: 'FREELY',
  };

  it('asks a reason and files a request for a second manager instead of unprotecting', async () => {
    const { mock } = renderList({
      AdminCustomers: () => ({ customers: [protectedChloe] }),
      RequestGovernanceChange: () => ({
        requestGovernanceChange: {
          id: 'gov-1',
          state: 'PENDING',
          coolingOffUntil: null,
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      }),
    });
    fireEvent.click(screen.getByTestId('protect-chloe@example.test'));
    const dialog = screen.getByTestId('governance-request-dialog');
    expect(within(dialog).getByRole('heading').textContent).toBe('Remove Chloe Martin’s protection');
    const confirm = within(dialog).getByTestId<HTMLButtonElement>('confirm-governance-request');
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason (managers and audit only)' }), {
      target: { value: 'short' },
    });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason (managers and audit only)' }), {
      target: { value: 'She asked by phone, ticket 5512' },
    });
    await act(async () => void fireEvent.click(confirm));
    expect(mock.mutations).toEqual([
      {
        name: 'RequestGovernanceChange',
        variables: {
          input: { kind: 'UNPROTECT_CUSTOMER', customerId: 'cust-1', reason: 'She asked by phone, ticket 5512' },
        },
      },
    ]);
    expect(within(dialog).getByTestId('governance-request-filed').textContent).toContain(
      'Waiting for a second manager',
    );
  });

  it('says when a lone manager may confirm it', async () => {
    const coolingOffUntil = new Date(Date.now() + 72 * 3_600_000).toISOString();
    renderList({
      AdminCustomers: () => ({ customers: [protectedChloe] }),
      RequestGovernanceChange: () => ({
        requestGovernanceChange: { id: 'gov-1', state: 'PENDING', coolingOffUntil, expiresAt: coolingOffUntil },
      }),
    });
    fireEvent.click(screen.getByTestId('protect-chloe@example.test'));
    const dialog = screen.getByTestId('governance-request-dialog');
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Reason (managers and audit only)' }), {
      target: { value: 'She asked by phone, ticket 5512' },
    });
    await act(async () => void fireEvent.click(within(dialog).getByTestId('confirm-governance-request')));
    expect(within(dialog).getByTestId('governance-request-filed').textContent).toContain(
      'You are the only active manager',
    );
  });
});
