// Read-only mode of the portal under a staff view. Every control that would change customer data,
// or open a form that would, goes through MutatingButton or MutatingFieldset, so a new control
// cannot forget the rule. Under a staff view such a button opens nothing and sends nothing: pressed
// (by mouse, keyboard or touch) it says right where it is why ("Staff view: read-only. Chloe can do
// this when signed in."); a form's fields are disabled under the same visible sentence. The server
// refuses any change under a staff view anyway (and audits the attempt).
import {
  createContext,
  useContext,
  useId,
  useState,
  type ButtonHTMLAttributes,
  type FieldsetHTMLAttributes,
  type ReactNode,
} from 'react';
import { Link } from '../router.tsx';

export const READ_ONLY_NOTE_ID = 'read-only-note';

/** Why a control does nothing under a staff view, naming the customer by her first name. */
export function readOnlyMessage(customerName: string | null | undefined): string {
  const first = customerName?.trim().split(/\s+/)[0];
  return `Staff view: read-only. ${first ? first : 'The customer'} can do this when signed in.`;
}

/** Null outside a staff view; under one, the sentence every read-only control shows. */
const ReadOnlyContext = createContext<string | null>(null);

/** Turns the portal below read-only, and holds the description every read-only control points to. */
export function ReadOnlyProvider({
  customerName = null,
  children,
}: {
  customerName?: string | null;
  children: ReactNode;
}) {
  const message = readOnlyMessage(customerName);
  return (
    <ReadOnlyContext.Provider value={message}>
      {/* Hidden, yet read as the controls' description (aria-describedby reads hidden text). */}
      <p id={READ_ONLY_NOTE_ID} hidden>
        {message}
      </p>
      {children}
    </ReadOnlyContext.Provider>
  );
}

export function useReadOnly(): { readOnly: boolean; reason: string | null } {
  const reason = useContext(ReadOnlyContext);
  return { readOnly: reason !== null, reason };
}

/** A button that changes customer data or opens a form that would. */
export function MutatingButton({
  disabled,
  title,
  type = 'button',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement>) {
  const { reason } = useReadOnly();
  if (reason === null) return <button type={type} disabled={disabled} title={title} {...props} />;
  return <ReadOnlyButton {...props} reason={reason} />;
}

/**
 * The button under a staff view: it stays focusable and pressable (aria-disabled, not disabled, so
 * keyboards and touch screens reach it), runs none of its handlers, and shows the reason beside it.
 */
function ReadOnlyButton({
  reason,
  children,
  onClick: _onClick,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { reason: string }) {
  const [shown, setShown] = useState(false);
  return (
    <span className="read-only-control">
      <button
        {...props}
        type="button"
        title={reason}
        aria-disabled="true"
        aria-describedby={READ_ONLY_NOTE_ID}
        data-read-only="true"
        onClick={() => setShown(true)}
        onBlur={() => setShown(false)}
      >
        {children}
      </button>
      <span className="read-only-hint" role="status" data-testid="read-only-hint">
        {shown ? reason : ''}
      </span>
    </span>
  );
}

/** A link to a form that changes customer data ("Book a visit"): under a staff view, a read-only button. */
export function MutatingLink({ href, className, children }: { href: string; className?: string; children: ReactNode }) {
  const { reason } = useReadOnly();
  if (reason === null)
    return (
      <Link href={href} className={className}>
        {children}
      </Link>
    );
  return (
    <ReadOnlyButton className={className ?? 'link-button'} reason={reason}>
      {children}
    </ReadOnlyButton>
  );
}

/** The fields of a form that changes customer data: under a staff view all disabled, below the reason. */
export function MutatingFieldset({
  disabled,
  className,
  children,
  ...props
}: FieldsetHTMLAttributes<HTMLFieldSetElement>) {
  const { reason } = useReadOnly();
  const noteId = useId();
  const readOnly = reason !== null;
  return (
    <fieldset
      {...props}
      className={['plain-fieldset', className].filter(Boolean).join(' ')}
      disabled={readOnly || disabled}
      title={reason ?? props.title}
      aria-describedby={readOnly ? noteId : props['aria-describedby']}
    >
      {readOnly && (
        <p className="read-only-note" id={noteId} data-testid="read-only-note">
          {reason}
        </p>
      )}
      {children}
    </fieldset>
  );
}
