// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Provider } from 'urql';
import { SessionContext, type SessionApi } from '../auth/session.tsx';
import { PetsPage } from '../portal/PetsPage.tsx';
import { mockClient, type Fixture, type MockClient } from '../testing/mockClient.ts';
import { layOutMarks } from '../testing/markLayout.ts';
import { portalFixtures } from '../testing/portalFixtures.ts';
import { StaffView } from './StaffView.tsx';

const NOW = Date.parse('2026-11-24T14:00:00.000Z');
const SESSION_ID = 'imp-1';

const current = {
  currentImpersonation: {
    id: SESSION_ID,
    reason: 'Customer called about invoice INV-1010',
    startedAt: new Date(NOW - 60_000).toISOString(),
    expiresAt: new Date(NOW + 29 * 60_000).toISOString(),
    remainingSeconds: 29 * 60,
    canExtend: false,
    state: 'ACTIVE',
    endReason: null,
    customer: { id: 'cust-1', name: 'Chloe Martin' },
    staff: { id: 'staff-1', name: 'Mara Quinn' },
  },
  impersonationPolicy: { extensionMinutes: 30 },
};

/** The page inside the staff view brings the session with its own data (one query per page). */
const page = (session: object, more: Record<string, Fixture> = {}) => ({
  PetsPage: (variables: Record<string, unknown>) =>
    variables.staffView ? { ...(portalFixtures.PetsPage!(variables) as object), ...session } : null,
  ...more,
});

const tick = (overrides: Record<string, unknown> = {}) => ({
  impersonationSession: {
    sessionId: SESSION_ID,
    state: 'ACTIVE',
    remainingSeconds: 1740,
    expiresAt: new Date(NOW + 29 * 60_000).toISOString(),
    serverTime: new Date(NOW).toISOString(),
    endReason: null,
    canExtend: false,
    extensionAvailableAt: new Date(NOW + 24 * 60_000).toISOString(),
    ...overrides,
  },
});

function renderStaffView(mock: MockClient) {
  const session = {
    endStaffView: vi.fn(),
    endingOwnStaffView: vi.fn(),
    session: { kind: 'IMPERSONATION', token: 'imp-token', staffToken: 'staff-token', sessionId: SESSION_ID },
  } as unknown as SessionApi;
  render(
    <SessionContext.Provider value={session}>
      <Provider value={mock.client}>
        <StaffView sessionId={SESSION_ID}>
          <button type="button">Portal content</button>
          <PetsPage />
        </StaffView>
      </Provider>
    </SessionContext.Provider>,
  );
  return session.endStaffView as ReturnType<typeof vi.fn>;
}

let restoreLayout: () => void;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
  vi.setSystemTime(NOW);
  restoreLayout = layOutMarks();
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  restoreLayout();
});

describe('StaffView', () => {
  it('wraps the portal in the banner, border and watermark', () => {
    renderStaffView(mockClient(page(current)));
    expect(screen.getByTestId('staff-banner').textContent).toContain('Viewing as Chloe Martin');
    expect(screen.getByTestId('staff-border')).toBeTruthy();
    expect(screen.getByTestId('staff-watermark')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Portal content' })).toBeTruthy();
  });

  it('corrects the countdown with the server time of each tick', () => {
    const mock = mockClient(page(current));
    renderStaffView(mock);
    // The server's clock is 60 s ahead: one minute less remains than the local clock says.
    act(() => mock.push('StaffViewStatus', tick({ serverTime: new Date(NOW + 60_000).toISOString() })));
    act(() => vi.advanceTimersByTime(300));
    expect(screen.getByTestId('countdown').textContent).toBe('28:00');
  });

  it('shows Extend when a tick says the server allows it', () => {
    const mock = mockClient(page(current));
    renderStaffView(mock);
    expect(screen.queryByTestId('extend-session')).toBeNull();
    act(() => mock.push('StaffViewStatus', tick({ canExtend: true })));
    expect(screen.getByTestId('extend-session')).toBeTruthy();
  });

  it('leaves the portal with the reason as soon as the end is pushed', () => {
    const mock = mockClient(page(current));
    const endStaffView = renderStaffView(mock);
    act(() => mock.push('StaffViewStatus', tick()));
    expect(endStaffView).not.toHaveBeenCalled();
    act(() =>
      mock.push(
        'StaffViewStatus',
        tick({ state: 'TERMINATED', endReason: 'Customer asked us to stop', remainingSeconds: 0 }),
      ),
    );
    expect(endStaffView).toHaveBeenCalledWith({
      sessionId: SESSION_ID,
      state: 'TERMINATED',
      reason: 'Customer asked us to stop',
    });
  });

  it('leaves the portal when the countdown runs out', () => {
    const endStaffView = renderStaffView(
      mockClient(
        page({
          ...current,
          currentImpersonation: {
            ...current.currentImpersonation,
            expiresAt: new Date(NOW + 3_000).toISOString(),
            remainingSeconds: 3,
          },
        }),
      ),
    );
    act(() => vi.advanceTimersByTime(5_000));
    expect(endStaffView).toHaveBeenCalledWith({ sessionId: SESSION_ID, state: 'EXPIRED', reason: null });
  });

  it('keeps End session working in the read-only portal', async () => {
    const mock = mockClient(
      page(current, {
        EndStaffView: () => ({
          endImpersonation: { id: SESSION_ID, state: 'ENDED', endReason: 'Ended by staff member' },
        }),
      }),
    );
    const endStaffView = renderStaffView(mock);
    await act(async () => void fireEvent.click(screen.getByTestId('end-session')));
    expect(endStaffView).toHaveBeenCalledWith({
      sessionId: SESSION_ID,
      state: 'ENDED',
      reason: 'Ended by staff member',
    });
    expect(mock.mutations).toEqual([{ name: 'EndStaffView', variables: { sessionId: SESSION_ID } }]);
  });

  it('blurs the portal while a mark is hidden, says why, and reports the incident once', async () => {
    const mock = mockClient(
      page(current, {
        ReportStaffViewTampering: () => ({
          reportStaffViewTampering: { counted: true, incidents: 1, limit: 3, ended: false },
        }),
      }),
    );
    renderStaffView(mock);
    const portal = screen.getByTestId('staff-view-portal');
    expect(portal.style.filter).toBe('');
    screen.getByTestId('staff-banner').style.opacity = '0.06';
    await act(async () => void vi.advanceTimersByTime(600));
    expect(portal.style.filter).toBe('blur(14px)');
    expect(portal.style.pointerEvents).toBe('none');
    expect(screen.getByTestId('marks-hidden-notice').textContent).toContain('1 of 3, then this view ends');
    expect(mock.mutations).toEqual([
      { name: 'ReportStaffViewTampering', variables: { marks: ['BANNER'], how: ['OPACITY'] } },
    ]);
  });
});
