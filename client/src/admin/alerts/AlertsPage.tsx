// "Alerts" (managers only): what the alert rules raised (every rule's, or the one chosen), pushed
// live; unacknowledged ones first, each acknowledged with a note (managers and the audit read it);
// and the rules' settings, where a change asks for the password again when a step-up is due
// (StepUpPrompt). Staff-facing words only.
import { useState } from 'react';
import { useMutation, useQuery, useSubscription } from 'urql';
import { hasEnoughLetters } from '../../../../shared/reason-rule.ts';
import { formatDateTime } from '../../format.ts';
import { graphql } from '../../gql/gql.ts';
import type { AlertRule, AlertRulesQuery, AlertsLiveSubscription } from '../../gql/graphql.ts';
import { FormError, QueryState } from '../../ui/feedback.tsx';
import { Field } from '../../ui/Field.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import './alerts.css';

const AlertsLive = graphql(`
  subscription AlertsLive($rule: AlertRule) {
    alerts {
      unacknowledgedCount
      alerts(rule: $rule) {
        id
        rule
        ruleDescription
        summary
        staffName
        customerName
        createdAt
        acknowledgedAt
        acknowledgedByName
        ackNote
      }
    }
  }
`);

const AlertRulesQueryDoc = graphql(`
  query AlertRules {
    alertRules {
      rule
      description
      enabled
      threshold
      thresholdUnit
      businessHoursStart
      businessHoursEnd
      isDefault
    }
  }
`);

const AcknowledgeAlertMutation = graphql(`
  mutation AcknowledgeAlert($alertId: ID!, $note: String!) {
    acknowledgeAlert(alertId: $alertId, note: $note) {
      id
      acknowledgedAt
      acknowledgedByName
      ackNote
    }
  }
`);

const UpdateAlertRuleMutation = graphql(`
  mutation UpdateAlertRule(
    $rule: AlertRule!
    $enabled: Boolean
    $threshold: Int
    $businessHoursStart: String
    $businessHoursEnd: String
  ) {
    updateAlertRule(
      rule: $rule
      enabled: $enabled
      threshold: $threshold
      businessHoursStart: $businessHoursStart
      businessHoursEnd: $businessHoursEnd
    ) {
      rule
      enabled
      threshold
      businessHoursStart
      businessHoursEnd
      isDefault
    }
  }
`);

type Alert = AlertsLiveSubscription['alerts']['alerts'][number];
type Rule = AlertRulesQuery['alertRules'][number];

/** The server's minimum for an acknowledgement's note (the reason rule). */
const NOTE_MIN = 3;

export function AlertsPage() {
  const [rule, setRule] = useState<AlertRule | ''>('');
  const [live] = useSubscription({ query: AlertsLive, variables: { rule: rule || null } });
  const overview = live.data?.alerts;
  return (
    <>
      <PageHeader
        title="Alerts"
        subtitle="Raised by the alert rules below, shown to managers as they happen and emailed to them. Acknowledge each with a note."
      />
      <RuleFilter value={rule} onChange={setRule} />
      {!overview ? (
        <p className="muted">{live.error ? 'Alerts could not be loaded.' : 'Loading alerts…'}</p>
      ) : overview.alerts.length === 0 ? (
        <p className="muted" data-testid="alerts-none">
          {rule ? 'This rule has raised no alerts.' : 'No alerts have been raised.'}
        </p>
      ) : (
        <ul className="alerts-list" data-testid="alerts-list">
          {overview.alerts.map((alert) => (
            <AlertItem key={alert.id} alert={alert} />
          ))}
        </ul>
      )}
      <AlertRules />
    </>
  );
}

/** Which rule's alerts the list shows, named as the rules below name them (any rule: all). */
function RuleFilter({ value, onChange }: { value: AlertRule | ''; onChange(rule: AlertRule | ''): void }) {
  const [rules] = useQuery({ query: AlertRulesQueryDoc });
  return (
    <Field label="Rule" className="alerts-filter">
      <select
        className="input"
        value={value}
        onChange={(event) => onChange(event.target.value as AlertRule | '')}
        data-testid="alerts-rule-filter"
      >
        <option value="">Any rule</option>
        {(rules.data?.alertRules ?? []).map((rule) => (
          <option key={rule.rule} value={rule.rule}>
            {rule.description}
          </option>
        ))}
      </select>
    </Field>
  );
}

