// How a staff view's end reads for the staff member, for the ends the customer and the salon's
// kill switch cause.
import { describe, expect, it } from 'vitest';
import { describeEnding } from './endings.ts';

describe('describeEnding', () => {
  it("quotes the customer's words when they stopped the view", () => {
    const { title, detail } = describeEnding({
      state: 'STOPPED_BY_CUSTOMER',
      reason: 'I did not ask for this',
      customerName: 'Chloe Martin',
      customerWords: 'I did not ask for this',
    });
    expect(title).toBe('Your staff view of Chloe Martin has ended');
    expect(detail).toBe('Stopped by Chloe Martin from their portal: “I did not ask for this”');
  });

  it('says the customer stopped the view when they gave no words', () => {
    const { detail } = describeEnding({
      state: 'STOPPED_BY_CUSTOMER',
      reason: 'Stopped by the customer',
      customerName: 'Chloe Martin',
      customerWords: null,
    });
    expect(detail).toBe('Stopped by Chloe Martin from their portal.');
  });

  it('gives the kill switch’s reason as the server recorded it', () => {
    const { detail } = describeEnding({
      state: 'STAFF_VIEWS_DISABLED',
      reason: 'Staff views were turned off salon-wide: Suspected account takeover',
    });
    expect(detail).toBe('Staff views were turned off salon-wide: Suspected account takeover');
  });
});
