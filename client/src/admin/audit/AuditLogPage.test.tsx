// @vitest-environment jsdom
// The audit browser against a mocked server: staff views as summaries with page names and local
// times, a session's summary (with its ticket and scope) above its timeline, filters read from the
// URL, and the exports fetched with the manager's token for the filters in force.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Provider } from 'urql';
import { formatTimestamp } from '../../format.ts';
import { mockClient, type Fixture } from '../../testing/mockClient.ts';
import { AuditLogPage } from './AuditLogPage.tsx';
import { eventLabel, localizeTimes } from './events.ts';
import { exportUrl } from './ExportButtons.tsx';
import { filterFromQuery } from './filters.ts';

const STARTED = '2026-03-02T15:04:05.000Z';
const ENDED = '2026-03-02T15:20:00.000Z';

const summary = {
  id: 'imp-1',
  staffName: 'Mara Quinn',
  customerId: 'cust-1',
  customerName: 'Chloe Martin',
  reason: 'Chloe called about invoice INV-1010',
  ticket: 'T-1042',
  ticketUrl: 'https://help.example/tickets/T-1042',
  scope: ['WHOLE_PORTAL'],
  scopeNeed: 'Tests read every section',
  alertCount: 1,
  startedAt: STARTED,
  endedAt: ENDED,
  expiresAt: ENDED,
  extendedAt: null,
  state: 'TERMINATED',
  endReason: 'No ticket for this view',
  endedByName: 'Max Okafor',
  deniedAttempts: 2,
  partialAttempts: 0,
  pagesViewed: [
    { page: 'Billing', views: 2, shown: '3 invoices', records: [{ type: 'Invoice', count: 3 }] },
    { page: 'My Pets', views: 1, shown: '2 pets', records: [{ type: 'Pet', count: 2 }] },
  ],
};

const event = {
  id: '41',
  createdAt: STARTED,
  action: 'OPERATION',
  outcome: 'DENIED',
  staffId: 'staff-1',
  staffName: 'Mara Quinn',
  customerId: 'cust-1',
  customerName: 'Chloe Martin',
  sessionId: 'imp-1',
  page: 'Billing',
  shown: null,
  headerOnly: false,
  operationName: 'PayInvoice',
  operationType: 'mutation',
  rootFields: ['payInvoice'],
  variables: {},
  errorCode: 'FORBIDDEN',
  reason: null,
  requestId: 'req-1',
  ip: '127.0.0.1',
  userAgent: 'test',
};

const fixtures: Record<string, Fixture> = {
  AuditFilterOptions: () => ({ staffMembers: [], customers: [] }),
  AuditSessions: () => ({
    auditSessions: { edges: [{ node: summary }], pageInfo: { hasNextPage: false, endCursor: null } },
  }),
  AuditSession: () => ({ auditSession: summary }),
  AuditLog: () => ({
    auditEvents: { edges: [{ cursor: 'c', node: event }], pageInfo: { hasNextPage: false, endCursor: null } },
  }),
};

function renderAt(url: string, overrides: Record<string, Fixture> = {}) {
  window.history.replaceState(null, '', url);
  const mock = mockClient({ ...fixtures, ...overrides });
  render(
    <Provider value={mock.client}>
      <AuditLogPage />
    </Provider>,
  );
  return mock;
}

beforeEach(() => localStorage.setItem('salon.account', JSON.stringify({ token: 'mgr-token', kind: 'STAFF' })));
afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.unstubAllGlobals();
});

