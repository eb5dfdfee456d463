// Read-only mode of the portal under a staff view. Every control that would change customer data
// goes through MutatingButton or MutatingFieldset, so a new control cannot forget the rule: under
// a staff view it renders disabled, with the reason as tooltip and as its accessible description.
// A control forced back on still reaches the server, which refuses it (and audits the attempt).
import {
  createContext,
  useContext,
  type ButtonHTMLAttributes,
  type FieldsetHTMLAttributes,
  type ReactNode,
} from 'react';

export const READ_ONLY_MESSAGE = 'Read-only staff view: changes are disabled while viewing as a customer';
export const READ_ONLY_NOTE_ID = 'read-only-note';

const ReadOnlyContext = createContext(false);

/** Turns the portal below read-only, and holds the description every disabled control points to. */
export function ReadOnlyProvider({ children }: { children: ReactNode }) {
  return (
    <ReadOnlyContext.Provider value={true}>
      {/* Hidden, yet read as the controls' description (aria-describedby reads hidden text). */}
      <p id={READ_ONLY_NOTE_ID} hidden>
        {READ_ONLY_MESSAGE}
      </p>
      {children}
    </ReadOnlyContext.Provider>
  );
}

export function useReadOnly(): { readOnly: boolean; reason: string | null } {
  const readOnly = useContext(ReadOnlyContext);
  return { readOnly, reason: readOnly ? READ_ONLY_MESSAGE : null };
}

/** A button that changes customer data. */
export function MutatingButton({
  disabled,
  title,
  type = 'button',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement>) {
  const { readOnly } = useReadOnly();
  if (!readOnly) return <button type={type} disabled={disabled} title={title} {...props} />;
  // Browsers differ on showing a disabled button's own tooltip; the wrapper carries it too.
  return (
    <span className="read-only-control" title={READ_ONLY_MESSAGE}>
      <button
        type={type}
        {...props}
        disabled
        title={READ_ONLY_MESSAGE}
        aria-describedby={READ_ONLY_NOTE_ID}
        data-read-only="true"
      />
    </span>
  );
}

/** The fields of a form that changes customer data: all of them disabled under a staff view. */
export function MutatingFieldset({ disabled, className, ...props }: FieldsetHTMLAttributes<HTMLFieldSetElement>) {
  const { readOnly } = useReadOnly();
  return (
    <fieldset
      {...props}
      className={['plain-fieldset', className].filter(Boolean).join(' ')}
      disabled={readOnly || disabled}
      title={readOnly ? READ_ONLY_MESSAGE : props.title}
      aria-describedby={readOnly ? READ_ONLY_NOTE_ID : props['aria-describedby']}
    />
  );
}
