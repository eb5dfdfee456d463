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

  it('tells an emergency access with its review, and each revealed detail with its reason', () => {
    const [view] = history.views;
    const html = printableHistoryHtml({
      ...history,
      views: [
        {
          ...view!,
          emergency: {
            what: 'Emergency access: an urgent question about your pet’s health',
            note: 'It was started without the usual approval; another manager at Tidy Tails reviews every emergency access.',
            followUps: [
              {
                at: at('Dec 1, 2026, 1:00 PM CET'),
                what: 'Max Okafor, another manager at Tidy Tails, reviewed this emergency access and found it justified.',
              },
            ],
          },
          revealed: [
            { at: at('Dec 1, 2026, 11:05 AM CET'), what: 'the health alerts of <Biscuit>', reason: 'Vet asked' },
          ],
        },
      ],
    });
    expect(html).toContain('<dt>Emergency</dt><dd>Emergency access: an urgent question about your pet’s health<br>');
    expect(html).toContain('Dec 1, 2026, 1:00 PM CET: Max Okafor, another manager at Tidy Tails, reviewed');
    expect(html).toContain(
      '<li>Dec 1, 2026, 11:05 AM CET: the health alerts of &lt;Biscuit&gt; (reason given: Vet asked)</li>',
    );
  });

  it('reads a file made before reveals and emergencies were listed', () => {
    const html = printableHistoryHtml(history);
    expect(html).not.toContain('<dt>Emergency</dt>');
    expect(html).not.toContain('revealed');
  });
});