describe('Staff views', () => {
  it('lists each staff view as a summary: people, reason, local times, how it ended, pages and refusals', () => {
    renderAt('/admin/audit');
    const row = within(screen.getByTestId('audit-sessions')).getByText('Mara Quinn').closest('tr')!;
    expect(row.textContent).toContain('Chloe Martin');
    expect(row.textContent).toContain('Chloe called about invoice INV-1010');
    expect(row.textContent).toContain(formatTimestamp(STARTED));
    expect(row.textContent).not.toContain(STARTED);
    expect(row.textContent).toContain('Terminated by Max Okafor');
    expect(row.textContent).toContain('Billing ×2 · 3 invoices');
    expect(row.textContent).toContain('My Pets · 2 pets');
    expect(row.textContent).toContain('Ticket T-1042');
    expect(row.textContent).toContain('Whole portal');
    expect(row.textContent).toContain('2 refused');
    expect(row.textContent).toContain('1 alert');
  });

  it('applies a date preset at once, in the URL and the query, replacing a custom range', async () => {
    const seen: Record<string, unknown>[] = [];
    renderAt('/admin/audit?customerId=cust-1&from=2026-03-01T00:00:00.000Z', {
      AuditSessions: (variables) => {
        seen.push(variables.filter as Record<string, unknown>);
        return fixtures.AuditSessions!(variables);
      },
    });
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Last 7 days' })));
    expect(window.location.search).toBe('?customerId=cust-1&period=LAST_7_DAYS');
    expect(screen.getByRole('button', { name: 'Last 7 days' }).getAttribute('aria-pressed')).toBe('true');
    expect(seen.at(-1)).toMatchObject({ customerId: 'cust-1', period: 'LAST_7_DAYS', from: null, to: null });
  });

  it('narrows to the customer and section of a page viewed in one click', async () => {
    renderAt('/admin/audit?period=LAST_7_DAYS');
    const row = within(screen.getByTestId('audit-sessions')).getByText('Mara Quinn').closest('tr')!;
    await act(async () => void fireEvent.click(within(row).getByRole('button', { name: 'Billing ×2' })));
    expect(window.location.search).toBe('?customerId=cust-1&period=LAST_7_DAYS&section=BILLING');
  });

  it('sends the section, scope, alert and ticket filters of the URL', () => {
    const seen: unknown[] = [];
    renderAt('/admin/audit?section=BILLING&scope=WHOLE_PORTAL&alerted=yes&ticket=T-9', {
      AuditSessions: (variables) => {
        seen.push(variables.filter);
        return fixtures.AuditSessions!(variables);
      },
    });
    expect(seen[0]).toMatchObject({ section: 'BILLING', scope: 'WHOLE_PORTAL', alerted: true, ticket: 'T-9' });
  });

  it('asks for the staff views with the filters of the URL', () => {
    const seen: unknown[] = [];
    renderAt('/admin/audit?staffId=staff-1&outcome=DENIED&action=OPERATION', {
      AuditSessions: (variables) => {
        seen.push(variables.filter);
        return fixtures.AuditSessions!(variables);
      },
    });
    expect(seen[0]).toEqual({
      staffId: 'staff-1',
      customerId: null,
      outcome: 'DENIED',
      period: null,
      from: null,
      to: null,
      section: null,
      scope: null,
      alerted: null,
      ticket: null,
    });
  });

  it('opens a session’s summary, with its pages and what they showed, above its timeline', () => {
    renderAt('/admin/audit?sessionId=imp-1');
    const card = screen.getByTestId('session-summary');
    expect(card.textContent).toContain('Billing');
    expect(card.textContent).toContain('2 times · 3 invoices');
    expect(card.textContent).toContain('Terminated by Max Okafor');
    const table = screen.getByTestId('audit-table');
    expect(table.textContent).toContain('Refused: change on Billing');
    expect(table.textContent).not.toContain('PayInvoice');
  });

  it('names the view’s ticket, linked to the help desk, and its scope as the banner does', () => {
    renderAt('/admin/audit?sessionId=imp-1');
    const link = within(screen.getByTestId('summary-ticket')).getByRole('link', { name: /T-1042/ });
    expect(link.getAttribute('href')).toBe('https://help.example/tickets/T-1042');
    expect(link.getAttribute('rel')).toContain('noopener');
    const scope = screen.getByTestId('summary-scope');
    expect(scope.textContent).toContain('Whole portal');
    expect(scope.textContent).toContain('Tests read every section');
  });

  it('shows the sections of a scoped view in the portal’s words, and a ticket whose address is not http(s) as text', () => {
    const scoped = {
      ...summary,
      scope: ['MESSAGES', 'BILLING'],
      scopeNeed: null,
      ticketUrl: 'javascript:alert(1)',
    };
    renderAt('/admin/audit?sessionId=imp-1', { AuditSession: () => ({ auditSession: scoped }) });
    expect(screen.getByTestId('summary-scope').textContent).toBe('Sections: Billing, Messages');
    expect(screen.getByTestId('summary-ticket').textContent).toBe('T-1042');
    expect(within(screen.getByTestId('summary-ticket')).queryByRole('link')).toBeNull();
  });

  it('says a view without a ticket named none', () => {
    renderAt('/admin/audit?sessionId=imp-1', {
      AuditSession: () => ({ auditSession: { ...summary, ticket: null, ticketUrl: null } }),
    });
    expect(screen.getByTestId('summary-ticket').textContent).toBe('None');
  });
});

