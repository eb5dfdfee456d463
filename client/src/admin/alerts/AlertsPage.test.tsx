// @vitest-environment jsdom
// The alerts list by rule: the rules are offered in their own words, and the one chosen is what the
// live list asks the server for (any rule: all of them).
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Provider, type Client, type Operation } from 'urql';
import { mockClient } from '../../testing/mockClient.ts';
import { AlertsPage } from './AlertsPage.tsx';

const rule = (name: string, description: string) => ({
  rule: name,
  description,
  enabled: true,
  threshold: null,
  thresholdUnit: null,
  businessHoursStart: null,
  businessHoursEnd: null,
  isDefault: true,
});

function renderPage() {
  const mock = mockClient({
    AlertRules: () => ({
      alertRules: [
        rule('TAMPERING', "A staff view's marks were hidden (tampering incident)"),
        rule('BREAK_GLASS', 'Emergency (break-glass) access was used'),
      ],
    }),
  });
  const asked: Record<string, unknown>[] = [];
  const client = {
    ...mock.client,
    executeSubscription: (operation: Operation) => {
      asked.push(operation.variables as Record<string, unknown>);
      return mock.client.executeSubscription(operation);
    },
  } as unknown as Client;
  render(
    <Provider value={client}>
      <AlertsPage />
    </Provider>,
  );
  return { mock, asked };
}

afterEach(cleanup);

describe('Alerts by rule', () => {
  it('offers every rule in its own words, and lists all alerts until one is chosen', () => {
    const { asked } = renderPage();
    const select = screen.getByRole('combobox', { name: 'Rule' });
    expect([...select.querySelectorAll('option')].map((option) => option.textContent)).toEqual([
      'Any rule',
      "A staff view's marks were hidden (tampering incident)",
      'Emergency (break-glass) access was used',
    ]);
    expect(asked.at(-1)).toEqual({ rule: null });
  });

  it('asks for the chosen rule’s alerts and says when it has raised none', async () => {
    const { mock, asked } = renderPage();
    await act(async () => {
      fireEvent.change(screen.getByRole('combobox', { name: 'Rule' }), { target: { value: 'BREAK_GLASS' } });
    });
    expect(asked.at(-1)).toEqual({ rule: 'BREAK_GLASS' });
    await act(async () => mock.push('AlertsLive', { alerts: { unacknowledgedCount: 2, alerts: [] } }));
    expect(screen.getByTestId('alerts-none').textContent).toBe('This rule has raised no alerts.');
  });
});
