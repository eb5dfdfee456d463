// "Download my staff-access history" (Settings): the server builds and signs the file from the audit
// (myStaffAccessHistory) and records the download; the browser saves the file byte for byte as
// signed and offers a printable page made from it. Under a staff view the button does nothing and
// says why (MutatingButton): only she may take her history away, and the server refuses it too.
import { useEffect, useState } from 'react';
import { useClient, type CombinedError } from 'urql';
import { graphql } from '../gql/gql.ts';
import { MutatingButton } from '../impersonation/readOnly.tsx';
import { FormError } from '../ui/feedback.tsx';
import { historyOfFile, printableHistoryHtml } from './printableHistory.ts';

const StaffAccessHistoryQuery = graphql(`
  query StaffAccessHistory($olderThan: ID) {
    myStaffAccessHistory(olderThan: $olderThan) {
      fileName
      content
      views
      complete
      nextOlderThan
    }
  }
`);

interface Ready {
  fileName: string;
  fileUrl: string;
  printableUrl: string;
  views: number;
  complete: boolean;
  nextOlderThan: string | null;
}

/** Saves a file the way a link with `download` does. */
function save(url: string, fileName: string) {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}

export function StaffAccessHistoryDownload() {
  const client = useClient();
  const [ready, setReady] = useState<Ready | null>(null);
  const [error, setError] = useState<CombinedError | undefined>();
  const [busy, setBusy] = useState(false);

  // The object URLs live as long as the links that use them.
  useEffect(
    () => () => {
      if (!ready) return;
      URL.revokeObjectURL(ready.fileUrl);
      URL.revokeObjectURL(ready.printableUrl);
    },
    [ready],
  );

  const download = async (olderThan: string | null) => {
    setBusy(true);
    setError(undefined);
    const result = await client
      .query(StaffAccessHistoryQuery, { olderThan }, { requestPolicy: 'network-only' })
      .toPromise();
    setBusy(false);
    const file = result.data?.myStaffAccessHistory;
    if (!file) return setError(result.error);
    const fileUrl = URL.createObjectURL(new Blob([file.content], { type: 'application/json' }));
    const html = printableHistoryHtml(historyOfFile(file.content));
    const printableUrl = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
    setReady({ ...file, fileUrl, printableUrl });
    save(fileUrl, file.fileName);
  };

  return (
    <div className="history-download" data-testid="staff-access-history-download">
      <p className="muted">
        Take a copy of this record: a file signed by the salon, so anyone can check it was not changed, and a page to
        print.
      </p>
      <div className="form-actions">
        <MutatingButton className="button" disabled={busy} onClick={() => void download(null)}>
          {busy ? 'Preparing your history…' : 'Download my staff-access history'}
        </MutatingButton>
      </div>
      <FormError error={error} />
      {ready && (
        <p role="status">
          {ready.views === 1 ? '1 staff view' : `${ready.views} staff views`} in your file.{' '}
          <a href={ready.fileUrl} download={ready.fileName}>
            Save the file again
          </a>{' '}
          or{' '}
          <a href={ready.printableUrl} target="_blank" rel="noopener">
            open the printable page
          </a>
          .
          {!ready.complete && ready.nextOlderThan && (
            <>
              {' '}
              Older views are in another file:{' '}
              <button type="button" className="link-button" onClick={() => void download(ready.nextOlderThan)}>
                download the older views
              </button>
              .
            </>
          )}
        </p>
      )}
    </div>
  );
}