function AlertItem({ alert }: { alert: Alert }) {
  const [note, setNote] = useState('');
  const [result, acknowledge] = useMutation(AcknowledgeAlertMutation);
  const titleId = `alert-${alert.id}`;
  const noteOk = hasEnoughLetters(note.trim(), NOTE_MIN);
  return (
    <li
      className={`card alerts-item${alert.acknowledgedAt ? '' : ' alerts-item--open'}`}
      aria-labelledby={titleId}
      data-rule={alert.rule}
    >
      <h2 className="card__title alerts-item__title" id={titleId}>
        {alert.ruleDescription}
        {!alert.acknowledgedAt && <span className="pill pill--danger">New</span>}
      </h2>
      <p className="alerts-item__summary">{alert.summary}</p>
      <p className="muted small">
        {formatDateTime(alert.createdAt)}
        {alert.staffName && ` · Staff: ${alert.staffName}`}
        {alert.customerName && ` · Customer: ${alert.customerName}`}
      </p>
      {alert.acknowledgedAt ? (
        <p className="small" data-testid="alert-acknowledged">
          Acknowledged by {alert.acknowledgedByName} on {formatDateTime(alert.acknowledgedAt)}: “{alert.ackNote}”
        </p>
      ) : (
        <form
          className="alerts-item__ack"
          onSubmit={(event) => {
            event.preventDefault();
            if (noteOk) void acknowledge({ alertId: alert.id, note: note.trim() });
          }}
        >
          <label className="field__label" htmlFor={`${titleId}-note`}>
            Note (managers and the audit only)
          </label>
          <input
            id={`${titleId}-note`}
            className="input"
            maxLength={500}
            value={note}
            onChange={(event) => setNote(event.target.value)}
            aria-describedby={`${titleId}-hint`}
          />
          <p className="muted small" id={`${titleId}-hint`}>
            What you found or did: at least {NOTE_MIN} letters or digits.
          </p>
          <button type="submit" className="button button--primary button--small" disabled={!noteOk || result.fetching}>
            Acknowledge
          </button>
          <FormError error={result.error} />
        </form>
      )}
    </li>
  );
}

function AlertRules() {
  const [rules, refetch] = useQuery({ query: AlertRulesQueryDoc });
  return (
    <section className="alerts-rules" aria-labelledby="alert-rules-title">
      <h2 id="alert-rules-title">Alert rules</h2>
      <p className="muted small">Changing a rule asks for your password again when your last sign-in is not recent.</p>
      <QueryState result={rules} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {({ alertRules }) => (
          <ul className="alerts-rules__list">
            {alertRules.map((rule) => (
              <RuleRow key={rule.rule} rule={rule} />
            ))}
          </ul>
        )}
      </QueryState>
    </section>
  );
}

function RuleRow({ rule }: { rule: Rule }) {
  const [enabled, setEnabled] = useState(rule.enabled);
  const [threshold, setThreshold] = useState(rule.threshold === null ? '' : String(rule.threshold));
  const [start, setStart] = useState(rule.businessHoursStart ?? '');
  const [end, setEnd] = useState(rule.businessHoursEnd ?? '');
  const [result, update] = useMutation(UpdateAlertRuleMutation);
  const id = `rule-${rule.rule}`;
  const save = (ruleName: AlertRule) =>
    void update({
      rule: ruleName,
      enabled,
      threshold: rule.thresholdUnit ? Number(threshold) : null,
      businessHoursStart: rule.businessHoursStart !== null ? start : null,
      businessHoursEnd: rule.businessHoursEnd !== null ? end : null,
    });
  return (
    <li className="alerts-rules__row">
      <label className="alerts-rules__toggle" htmlFor={`${id}-enabled`}>
        <input
          id={`${id}-enabled`}
          type="checkbox"
          checked={enabled}
          onChange={(event) => setEnabled(event.target.checked)}
        />
        {rule.description}
      </label>
      {rule.thresholdUnit && (
        <label className="small" htmlFor={`${id}-threshold`}>
          Alert at{' '}
          <input
            id={`${id}-threshold`}
            className="input alerts-rules__number"
            type="number"
            min={1}
            value={threshold}
            onChange={(event) => setThreshold(event.target.value)}
          />{' '}
          {rule.thresholdUnit}
        </label>
      )}
      {rule.businessHoursStart !== null && (
        <span className="small">
          <label htmlFor={`${id}-start`}>Business hours from</label>{' '}
          <input
            id={`${id}-start`}
            className="input alerts-rules__time"
            type="time"
            value={start}
            onChange={(event) => setStart(event.target.value)}
          />{' '}
          <label htmlFor={`${id}-end`}>to</label>{' '}
          <input
            id={`${id}-end`}
            className="input alerts-rules__time"
            type="time"
            value={end}
            onChange={(event) => setEnd(event.target.value)}
          />
        </span>
      )}
      <button
        type="button"
        className="button button--secondary button--small"
        onClick={() => save(rule.rule)}
        disabled={result.fetching}
      >
        Save
      </button>
      <FormError error={result.error} />
    </li>
  );
}
