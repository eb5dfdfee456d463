// The audit log under the filters in force, downloaded from the server's streamed export
// (/audit/export) with the manager's own token, then saved from a blob: staff views one row each in
// human words and salon time (shape=sessions), or the raw events as CSV / NDJSON. A refusal for a
// due step-up (403 STEP_UP_REQUIRED) asks the step-up dialog (stepUp.ts) and tries once more.
import { useState } from 'react';
import { tokenStore } from '../../auth/tokenStore.ts';
import { askStepUp } from '../../stepUp.ts';
import { FILTER_KEYS, type FilterValues } from './filters.ts';

/** What can be exported: staff views (CSV), or events as CSV or NDJSON. */
type Kind = 'sessions' | 'csv' | 'ndjson';

const LABELS: Record<Kind, string> = {
  sessions: 'Export staff views (CSV)',
  csv: 'Export CSV',
  ndjson: 'Export NDJSON',
};

/** Filters of whole staff views only: the events export has none of them. */
const SESSION_ONLY = new Set(['section', 'scope', 'alerted']);

/** The export's URL for these filters. */
export function exportUrl(kind: Kind, applied: FilterValues): string {
  const params =
    kind === 'sessions'
      ? new URLSearchParams({ shape: 'sessions', format: 'csv' })
      : new URLSearchParams({ format: kind });
  for (const key of FILTER_KEYS) {
    const value = applied[key];
    if (!value || key === 'view' || (kind !== 'sessions' && SESSION_ONLY.has(key))) continue;
    if (kind === 'sessions' && (key === 'sessionId' || key === 'action')) continue;
    params.set(key, key === 'alerted' ? String(value === 'yes') : value);
  }
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

/** Downloads an export URL as a file (the server names it). */
export async function download(url: string, fallbackName: string) {
  const token = tokenStore.account()?.token;
  const request = () => fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  let response = await request();
  if ((await stepUpAsked(response)) && (await askStepUp())) response = await request();
  if (!response.ok) throw new Error(`The export was refused (HTTP ${response.status})`);
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const blobUrl = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = blobUrl;
  link.download = name ?? fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(blobUrl);
}

/** `sessions`: the staff views list is shown, so its one-row-per-view export is offered first. */
export function ExportButtons({ applied, sessions = false }: { applied: FilterValues; sessions?: boolean }) {
  const [busy, setBusy] = useState<Kind | null>(null);
  const [error, setError] = useState<string | null>(null);
  const kinds: Kind[] = sessions ? ['sessions', 'csv', 'ndjson'] : ['csv', 'ndjson'];
  const run = async (kind: Kind) => {
    setBusy(kind);
    setError(null);
    try {
      await download(exportUrl(kind, applied), kind === 'sessions' ? 'staff-views.csv' : `audit.${kind}`);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="audit-export" aria-label="Export">
      {kinds.map((kind) => [
        kind === 'csv' && (
          <span key="events" className="muted small">
            Raw events:
          </span>
        ),
        <button
          key={kind}
          type="button"
          className="button button--secondary button--small"
          disabled={busy !== null}
          onClick={() => void run(kind)}
        >
          {busy === kind ? 'Exporting…' : LABELS[kind]}
        </button>,
      ])}
      {error && (
        <span className="form-error small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
