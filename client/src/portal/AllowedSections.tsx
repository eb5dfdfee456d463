// Scoped consent (SPEC 10): which parts of her account the customer allows staff to view, when she
// answers a request (starting from what was asked) or grants access in Settings (starting from the
// whole account). A view of other parts stays a new request she answers. The sections carry her
// portal's own page names (staffViewScope.ts), so what she allows reads like her navigation.
import { useId } from 'react';
import { MutatingFieldset } from '../impersonation/readOnly.tsx';
import type { PortalSection } from '../gql/graphql.ts';
import { SECTION_LABELS, SECTIONS, type Section } from '../staffViewScope.ts';

/** What she allows: her whole account, or these sections. */
export interface AllowedChoice {
  whole: boolean;
  sections: Section[];
}

/** The choice a scope starts from: a request's scope (what was asked), or her whole account. */
export function allowedFrom(scope: readonly string[] | null | undefined): AllowedChoice {
  if (!scope || scope.length === 0 || scope.includes('WHOLE_PORTAL')) return { whole: true, sections: [] };
  return { whole: false, sections: SECTIONS.filter((s) => scope.includes(s)) };
}

/** The sections to send (the schema's PortalSection values), or null while she allows nothing. */
export function allowedSections(choice: AllowedChoice): PortalSection[] | null {
  if (choice.whole) return ['WHOLE_PORTAL' as PortalSection];
  return choice.sections.length > 0 ? SECTIONS.filter((s) => choice.sections.includes(s)) : null;
}

/** A scope in her words: "your whole account", or "Billing and My Pets" (her page names). */
export function scopeInHerWords(scope: readonly string[] | null | undefined): string {
  if (!scope || scope.length === 0 || scope.includes('WHOLE_PORTAL')) return 'your whole account';
  const names = SECTIONS.filter((s) => scope.includes(s)).map((s) => SECTION_LABELS[s]);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? 'nothing');
}

export function AllowedSectionsFields(props: {
  choice: AllowedChoice;
  onChange(choice: AllowedChoice): void;
  legend: string;
  testId?: string;
}) {
  const { choice, onChange } = props;
  const id = useId();
  const toggle = (section: Section, on: boolean) =>
    onChange({
      whole: false,
      sections: on ? [...choice.sections, section] : choice.sections.filter((s) => s !== section),
    });
  return (
    <MutatingFieldset className="allowed-sections" data-testid={props.testId ?? 'allowed-sections'}>
      <legend className="field__label">{props.legend}</legend>
      <label className="allowed-sections__option">
        <input
          type="checkbox"
          checked={choice.whole}
          onChange={(e) => onChange({ whole: e.target.checked, sections: choice.sections })}
        />{' '}
        My whole account
      </label>
      {SECTIONS.map((section) => (
        <label key={section} className="allowed-sections__option">
          <input
            type="checkbox"
            checked={!choice.whole && choice.sections.includes(section)}
            disabled={choice.whole}
            onChange={(e) => toggle(section, e.target.checked)}
          />{' '}
          {SECTION_LABELS[section]}
        </label>
      ))}
      {!allowedSections(choice) && (
        <p id={`${id}-none`} className="field__hint" role="status">
          Choose at least one part of your account to allow, or decline.
        </p>
      )}
    </MutatingFieldset>
  );
}
