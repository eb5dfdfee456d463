// Loading, error and empty states shared by every page, and the one place that turns a
// CombinedError into words.
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';

export function errorText(error: CombinedError): string {
  if (error.networkError && error.graphQLErrors.length === 0) {
    return 'We could not reach the salon. Check your connection and try again.';
  }
  return error.graphQLErrors
    .map((e) =>
      e.extensions?.reason === 'IMPERSONATION_READ_ONLY'
        ? `Refused by the server: ${e.message} (read-only staff view).`
        : e.message,
    )
    .join(' ');
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function ErrorNotice({
  error,
  title = 'Something went wrong',
  onRetry,
}: {
  error: CombinedError;
  title?: string;
  onRetry?: () => void;
}) {
  return (
    <div className="notice notice--danger" role="alert">
      <strong>{title}</strong>
      <p>{errorText(error)}</p>
      {onRetry && (
        <button type="button" className="button button--secondary button--small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Inline error under a form or next to an action. */
export function FormError({ error }: { error: CombinedError | undefined | null }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {errorText(error)}
    </p>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-state__title">{title}</p>
      {children && <p className="empty-state__text">{children}</p>}
      {action}
    </div>
  );
}

/** A query's three states in one place: the page body renders only once data is there. */
export function QueryState<T>({
  result,
  children,
  label,
  retry,
}: {
  result: { data?: T; fetching: boolean; error?: CombinedError };
  children: (data: T) => ReactNode;
  label?: string;
  retry?: () => void;
}) {
  if (result.data) return <>{children(result.data)}</>;
  if (result.error) return <ErrorNotice error={result.error} title="We could not load this page" onRetry={retry} />;
  return <Loading label={label} />;
}
