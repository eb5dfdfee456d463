// @vitest-environment jsdom
// The Webhooks page against a mocked server: the delivery log's rows (endpoint, event, status,
// attempts, last answer, next attempt), older pages on demand, and a new endpoint's secret shown once.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { Provider } from 'urql';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../format.ts';
import { mockClient } from '../../testing/mockClient.ts';
import { WebhookDeliveries } from './WebhookDeliveries.tsx';

afterEach(cleanup);

const CREATED = '2026-12-07T03:00:00.000Z';
const NEXT = '2026-12-07T03:00:10.000Z';

const delivery = (id: string, overrides: Record<string, unknown> = {}) => ({
  __typename: 'WebhookDelivery',
  id,
  endpointName: 'Pager',
  eventType: 'alert.raised',
  status: 'DELIVERED',
  attempts: 1,
  createdAt: CREATED,
  lastAttemptAt: CREATED,
  lastStatusCode: 200,
  lastError: null,
  nextAttemptAt: null,
  ...overrides,
});

const page = (ids: ReturnType<typeof delivery>[], endCursor: string | null) => ({
  webhookDeliveries: {
    __typename: 'WebhookDeliveryConnection',
    edges: ids.map((node) => ({ __typename: 'WebhookDeliveryEdge', node })),
    pageInfo: { __typename: 'PageInfo', hasNextPage: endCursor !== null, endCursor },
  },
});

function renderPage() {
  const endpoint = {
    __typename: 'WebhookEndpoint',
    id: 'ep-1',
    name: 'Pager',
    url: 'https://hooks.example/alerts',
    createdAt: CREATED,
    disabledAt: null,
  };
  const mock = mockClient({
    WebhookEndpoints: () => ({ webhookEndpoints: [endpoint] }),
    WebhookDeliveries: (variables) =>
      variables.after
        ? page(
            [delivery('d-3', { eventType: 'alert.raised', status: 'FAILED', attempts: 8, lastStatusCode: 503 })],
            null,
          )
        : page(
            [
              delivery('d-1'),
              delivery('d-2', {
                status: 'PENDING',
                attempts: 2,
                lastStatusCode: null,
                lastError: 'timed out after 10000 ms',
                nextAttemptAt: NEXT,
              }),
            ],
            'cursor-1',
          ),
    AddWebhookEndpoint: () => ({
      addWebhookEndpoint: {
        __typename: 'AddedWebhookEndpoint',
        secret: 'whsec_c2VjcmV0LXNob3duLW9uY2U=',
        endpoint: { ...endpoint, id: 'ep-2', name: 'Chat' },
      },
    }),
  });
  render(
    <Provider value={mock.client}>
      <WebhookDeliveries />
    </Provider>,
  );
  return mock;
}

describe('Webhooks page', () => {
  it('lists deliveries with their attempts, last answer and next attempt, and loads older ones', async () => {
    renderPage();
    const table = screen.getByTestId('webhook-deliveries');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]!.textContent).toContain('Pager');
    expect(rows[0]!.textContent).toContain('HTTP 200');
    expect(rows[1]!.textContent).toContain('timed out after 10000 ms');
    expect(rows[1]!.textContent).toContain(formatDateTime(NEXT));
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Older deliveries' })));
    expect(table.textContent).toContain('HTTP 503');
    expect(screen.queryByRole('button', { name: 'Older deliveries' })).toBeNull();
  });

  it('adds an endpoint and shows its secret once', async () => {
    const mock = renderPage();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'Chat' } });
    fireEvent.change(screen.getByLabelText('URL'), { target: { value: 'https://chat.example/hook' } });
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Add endpoint' })));
    expect(mock.mutations).toEqual([
      { name: 'AddWebhookEndpoint', variables: { name: 'Chat', url: 'https://chat.example/hook' } },
    ]);
    expect(screen.getByTestId('webhook-secret').textContent).toContain('whsec_c2VjcmV0LXNob3duLW9uY2U=');
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Done' })));
    expect(screen.queryByTestId('webhook-secret')).toBeNull();
  });
});
