import { describe, expect, it } from 'vitest';
import { historyOfFile, printableHistoryHtml, type SignedHistory } from './printableHistory.ts';

const at = (local: string) => ({ at: '2026-12-01T10:00:00.000Z', local });

const history: SignedHistory = {
  salon: 'Tidy Tails',
  customer: 'Chloe Martin',
  generated: at('Dec 7, 2026, 2:00 AM CET'),
  timeZone: 'Europe/Paris',
  coverage: { views: 1, complete: true, note: 'Every staff view of your account up to the time above.' },
  views: [
    {
      staffName: 'Mara <Quinn>',
      reason: 'Billing question & "refund"',
      started: at('Dec 1, 2026, 11:00 AM CET'),
      ended: at('Dec 1, 2026, 11:20 AM CET'),
      inProgress: false,
      extended: null,
      howItEnded: 'Mara Quinn ended it',
      messageFromSalon: null,
      pagesViewed: [
        {
          page: 'Billing',
          timesOpened: 2,
          records: [{ what: 'invoices', count: 3, names: ['Invoice INV-1001'] }],
        },
      ],
      refusedAttempts: 1,
    },
  ],
  requests: [],
};

describe('printable staff-access history', () => {
  it('reads the history from line 2 of a downloaded file', () => {
    const file = `{"format":"staff-access-history/1","history":\n${JSON.stringify(history)}\n,"signature":{}}\n`;
    expect(historyOfFile(file)).toEqual(history);
  });

  it('escapes every text the staff member or the salon wrote', () => {
    const html = printableHistoryHtml(history);
    expect(html).toContain('Mara &lt;Quinn&gt;');
    expect(html).toContain('Billing question &amp; &quot;refund&quot;');
    expect(html).not.toContain('<Quinn>');
  });

  it('names records it can name and counts the rest', () => {
    const html = printableHistoryHtml(history);
    expect(html).toContain('<strong>Billing</strong> (opened 2 times): Invoice INV-1001 and 2 more');
    expect(html).toContain('<dt>Refused attempts</dt><dd>1</dd>');
  });
});