describe('Page views', () => {
  it('folds a header query into the page view it came with: one line per page view', () => {
    const header = { ...event, id: '42', outcome: 'ALLOWED', headerOnly: true, operationName: 'PortalHeader' };
    const home = { ...event, id: '43', outcome: 'ALLOWED', page: 'Home', shown: '2 invoices', operationType: 'query' };
    renderAt('/admin/audit?sessionId=imp-1', {
      AuditLog: () => ({
        auditEvents: {
          edges: [header, home].map((node) => ({ cursor: node.id, node })),
          pageInfo: { hasNextPage: false, endCursor: null },
        },
      }),
    });
    const rows = within(screen.getByTestId('audit-table')).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.textContent).toContain('Viewed Home: 2 invoices');
  });
});

describe('Event words', () => {
  it('names an event by its page and what happened to it', () => {
    expect(eventLabel({ action: 'OPERATION', outcome: 'ALLOWED', page: 'My Pets', operationType: 'query' })).toBe(
      'Viewed My Pets',
    );
    expect(eventLabel({ action: 'OPERATION', outcome: 'PARTIAL', page: 'Home', operationType: 'query' })).toBe(
      'Viewed Home (part refused)',
    );
    expect(eventLabel({ action: 'SESSION_EXTENDED', outcome: 'ALLOWED' })).toBe('Session extended');
  });

  it('writes the UTC instants of a reason in local time', () => {
    expect(localizeTimes(`expires at ${ENDED}`)).toBe(`expires at ${formatTimestamp(ENDED)}`);
  });
});

describe('Export', () => {
  it('builds the export URL from the filters in force, without the view', () => {
    const applied = filterFromQuery(new URLSearchParams('staffId=s1&outcome=DENIED&view=events'));
    expect(exportUrl('csv', applied)).toBe('/audit/export?format=csv&staffId=s1&outcome=DENIED');
  });

  it('exports staff views one row each with their own filters, and events without them', () => {
    const applied = filterFromQuery(
      new URLSearchParams('customerId=c1&period=LAST_7_DAYS&section=BILLING&alerted=no&action=OPERATION'),
    );
    expect(exportUrl('sessions', applied)).toBe(
      '/audit/export?shape=sessions&format=csv&customerId=c1&period=LAST_7_DAYS&section=BILLING&alerted=false',
    );
    expect(exportUrl('csv', applied)).toBe(
      '/audit/export?format=csv&customerId=c1&action=OPERATION&period=LAST_7_DAYS',
    );
  });

  it('downloads the export with the manager’s token', async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response('id\r\n', {
          status: 200,
          headers: { 'content-disposition': 'attachment; filename="audit-x.csv"' },
        }),
    );
    vi.stubGlobal('fetch', fetchMock);
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    renderAt('/admin/audit?customerId=cust-1');
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Export CSV' })));
    expect(fetchMock).toHaveBeenCalledWith('/audit/export?format=csv&customerId=cust-1', {
      headers: { authorization: 'Bearer mgr-token' },
    });
    expect(URL.createObjectURL).toHaveBeenCalled();
  });

  it('says so when the export is refused', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { status: 403 })),
    );
    renderAt('/admin/audit');
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Export NDJSON' })));
    expect(screen.getByRole('alert').textContent).toContain('HTTP 403');
  });
});
