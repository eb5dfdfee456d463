// @vitest-environment jsdom
// The start dialog's scope (SPEC 10): Start waits for sections or the whole portal with a need, the
// choice is sent with the start, and the server's SCOPE_* refusals are shown by the choice.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CombinedError, Provider } from 'urql';
import { GraphQLError } from 'graphql';
import { SessionContext, type SessionApi } from '../auth/session.tsx';
import { adminFixtures, staffMember } from '../testing/adminFixtures.ts';
import { mockClient, type Fixture } from '../testing/mockClient.ts';
import { CustomersPage } from './CustomersPage.tsx';

afterEach(cleanup);

function renderDialog(fixtures: Record<string, Fixture> = {}) {
  const mock = mockClient({
    ...adminFixtures,
    StartStaffView: () => ({ startImpersonation: { token: 'imp-token', session: { id: 'imp-1' } } }),
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
  return { mock, dialog };
}

const start = (dialog: HTMLElement) => within(dialog).getByTestId<HTMLButtonElement>('start-staff-view');
const box = (dialog: HTMLElement, name: string) => within(dialog).getByRole<HTMLInputElement>('checkbox', { name });

describe('The scope of a staff view', () => {
  it('lists the six sections as the portal names them, in a group with a legend', () => {
    const { dialog } = renderDialog();
    const group = within(dialog).getByRole('group', { name: 'What this view needs' });
    expect(
      within(group)
        .getAllByRole('checkbox')
        .map((b) => b.closest('label')?.textContent?.trim()),
    ).toEqual(['Appointments', 'My Pets', 'Report Cards', 'Billing', 'Messages', 'Settings', 'Whole portal']);
  });

  it('keeps Start disabled, saying why, until a section is chosen, and sends the sections in the portal’s order', async () => {
    const { mock, dialog } = renderDialog();
    expect(start(dialog).disabled).toBe(true);
    expect(within(dialog).getByTestId('scope-missing').textContent).toContain('Choose at least one section');
    fireEvent.click(box(dialog, 'Messages'));
    fireEvent.click(box(dialog, 'Billing'));
    expect(start(dialog).disabled).toBe(false);
    expect(within(dialog).queryByTestId('scope-missing')).toBeNull();
    await act(async () => void fireEvent.click(start(dialog)));
    expect(mock.mutations[0]?.variables.scope).toEqual({ sections: ['BILLING', 'MESSAGES'] });
  });

  it('asks why the whole portal is needed, and sends it alone with that need', async () => {
    const { mock, dialog } = renderDialog();
    fireEvent.click(box(dialog, 'Billing'));
    fireEvent.click(box(dialog, 'Whole portal'));
    expect(box(dialog, 'Billing').disabled).toBe(true);
    const need = within(dialog).getByRole('textbox', { name: 'Why the whole portal?' });
    expect(start(dialog).disabled).toBe(true);
    expect(within(dialog).getByTestId('scope-missing').textContent).toContain('Say why the whole portal is needed');
    fireEvent.change(need, { target: { value: 'Too short' } });
    expect(start(dialog).disabled).toBe(true);
    fireEvent.change(need, { target: { value: '  Walking every page of her complaint  ' } });
    expect(start(dialog).disabled).toBe(false);
    await act(async () => void fireEvent.click(start(dialog)));
    expect(mock.mutations[0]?.variables.scope).toEqual({
      sections: ['WHOLE_PORTAL'],
      need: 'Walking every page of her complaint',
    });
  });

  it('shows the server’s refusal of the scope next to the choice', async () => {
    const { dialog } = renderDialog({
      StartStaffView: () =>
        new CombinedError({
          graphQLErrors: [
            new GraphQLError('scope.need: the whole portal needs a stated need', {
              extensions: { code: 'BAD_USER_INPUT', reason: 'SCOPE_NEED_REQUIRED' },
            }),
          ],
        }),
    });
    fireEvent.click(box(dialog, 'Whole portal'));
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Why the whole portal?' }), {
      target: { value: 'Walking every page of her complaint' },
    });
    await act(async () => void fireEvent.click(start(dialog)));
    const group = within(dialog).getByRole('group', { name: 'What this view needs' });
    expect(within(group).getByRole('alert').textContent).toBe('Say why this view needs the whole portal.');
    expect(within(dialog).getAllByRole('alert')).toHaveLength(1);
  });

  it('starts from the section of what the question is about: a billing question is Billing', async () => {
    const { mock, dialog } = renderDialog();
    const topic = within(dialog).getByRole<HTMLSelectElement>('combobox', { name: 'The question is about' });
    fireEvent.change(topic, { target: { value: 'BILLING' } });
    const checked = within(dialog)
      .getAllByRole<HTMLInputElement>('checkbox')
      .filter((b) => b.checked)
      .map((b) => b.closest('label')?.textContent?.trim());
    expect(checked).toEqual(['Billing']);
    // The manager may add a section; another topic starts again from its own.
    fireEvent.click(box(dialog, 'Messages'));
    fireEvent.change(topic, { target: { value: 'PETS' } });
    expect(box(dialog, 'My Pets').checked).toBe(true);
    expect(box(dialog, 'Billing').checked).toBe(false);
    fireEvent.change(topic, { target: { value: 'OTHER' } });
    expect(box(dialog, 'My Pets').checked).toBe(true);
    fireEvent.change(topic, { target: { value: 'BILLING' } });
    await act(async () => void fireEvent.click(start(dialog)));
    expect(mock.mutations[0]?.variables.scope).toEqual({ sections: ['BILLING'] });
  });
});
