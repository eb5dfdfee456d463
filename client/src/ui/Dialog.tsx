// The one modal dialog of both apps. It is drawn in the page, not the browser's top layer: the
// staff-view chrome must stay above everything, and a native <dialog> opened with showModal() would
// cover it (the marks guard would rightly call that tampering). So it keeps the keyboard in itself:
// the rest of the page is inert while it is open (the staff-view marks stay as they are, and Tab
// wraps round before reaching them), Escape closes it, and focus goes back to what opened it.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

/** What Tab stops at inside a dialog. */
const TABBABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(',');

/** The staff-view marks (StaffChrome.tsx): never made inert, they must stay as they are drawn. */
const KEPT_LIVE = '.staff-marks';

const tabbablesOf = (panel: HTMLElement) =>
  [...panel.querySelectorAll<HTMLElement>(TABBABLE)].filter((element) => element.getClientRects().length > 0);

/** Keeps Tab and Shift+Tab inside the panel, wrapping at its ends (also when focus was clicked away). */
function trapTab(event: KeyboardEvent, panel: HTMLElement) {
  const tabbables = tabbablesOf(panel);
  const first = tabbables[0] ?? panel;
  const last = tabbables[tabbables.length - 1] ?? panel;
  const active = document.activeElement;
  const outside = !active || !panel.contains(active);
  if (outside || (event.shiftKey && (active === first || active === panel)) || (!event.shiftKey && active === last)) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  }
}

/**
 * A modal dialog: title, body, and (in `DialogActions`) its buttons. Focus moves to its first field
 * or button when it opens.
 */
export function Dialog({
  title,
  onClose,
  children,
  testId,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const backdrop = useRef<HTMLDivElement>(null);

  // Focus moves once, when the dialog opens; Escape always calls the latest onClose.
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const first = panel.current?.querySelector<HTMLElement>('textarea, input, select, button:not([data-dialog-close])');
    (first ?? panel.current)?.focus();
    // Everything else on the page is out of reach until the dialog closes (a dialog opened from
    // this one makes this one inert in turn, and gives it back when it closes).
    const behind = [...document.body.children].filter(
      (element) => element !== backdrop.current && !element.matches(KEPT_LIVE) && !element.hasAttribute('inert'),
    );
    for (const element of behind) element.setAttribute('inert', '');
    const onKey = (event: KeyboardEvent) => {
      // Only the topmost dialog answers: one under another is inert.
      if (!panel.current || backdrop.current?.hasAttribute('inert')) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        onCloseRef.current();
      } else if (event.key === 'Tab') trapTab(event, panel.current);
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      for (const element of behind) element.removeAttribute('inert');
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return createPortal(
    <div
      className="dialog-backdrop"
      ref={backdrop}
      onMouseDown={(event) => event.target === event.currentTarget && onClose()}
    >
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        ref={panel}
        tabIndex={-1}
        data-testid={testId}
      >
        <header className="dialog__header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-button" aria-label="Close dialog" data-dialog-close onClick={onClose}>
            ×
          </button>
        </header>
        <div className="dialog__body">{children}</div>
      </div>
    </div>,
    document.body,
  );
}

/**
 * A dialog's row of buttons, at its right edge: the way out (`cancelLabel`, "Cancel" by default)
 * first, then the dialog's own action(s). Without `onCancel` only the children are shown.
 */
export function DialogActions({
  onCancel,
  cancelLabel = 'Cancel',
  children,
}: {
  onCancel?: () => void;
  cancelLabel?: string;
  children?: ReactNode;
}) {
  return (
    <div className="form-actions dialog__actions">
      {onCancel && (
        <button type="button" className="button button--ghost" onClick={onCancel}>
          {cancelLabel}
        </button>
      )}
      {children}
    </div>
  );
}
