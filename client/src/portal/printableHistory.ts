// The printable page of a downloaded staff-access history: a self-contained HTML document made
// from the signed file's history (line 2), so what she prints is what the salon signed. Customer
// words only: names, times in her zone, reasons, pages and her records by name or count; no record
// ids, no signature or key (the file carries those, for whoever checks it).

/** The history as the server signs it (server/audit/customer-history.ts); only what the page shows. */
export interface SignedHistory {
  salon: string;
  customer: string;
  generated: { local: string };
  timeZone: string;
  coverage: { views: number; complete: boolean; note: string };
  views: {
    staffName: string;
    reason: string;
    /** Emergency access, in her words, and its review (absent in files made before it was listed). */
    emergency?: { what: string; note: string; followUps: { at: { local: string }; what: string }[] } | null;
    started: { local: string };
    ended: { local: string } | null;
    inProgress: boolean;
    extended: { at: { local: string }; until: { local: string } } | null;
    howItEnded: string | null;
    messageFromSalon: string | null;
    pagesViewed: { page: string; timesOpened: number; records: { what: string; count: number; names: string[] }[] }[];
    /** Masked fields the view revealed, with the reason given (absent in files made before it was listed). */
    revealed?: { at: { local: string }; what: string; reason: string }[];
    refusedAttempts: number;
  }[];
  requests: {
    staffName: string;
    reason: string;
    asked: { local: string };
    answer: string;
    answered: { local: string };
  }[];
}

/** The history in a downloaded file: its second line. */
export function historyOfFile(content: string): SignedHistory {
  return JSON.parse(content.split('\n')[1]!) as SignedHistory;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (text: string | number) => String(text).replace(/[&<>"']/g, (char) => ESCAPES[char]!);

/** "Biscuit and Miso", "2 invoices", "Invoice INV-1001 and 1 more invoice". */
function recordsText(records: SignedHistory['views'][number]['pagesViewed'][number]['records']): string {
  return records
    .map((record) => {
      if (record.names.length === 0) return `${record.count} ${record.what}`;
      const more = record.count - record.names.length;
      return more > 0 ? `${record.names.join('; ')} and ${more} more` : record.names.join('; ');
    })
    .join('; ');
}

function viewSection(view: SignedHistory['views'][number], index: number): string {
  const when = view.ended ? `${view.started.local} to ${view.ended.local}` : `${view.started.local}, still in progress`;
  const pages = view.pagesViewed.length
    ? `<ul>${view.pagesViewed
        .map((page) => {
          const records = recordsText(page.records);
          const times = page.timesOpened === 1 ? 'opened once' : `opened ${page.timesOpened} times`;
          return `<li><strong>${esc(page.page)}</strong> (${times})${records ? `: ${esc(records)}` : ''}</li>`;
        })
        .join('')}</ul>`
    : '<p>No page of your account was opened.</p>';
  const revealed = view.revealed?.length
    ? `<h3>Hidden details they revealed</h3>
<ul>${view.revealed
        .map((each) => `<li>${esc(each.at.local)}: ${esc(each.what)} (reason given: ${esc(each.reason)})</li>`)
        .join('')}</ul>`
    : '';
  const emergency: [string, string][] = view.emergency
    ? [
        [
          'Emergency',
          [
            view.emergency.what,
            view.emergency.note,
            ...view.emergency.followUps.map((each) => `${each.at.local}: ${each.what}`),
          ]
            .map(esc)
            .join('<br>'),
        ],
      ]
    : [];
  const rows: [string, string][] = [
    ['When', esc(when)],
    ['Why', esc(view.reason)],
    ...emergency,
    ['Extended', view.extended ? esc(`Once, at ${view.extended.at.local}, until ${view.extended.until.local}`) : 'No'],
    ['How it ended', esc(view.howItEnded ?? 'It is still in progress')],
  ];
  if (view.messageFromSalon) rows.push(['Message from the salon', esc(view.messageFromSalon)]);
  rows.push(['Refused attempts', view.refusedAttempts === 0 ? 'None' : esc(view.refusedAttempts)]);
  return `<section aria-labelledby="view-${index}">
<h2 id="view-${index}">${esc(view.staffName)}, ${esc(view.started.local)}</h2>
<dl>${rows.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl>
<h3>What they viewed</h3>
${pages}
${revealed}
</section>`;
}

function requestsSection(requests: SignedHistory['requests']): string {
  if (requests.length === 0) return '<p>You have not answered any request in this period.</p>';
  return `<table><caption>Requests you allowed or declined</caption>
<thead><tr><th scope="col">Asked</th><th scope="col">Who</th><th scope="col">Why</th><th scope="col">Your answer</th></tr></thead>
<tbody>${requests
    .map(
      (request) =>
        `<tr><td>${esc(request.asked.local)}</td><td>${esc(request.staffName)}</td><td>${esc(request.reason)}</td>` +
        `<td>${request.answer === 'ALLOWED' ? 'Allowed' : 'Declined'}, ${esc(request.answered.local)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;color:#1e293b;max-width:50rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-top:1px solid #cbd5e1;padding-top:1rem}
h3{font-size:1rem}dt{font-weight:600}dd{margin:0 0 .5rem}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #cbd5e1;padding:.4rem;text-align:left;vertical-align:top}caption{text-align:left;font-weight:600}
@media print{body{margin:0}section{break-inside:avoid}}`;

/** The printable page, as a complete HTML document. */
export function printableHistoryHtml(history: SignedHistory): string {
  const title = `Staff access to your ${history.salon} account`;
  const views = history.views.length
    ? history.views.map(viewSection).join('\n')
    : '<p>Nobody from our team viewed your account in this period.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
<h1>${esc(title)}</h1>
<p>For ${esc(history.customer)}. Made on ${esc(history.generated.local)}; every time is in your time zone (${esc(history.timeZone.replace(/_/g, ' '))}).</p>
<p>${esc(history.coverage.note)} Every view was read-only, time-limited and recorded with its reason. To print this page, use your browser&rsquo;s Print command.</p>
<p>The file you downloaded with this page is signed by ${esc(history.salon)}: anyone can check that it was not changed.</p>
${views}
<h2>Requests to view your account</h2>
${requestsSection(history.requests)}
</main></body></html>`;
}
