// @vitest-environment jsdom
// The Access reviews page against a mocked server: the latest review's items with their counts, the
// deadline in the salon's time zone, Confirm for another manager, Remove only with a note (in its
// dialog), no buttons on one's own item, past reviews listed.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Provider } from 'urql';
import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from '../../testing/mockClient.ts';
import { AccessReviewsPage } from './AccessReviewsPage.tsx';

afterEach(cleanup);

const me = { id: 'staff-max', name: 'Max Okafor', role: 'MANAGER', canImpersonate: true } as const;

const item = (id: string, staffId: string, name: string, extra: object = {}) => ({
  __typename: 'AccessReviewItem',
  id,
  views: 3,
  protectedViews: 1,
  breakGlassUses: 0,
  decision: null,
  decidedAt: null,
  note: null,
  viewRightSuspended: false,
  canDecide: staffId !== me.id,
  staff: { __typename: 'Staff', id: staffId, name },
  decidedBy: null,
  ...extra,
});

const review = (sequence: number, items: unknown[]) => ({
  __typename: 'AccessReview',
  id: `review-${sequence}`,
  sequence,
  open: true,
  periodStart: '2027-01-31T12:01:00.000Z',
  openedAt: '2027-05-03T05:00:00.000Z',
  deadlineAt: '2027-05-17T05:00:00.000Z',
  salonTimeZone: 'America/Los_Angeles',
  items,
});

function renderPage(reviews: unknown[]) {
  const mock = mockClient({
    AccessReviews: () => ({ accessReviews: reviews }),
    ConfirmAccessReviewItem: () => ({
      confirmAccessReviewItem: {
        __typename: 'AccessReviewItem',
        id: 'item-mara',
        decision: 'CONFIRMED',
        viewRightSuspended: false,
      },
    }),
    RemoveAccessReviewItem: () => ({
      removeAccessReviewItem: {
        __typename: 'AccessReviewItem',
        id: 'item-mara',
        decision: 'REMOVED',
        viewRightSuspended: true,
      },
    }),
  });
  render(
    <Provider value={mock.client}>
      <AccessReviewsPage staff={me} />
    </Provider>,
  );
  return mock;
}

describe('Access reviews', () => {
  it('says so when no review has opened yet', () => {
    renderPage([]);
    expect(screen.getByText('No access review yet')).toBeTruthy();
  });

  it('lists the latest review with its counts and the deadline in salon time; nothing to decide on one’s own item', () => {
    renderPage([
      review(2, [item('item-mara', 'staff-mara', 'Mara Quinn'), item('item-max', me.id, 'Max Okafor')]),
      review(1, []),
    ]);
    const latest = screen.getByTestId('latest-review');
    expect(latest.textContent).toContain('Answer by May 16, 2027, 10:00 PM PDT');
    const own = latest.querySelector('[data-review-item="Max Okafor"]') as HTMLElement;
    expect(within(own).queryAllByRole('button')).toEqual([]);
    const mara = latest.querySelector('[data-review-item="Mara Quinn"]') as HTMLElement;
    expect(
      within(mara)
        .getAllByRole('cell')
        .map((cell) => cell.textContent)
        .slice(1, 4),
    ).toEqual(['3', '1', '0']);
    expect(screen.getByRole('heading', { name: 'Past reviews' })).toBeTruthy();
  });

  it('confirms another manager’s item', async () => {
    const mock = renderPage([review(2, [item('item-mara', 'staff-mara', 'Mara Quinn')])]);
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Confirm Mara Quinn' })));
    expect(mock.mutations).toEqual([{ name: 'ConfirmAccessReviewItem', variables: { itemId: 'item-mara' } }]);
  });

  it('removes only with a note', async () => {
    const mock = renderPage([review(2, [item('item-mara', 'staff-mara', 'Mara Quinn')])]);
    fireEvent.click(screen.getByRole('button', { name: 'Remove Mara Quinn' }));
    const dialog = screen.getByTestId('remove-access-dialog');
    const submit = within(dialog).getByRole('button', { name: 'Remove access' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('Why (managers and audit only)'), {
      target: { value: 'Moved to the front desk' },
    });
    expect(submit.disabled).toBe(false);
    await act(async () => void fireEvent.click(submit));
    expect(mock.mutations).toEqual([
      { name: 'RemoveAccessReviewItem', variables: { itemId: 'item-mara', note: 'Moved to the front desk' } },
    ]);
  });
});
