// Export CSV / Export NDJSON: the audit log under the filters in force, downloaded from the server's
// streamed export (/audit/export) with the manager's own token, then saved from a blob. A refusal
// for a due step-up (403 STEP_UP_REQUIRED) asks the step-up dialog (stepUp.ts) and tries once more.
import { useState } from 'react';
import { tokenStore } from '../../auth/tokenStore.ts';
import { askStepUp } from '../../stepUp.ts';
import { FILTER_KEYS, type FilterValues } from './filters.ts';

type Format = 'csv' | 'ndjson';

/** The export's URL for these filters. */
export function exportUrl(format: Format, applied: FilterValues): string {
  const params = new URLSearchParams({ format });
  for (const key of FILTER_KEYS) if (key !== 'view' && applied[key]) params.set(key, applied[key]);
  return `/audit/export?${params.toString()}`;
}

/** Whether the export was refused until the manager gives their password again. */
async function stepUpAsked(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { code?: string } | null;
  return body?.code === 'STEP_UP_REQUIRED';
}

async function download(format: Format, applied: FilterValues) {
  const token = tokenStore.account()?.token;
  const request = () =>
    fetch(exportUrl(format, applied), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  let response = await request();
  if ((await stepUpAsked(response)) && (await askStepUp())) response = await request();
  if (!response.ok) throw new Error(`The export was refused (HTTP ${response.status})`);
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name ?? `audit.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

export function ExportButtons({ applied }: { applied: FilterValues }) {
  const [busy, setBusy] = useState<Format | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (format: Format) => {
    setBusy(format);
    setError(null);
    try {
      await download(format, applied);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="audit-export" aria-label="Export">
      {(['csv', 'ndjson'] as const).map((format) => (
        <button
          key={format}
          type="button"
          className="button button--secondary button--small"
          disabled={busy !== null}
          onClick={() => void run(format)}
        >
          {busy === format ? 'Exporting…' : `Export ${format.toUpperCase()}`}
        </button>
      ))}
      {error && (
        <span className="form-error small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
