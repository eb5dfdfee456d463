// @vitest-environment jsdom
// A masked value in a staff view: it shows masked, says why, and Reveal opens the shared dialog that
// tells the staff member the customer will read the reason, follows the reason rule, and sends the
// reveal for that one field of that one record. Outside a staff view nothing is masked: the value shows
// as it always did.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Provider } from 'urql';
import { mockClient } from '../testing/mockClient.ts';
import { MaskedValue } from './MaskedValue.tsx';

afterEach(cleanup);

const REASON = 'She asked whether we use the right shampoo';

function renderValue(staffViewMasked: ('PET_HEALTH_ALERTS' | 'PET_GROOMING_NOTES')[]) {
  const mock = mockClient({
    RevealStaffViewField: (variables) => ({
      revealStaffViewField: { id: 'rev-1', field: variables.field, recordId: variables.recordId },
    }),
  });
  render(
    <Provider value={mock.client}>
      <MaskedValue
        record={{ id: 'pet-1', staffViewMasked }}
        field="PET_HEALTH_ALERTS"
        type="Pet"
        what="Biscuit’s health alerts"
        customerName="Chloe Martin"
      >
        <span>Allergic to oatmeal shampoo</span>
      </MaskedValue>
    </Provider>,
  );
  return mock;
}

describe('MaskedValue', () => {
  it('shows the value as it always did when the field is not masked (the customer’s own portal)', () => {
    renderValue([]);
    expect(screen.getByText('Allergic to oatmeal shampoo')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Reveal/ })).toBeNull();
  });

  it('shows a masked field as hidden, says why, and offers Reveal', () => {
    renderValue(['PET_HEALTH_ALERTS']);
    expect(screen.queryByText('Allergic to oatmeal shampoo')).toBeNull();
    expect(screen.getByText('Hidden in staff views: sensitive.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Reveal Biscuit’s health alerts' })).toBeTruthy();
  });

  it('asks a reason the customer will read, holds it to the reason rule, and reveals that one field', async () => {
    const mock = renderValue(['PET_HEALTH_ALERTS']);
    fireEvent.click(screen.getByRole('button', { name: 'Reveal Biscuit’s health alerts' }));
    const dialog = screen.getByTestId('reveal-dialog');
    expect(dialog.textContent).toContain('Chloe will read your reason');
    const reason = within(dialog).getByRole('textbox', { name: /the customer reads this/ });
    expect(document.activeElement).toBe(reason);
    const confirm = within(dialog).getByRole('button', { name: 'Reveal' });
    fireEvent.change(reason, { target: { value: 'too short' } });
    expect(confirm.hasAttribute('disabled')).toBe(true);
    fireEvent.change(reason, { target: { value: `  ${REASON}  ` } });
    expect(confirm.hasAttribute('disabled')).toBe(false);
    await act(async () => void fireEvent.click(confirm));
    expect(mock.mutations).toEqual([
      {
        name: 'RevealStaffViewField',
        variables: { field: 'PET_HEALTH_ALERTS', recordId: 'pet-1', reason: REASON },
      },
    ]);
    expect(screen.queryByTestId('reveal-dialog')).toBeNull();
  });

  it('closes with Escape without revealing anything', () => {
    const mock = renderValue(['PET_HEALTH_ALERTS']);
    fireEvent.click(screen.getByRole('button', { name: 'Reveal Biscuit’s health alerts' }));
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByTestId('reveal-dialog')).toBeNull();
    expect(mock.mutations).toEqual([]);
  });
});
