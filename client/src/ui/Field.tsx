// A labelled form field: the label points at the control, the hint is its description.
import { cloneElement, useId, type ReactElement, type ReactNode } from 'react';

type Control = ReactElement<{ id?: string; 'aria-describedby'?: string }>;

export function Field({
  label,
  hint,
  children,
  className,
}: {
  label: ReactNode;
  hint?: ReactNode;
  children: Control;
  className?: string;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {cloneElement(children, { id, 'aria-describedby': hint ? hintId : undefined })}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/** Characters used out of the limit, for textareas with a server-side maximum. */
export function CharCount({ value, max }: { value: string; max: number }) {
  return (
    <span className={value.length > max ? 'char-count char-count--over' : 'char-count'}>
      {value.length}/{max}
    </span>
  );
}
