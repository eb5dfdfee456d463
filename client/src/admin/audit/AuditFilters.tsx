// The filter form above the audit log. It edits a draft and only applying it changes the URL, which
// the page reads back, so the URL stays the single source of the filters in force. The date presets
// (read by the server in the salon's calendar) apply at once: one click, no Apply.
import { useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { AuditAction, AuditOutcome } from '../../gql/graphql.ts';
import { humanize } from '../../format.ts';
import { navigate } from '../../router.tsx';
import { Field } from '../../ui/Field.tsx';
import { actionLabel } from './events.ts';
import { SECTION_LABELS, SECTIONS } from '../../staffViewScope.ts';
import {
  auditHref,
  FILTER_KEYS,
  fromLocalInput,
  PERIODS,
  toLocalInput,
  type FilterKey,
  type FilterValues,
} from './filters.ts';

const AuditFilterOptionsQuery = graphql(`
  query AuditFilterOptions {
    staffMembers {
      id
      name
      role
    }
    customers {
      id
      name
    }
  }
`);

/** From the schema, so a new action or outcome is offered as soon as codegen runs. */
const ACTIONS = Object.values(AuditAction);
const OUTCOMES = Object.values(AuditOutcome);

export function AuditFilters({ applied }: { applied: FilterValues }) {
  const [values, setValues] = useState<FilterValues>({
    ...applied,
    from: toLocalInput(applied.from),
    to: toLocalInput(applied.to),
  });
  const [options] = useQuery({ query: AuditFilterOptionsQuery });
  const [custom, setCustom] = useState(Boolean(applied.from || applied.to));
  const set = (key: FilterKey) => (event: { target: { value: string } }) =>
    setValues({ ...values, [key]: event.target.value });

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const k of FILTER_KEYS) {
      const value = k === 'from' || k === 'to' ? fromLocalInput(values[k]) : values[k].trim();
      if (value) params.set(k, value);
    }
    // A custom range replaces the preset.
    if (params.has('from') || params.has('to')) params.delete('period');
    const search = params.toString();
    navigate(`/admin/audit${search ? `?${search}` : ''}`);
  };

  return (
    <form className="card filters" onSubmit={apply} aria-label="Audit filters">
      <div className="filters__periods" role="group" aria-label="When (salon time)">
        {PERIODS.map((p) => (
          <button
            key={p.value}
            type="button"
            className="button button--small button--secondary"
            aria-pressed={applied.period === p.value}
            onClick={() => navigate(auditHref({ ...applied, period: p.value, from: '', to: '' }))}
          >
            {p.label}
          </button>
        ))}
        <button
          type="button"
          className="button button--small button--secondary"
          aria-pressed={!applied.period && (custom || Boolean(applied.from || applied.to))}
          aria-expanded={custom}
          onClick={() => setCustom(!custom)}
        >
          Custom
        </button>
        {applied.period && (
          <button
            type="button"
            className="link-button small"
            onClick={() => navigate(auditHref({ ...applied, period: '' }))}
          >
            Any time
          </button>
        )}
      </div>
      <div className="filters__grid">
        <Field label="Staff member">
          <select className="input" value={values.staffId} onChange={set('staffId')}>
            <option value="">Anyone</option>
            {options.data?.staffMembers.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Customer">
          <select className="input" value={values.customerId} onChange={set('customerId')}>
            <option value="">Any customer</option>
            {options.data?.customers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Action">
          <select className="input" value={values.action} onChange={set('action')}>
            <option value="">Any action</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel(a)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Outcome">
          <select className="input" value={values.outcome} onChange={set('outcome')}>
            <option value="">Any outcome</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {humanize(o)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Section viewed">
          <select className="input" value={values.section} onChange={set('section')}>
            <option value="">Any section</option>
            {SECTIONS.map((section) => (
              <option key={section} value={section}>
                {SECTION_LABELS[section]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Scope">
          <select className="input" value={values.scope} onChange={set('scope')}>
            <option value="">Any scope</option>
            <option value="WHOLE_PORTAL">Whole portal</option>
            {SECTIONS.map((section) => (
              <option key={section} value={section}>
                Includes {SECTION_LABELS[section]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Alert">
          <select className="input" value={values.alerted} onChange={set('alerted')}>
            <option value="">With or without</option>
            <option value="yes">Raised an alert</option>
            <option value="no">No alert</option>
          </select>
        </Field>
        <Field label="Ticket">
          <input
            className="input mono"
            value={values.ticket}
            onChange={set('ticket')}
            placeholder="Any ticket"
            spellCheck={false}
            maxLength={100}
          />
        </Field>
        {custom && (
          <>
            <Field label="From">
              <input className="input" type="datetime-local" value={values.from} onChange={set('from')} />
            </Field>
            <Field label="To (exclusive)">
              <input className="input" type="datetime-local" value={values.to} onChange={set('to')} />
            </Field>
          </>
        )}
        <Field label="Session id" className="filters__session">
          <input
            className="input mono"
            value={values.sessionId}
            onChange={set('sessionId')}
            placeholder="Any session"
            spellCheck={false}
          />
        </Field>
      </div>
      <div className="form-actions">
        <button type="button" className="button button--ghost" onClick={() => navigate('/admin/audit')}>
          Clear filters
        </button>
        <button type="submit" className="button button--primary">
          Apply filters
        </button>
      </div>
    </form>
  );
}
