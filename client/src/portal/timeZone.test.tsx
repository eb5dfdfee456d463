// @vitest-environment jsdom
// The customer's time zone defaults from her browser, once, and only when her profile has none.
import { cleanup, render } from '@testing-library/react';
import { useMemo } from 'react';
import { Provider } from 'urql';
import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from '../testing/mockClient.ts';
import { staffAccess } from '../testing/portalFixtures.ts';
import { browserTimeZone, timeZoneChoices, useTimeZoneDefault } from './timeZone.tsx';

/** The hook as the request notice calls it, with the staff-access data it reads. */
function TimeZoneDefault({ timeZone }: { timeZone: string | null }) {
  useTimeZoneDefault(useMemo(() => ({ ...staffAccess(), timeZone }), [timeZone]));
  return null;
}

afterEach(cleanup);

function mount(timeZone: string | null) {
  const mock = mockClient({
    SetTimeZone: ({ input }) => ({ updateProfile: { id: 'cust-1', ...(input as object) } }),
  });
  const view = render(
    <Provider value={mock.client}>
      <TimeZoneDefault timeZone={timeZone} />
    </Provider>,
  );
  return { mock, view };
}

describe('The profile time zone', () => {
  it('is set from the browser, once, when the profile has none', () => {
    const zone = browserTimeZone();
    expect(zone).toBeTruthy();
    const { mock, view } = mount(null);
    view.rerender(
      <Provider value={mock.client}>
        <TimeZoneDefault timeZone={null} />
      </Provider>,
    );
    const expected = timeZoneChoices(null).includes(zone!)
      ? [{ name: 'SetTimeZone', variables: { input: { timeZone: zone } } }]
      : [];
    expect(mock.mutations).toEqual(expected);
  });

  it('is left alone when the profile names one', () => {
    const { mock } = mount('America/Los_Angeles');
    expect(mock.mutations).toEqual([]);
  });

  it('offers every IANA zone, and keeps one the list lacks', () => {
    expect(timeZoneChoices(null)).toContain('America/Los_Angeles');
    expect(timeZoneChoices('UTC')[0]).toBe('UTC');
  });
});
