// @vitest-environment jsdom
// The manager's dialog when the customer stopped their last view or declined their request: what
// she did and said, and until when they cannot view her account (local time); other refusals as is.
import { cleanup, render, screen } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import { CombinedError } from 'urql';
import { afterEach, describe, expect, it } from 'vitest';
import { formatDateTime, formatTime } from '../format.ts';
import { StartRefusal } from './StaffViewBlocked.tsx';

afterEach(cleanup);

const BLOCKED_AT = '2026-12-07T01:27:00.000Z';
const UNTIL = '2026-12-08T01:27:00.000Z';

const refusal = (extensions: Record<string, unknown>) =>
  new CombinedError({ graphQLErrors: [new GraphQLError('The customer stopped your last staff view', { extensions })] });

const blocked = (cause: string, customerWords: string | null) =>
  refusal({
    code: 'FORBIDDEN',
    reason: 'STAFF_VIEW_BLOCKED',
    cause,
    blockedAt: BLOCKED_AT,
    until: UNTIL,
    customerWords,
  });

describe('A start refused by the customer’s block', () => {
  it('says when she stopped the last view, her words, and until when', () => {
    render(<StartRefusal error={blocked('STOPPED', 'Please call me first')} customerName="Chloe Bennett" />);
    expect(screen.getByTestId('staff-view-blocked').textContent).toBe(
      `Chloe stopped your last view at ${formatTime(BLOCKED_AT)} and said: “Please call me first”. ` +
        `You can't view Chloe's account or ask again until ${formatDateTime(UNTIL)}, unless Chloe allows it.`,
    );
  });

  it('says when she declined the request, without words', () => {
    render(<StartRefusal error={blocked('DECLINED', null)} customerName="Chloe Bennett" />);
    expect(screen.getByTestId('staff-view-blocked').textContent).toContain(
      `Chloe declined your request at ${formatTime(BLOCKED_AT)}. You can't view`,
    );
  });

  it('shows any other refusal as the server worded it', () => {
    render(<StartRefusal error={refusal({ code: 'CONFLICT' })} customerName="Chloe Bennett" />);
    expect(screen.queryByTestId('staff-view-blocked')).toBeNull();
    expect(screen.getByRole('alert').textContent).toBe('The customer stopped your last staff view');
  });
});
