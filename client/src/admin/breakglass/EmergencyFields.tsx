// The start dialog's emergency option (break-glass), shown only when an ordinary start would wait
// (the customer asks first, or is protected): which emergency, and why it cannot wait. The server
// decides (access/break-glass.ts); this mirrors its rules: a category and a reason by the reason rule.
import { hasEnoughLetters } from '../../../../shared/reason-rule.ts';
import type { BreakGlassCategory } from '../../gql/graphql.ts';
import { CharCount, Field } from '../../ui/Field.tsx';
import './breakglass.css';

/** The emergencies, as the manager reads them (the customer reads her own words from the server). */
export const CATEGORY_LABELS: Record<BreakGlassCategory, string> = {
  PET_HEALTH: 'Pet health: a health fact is needed now',
  SAFETY: 'Safety of a pet or a person',
  ACCOUNT_SECURITY: 'Account security: her account seems misused',
  LEGAL_OBLIGATION: 'Legal obligation with a deadline',
};

/** The dialog's emergency choice: off, or on with a category and a reason. */
export interface EmergencyChoice {
  on: boolean;
  category: BreakGlassCategory | '';
  reason: string;
}

export const NO_EMERGENCY: EmergencyChoice = { on: false, category: '', reason: '' };

/** The `emergency` input of the start, or null when off; undefined when on but not complete. */
export function emergencyInput(choice: EmergencyChoice, reasonMin: number) {
  if (!choice.on) return null;
  const reason = choice.reason.trim();
  if (!choice.category || !hasEnoughLetters(reason, reasonMin)) return undefined;
  return { category: choice.category, reason };
}

export function EmergencyFields(props: {
  choice: EmergencyChoice;
  onChange(choice: EmergencyChoice): void;
  firstName: string;
  minutes: number;
  reasonMin: number;
  reasonMax: number;
  readOnly: boolean;
}) {
  const { choice, onChange } = props;
  return (
    <fieldset className="emergency-fields" data-testid="emergency-fields">
      <legend>Emergency access</legend>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={choice.on}
          disabled={props.readOnly}
          onChange={(e) => onChange({ ...choice, on: e.target.checked })}
          data-testid="emergency-toggle"
        />{' '}
        {props.firstName} cannot be reached and it cannot wait: start now without the usual approval
      </label>
      {choice.on && (
        <>
          <p className="muted small" id="emergency-terms">
            At most {props.minutes} minutes, never extended. Every manager is alerted at once, {props.firstName} is told
            at once that it is emergency access, and another manager must review it. Not available if {props.firstName}{' '}
            recently stopped a view or declined a request.
          </p>
          <Field label="Emergency">
            <select
              className="input"
              required
              value={choice.category}
              onChange={(e) => onChange({ ...choice, category: e.target.value as BreakGlassCategory })}
              data-testid="emergency-category"
            >
              <option value="">Choose…</option>
              {Object.entries(CATEGORY_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Why it cannot wait (managers and the audit only)"
            hint={
              <>
                At least {props.reasonMin} letters or digits. The customer never reads this; she reads your reason above
                and the emergency. <CharCount value={choice.reason} max={props.reasonMax} />
              </>
            }
          >
            <textarea
              className="input"
              rows={2}
              required
              maxLength={props.reasonMax}
              value={choice.reason}
              onChange={(e) => onChange({ ...choice, reason: e.target.value })}
              data-testid="emergency-reason"
            />
          </Field>
        </>
      )}
    </fieldset>
  );
}
