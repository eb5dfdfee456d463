// What a staff view may read (SPEC 10), chosen in the start dialog: the portal sections the question
// needs, or the whole portal with a stated need (held to the reason's rules). The server checks the
// same rules (server/impersonation/scope.ts) and its SCOPE_* refusals are shown here, by the choice.
// What the question is about (a billing question, a booking, ...) picks its section to start from;
// it stays in the dialog (the reason says the rest).
import { useId } from 'react';
import type { CombinedError } from 'urql';
import { hasEnoughLetters } from '../../../shared/reason-rule.ts';
import { CharCount } from '../ui/Field.tsx';
import { SECTION_LABELS, SECTIONS, type Section } from '../staffViewScope.ts';

/** The choice as the dialog holds it. */
export interface ScopeChoice {
  sections: Section[];
  whole: boolean;
  need: string;
  /** What the question is about ('' until chosen): its section is the default. */
  topic?: QuestionTopic | '';
}

export const NO_SCOPE: ScopeChoice = { sections: [], whole: false, need: '', topic: '' };

/** What a manager's question may be about, and the section each one needs (none: choose below). */
export const QUESTION_TOPICS = {
  BILLING: { label: 'A billing question (invoices, payments, saved cards)', section: 'BILLING' },
  APPOINTMENTS: { label: 'A booking or a visit', section: 'APPOINTMENTS' },
  PETS: { label: 'A pet’s profile or vaccinations', section: 'PETS' },
  REPORT_CARDS: { label: 'A report card', section: 'REPORT_CARDS' },
  MESSAGES: { label: 'A message to or from the salon', section: 'MESSAGES' },
  SETTINGS: { label: 'Account details or notices', section: 'SETTINGS' },
  OTHER: { label: 'Something else', section: null },
} as const satisfies Record<string, { label: string; section: Section | null }>;

export type QuestionTopic = keyof typeof QUESTION_TOPICS;

/** The choice once the question's topic is picked: its section alone (Something else: as it was). */
export function withTopic(choice: ScopeChoice, topic: QuestionTopic | ''): ScopeChoice {
  const section = topic ? QUESTION_TOPICS[topic].section : null;
  return section ? { ...choice, topic, sections: [section], whole: false } : { ...choice, topic };
}

/** The scope to send, or null while the choice is not yet a valid one. */
export function scopeInput(
  choice: ScopeChoice,
  needMin: number,
): { sections: Array<Section | 'WHOLE_PORTAL'>; need?: string } | null {
  if (choice.whole) {
    const need = choice.need.trim();
    return hasEnoughLetters(need, needMin) ? { sections: ['WHOLE_PORTAL'], need } : null;
  }
  return choice.sections.length > 0 ? { sections: SECTIONS.filter((s) => choice.sections.includes(s)) } : null;
}

const REFUSALS: Record<string, string> = {
  SCOPE_REQUIRED: 'Choose the sections this view needs, or the whole portal with a reason.',
  SCOPE_INVALID: 'Choose at least one section, or the whole portal alone.',
  SCOPE_NEED_REQUIRED: 'Say why this view needs the whole portal.',
};

/** The server's refusal of the scope (BAD_USER_INPUT, reason SCOPE_*), in words for the manager. */
export function scopeRefusal(error: CombinedError | undefined): string | null {
  const refusal = error?.graphQLErrors.find((e) => String(e.extensions?.reason ?? '').startsWith('SCOPE_'));
  if (!refusal) return null;
  return REFUSALS[String(refusal.extensions.reason)] ?? refusal.message;
}

export function ScopeFields(props: {
  choice: ScopeChoice;
  onChange(choice: ScopeChoice): void;
  needMin: number;
  needMax: number;
  readOnly: boolean;
  refusal: string | null;
}) {
  const { choice, onChange, readOnly } = props;
  const id = useId();
  const toggle = (section: Section, on: boolean) =>
    onChange({
      ...choice,
      sections: on ? [...choice.sections, section] : choice.sections.filter((s) => s !== section),
    });
  return (
    <fieldset
      className="plain-fieldset field scope-fields"
      aria-describedby={`${id}-hint${props.refusal ? ` ${id}-refusal` : ''}`}
      data-testid="view-scope"
    >
      <legend className="field__label">What this view needs</legend>
      <p id={`${id}-hint`} className="field__hint">
        Only these parts of the portal open in the view. Seeing more later is a new view.
      </p>
      <div className="field">
        <label htmlFor={`${id}-topic`} className="field__label">
          The question is about
        </label>
        <select
          id={`${id}-topic`}
          className="input"
          value={choice.topic ?? ''}
          disabled={readOnly}
          onChange={(e) => onChange(withTopic(choice, e.target.value as QuestionTopic | ''))}
          aria-describedby={`${id}-topic-hint`}
          data-testid="view-topic"
        >
          <option value="">Choose…</option>
          {Object.entries(QUESTION_TOPICS).map(([topic, { label }]) => (
            <option key={topic} value={topic}>
              {label}
            </option>
          ))}
        </select>
        <p id={`${id}-topic-hint`} className="field__hint">
          Chooses its section below; add another only if the question needs it.
        </p>
      </div>
      <div className="scope-fields__options">
        {SECTIONS.map((section) => (
          <label key={section} className="scope-fields__option">
            <input
              type="checkbox"
              checked={!choice.whole && choice.sections.includes(section)}
              disabled={readOnly || choice.whole}
              onChange={(e) => toggle(section, e.target.checked)}
            />{' '}
            {SECTION_LABELS[section]}
          </label>
        ))}
        <label className="scope-fields__option scope-fields__option--whole">
          <input
            type="checkbox"
            checked={choice.whole}
            disabled={readOnly}
            onChange={(e) => onChange({ ...choice, whole: e.target.checked })}
          />{' '}
          Whole portal
        </label>
      </div>
      {choice.whole && (
        <div className="field">
          <label htmlFor={`${id}-need`} className="field__label">
            Why the whole portal?
          </label>
          <textarea
            id={`${id}-need`}
            className="input"
            rows={2}
            required
            readOnly={readOnly}
            minLength={props.needMin}
            maxLength={props.needMax}
            value={choice.need}
            onChange={(e) => onChange({ ...choice, need: e.target.value })}
            aria-describedby={`${id}-need-hint`}
          />
          <p id={`${id}-need-hint`} className="field__hint">
            At least {props.needMin} letters or digits. Staff and the audit read it.{' '}
            <CharCount value={choice.need} max={props.needMax} />
          </p>
        </div>
      )}
      {props.refusal && (
        <p id={`${id}-refusal`} className="form-error" role="alert" data-testid="scope-refusal">
          {props.refusal}
        </p>
      )}
    </fieldset>
  );
}

/** Why Start is still disabled, beside it, while the scope is not yet a valid one. */
export function ScopeMissing({ choice, needMin }: { choice: ScopeChoice; needMin: number }) {
  if (scopeInput(choice, needMin)) return null;
  return (
    <p className="field__hint" data-testid="scope-missing">
      {choice.whole
        ? 'Say why the whole portal is needed to start the view.'
        : 'Choose at least one section (or the whole portal) to start the view.'}
    </p>
  );
}
