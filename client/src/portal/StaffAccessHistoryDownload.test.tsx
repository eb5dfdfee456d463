// @vitest-environment jsdom
// "Download my staff-access history": the customer's press asks the server once and offers the file
// and its printable page; under a staff view the press asks nothing (the server would refuse it too).
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Provider, type Client } from 'urql';
import { ReadOnlyProvider } from '../impersonation/readOnly.tsx';
import { StaffAccessHistoryDownload } from './StaffAccessHistoryDownload.tsx';

const history = {
  salon: 'Tidy Tails',
  customer: 'Chloe Martin',
  generated: { local: 'Dec 7, 2026, 2:00 AM CET' },
  timeZone: 'Europe/Paris',
  coverage: { views: 0, complete: true, note: 'Every staff view of your account up to the time above.' },
  views: [],
  requests: [],
};
const file = {
  fileName: 'staff-access-history-2026-12-07.json',
  content: `{"format":"staff-access-history/1","history":\n${JSON.stringify(history)}\n,"signature":{}}\n`,
  views: 0,
  complete: true,
  nextOlderThan: null,
};

function clientAnswering() {
  const query = vi.fn(() => ({ toPromise: () => Promise.resolve({ data: { myStaffAccessHistory: file } }) }));
  return { client: { query } as unknown as Client, query };
}

beforeEach(() => {
  URL.createObjectURL = vi.fn(() => 'blob:history');
  URL.revokeObjectURL = vi.fn();
});
afterEach(cleanup);

describe('Download my staff-access history', () => {
  it('asks the server once and offers the file and the printable page', async () => {
    const { client, query } = clientAnswering();
    render(
      <Provider value={client}>
        <StaffAccessHistoryDownload />
      </Provider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Download my staff-access history' }));
    await screen.findByRole('status');
    expect(query).toHaveBeenCalledTimes(1);
    expect(query.mock.calls[0]).toContainEqual({ olderThan: null });
    expect(screen.getByRole('link', { name: 'open the printable page' }).getAttribute('target')).toBe('_blank');
    expect(screen.getByRole('link', { name: 'Save the file again' }).getAttribute('download')).toBe(file.fileName);
  });

  it('asks nothing under a staff view (unauthorized)', () => {
    const { client, query } = clientAnswering();
    render(
      <Provider value={client}>
        <ReadOnlyProvider customerName="Chloe Martin">
          <StaffAccessHistoryDownload />
        </ReadOnlyProvider>
      </Provider>,
    );
    fireEvent.click(screen.getByRole('button', { name: /Download my staff-access history/ }));
    expect(query).not.toHaveBeenCalled();
    expect(screen.queryByRole('link', { name: 'open the printable page' })).toBeNull();
  });
});
