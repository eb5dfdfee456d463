// Settings: staff access first (may staff view the account freely or ask first, grants for a
// period, and the record of every time staff viewed it, in plain words: "Mara Quinn viewed
// Billing (2 invoices)", in local time, with the reason given, any extension and how it ended, in
// customer-facing words only), then profile (with the time zone her notices use), password and
// notification preferences.
import { useState, type FormEvent } from 'react';
import type { CombinedError } from 'urql';
import { useMutation } from 'urql';
import { graphql } from '../gql/gql.ts';
import { usePortalPageQuery } from './pageQuery.tsx';
import type { NotificationCategory, NotificationChannel, SettingsPageQuery as SettingsData } from '../gql/graphql.ts';
import { formatDateTime, formatTime, humanize } from '../format.ts';
import { MaskedValue } from '../impersonation/MaskedValue.tsx';
import { MutatingButton, MutatingFieldset } from '../impersonation/readOnly.tsx';
import { FormError, QueryState } from '../ui/feedback.tsx';
import { Field } from '../ui/Field.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { StaffAccessHistoryDownload } from './StaffAccessHistoryDownload.tsx';
import { StaffAccessSettings } from './StaffAccessSettings.tsx';
import { browserTimeZone, timeZoneChoices } from './timeZone.tsx';

const SettingsPageQuery = graphql(`
  query SettingsPage($staffView: Boolean!) {
    ...PortalChrome
    me {
      id
      name
      email
      phone
      address
      staffViewMasked
      timeZone
      notificationSwitches {
        id
        category
        channel
        enabled
      }
      staffAccessLog {
        id
        staffName
        summary
        reason
        emergency
        startedAt
        expiresAt
        extendedAt
        endedAt
        endState
        endReason
      }
    }
  }
`);

const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      id
      name
      phone
      address
      timeZone
    }
  }
`);

const ChangePasswordMutation = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

const UpdateNotificationPreferencesMutation = graphql(`
  mutation UpdateNotificationPreferences($preferences: [NotificationPreferenceInput!]!) {
    updateNotificationPreferences(preferences: $preferences) {
      id
      category
      channel
      enabled
    }
  }
`);

type Me = SettingsData['me'];

const CATEGORIES: NotificationCategory[] = [
  'APPOINTMENTS',
  'REPORT_CARDS',
  'BILLING',
  'MESSAGES',
  'PROMOTIONS',
  'STAFF_ACCESS',
];
const CHANNELS: NotificationChannel[] = ['EMAIL', 'SMS', 'PUSH'];
const CHANNEL_LABELS: Record<NotificationChannel, string> = { EMAIL: 'Email', SMS: 'Text', PUSH: 'App' };

export function SettingsPage() {
  const [result, refetch] = usePortalPageQuery(SettingsPageQuery);
  return (
    <>
      <PageHeader
        title="Settings"
        subtitle="Who may view your account, your details, password and how we keep in touch."
      />
      <QueryState result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {({ me }) => (
          <div className="settings">
            <StaffAccessSettings />
            <StaffAccessLog entries={me.staffAccessLog} />
            <ProfileForm me={me} />
            <PasswordForm />
            <NotificationPreferences me={me} />
          </div>
        )}
      </QueryState>
    </>
  );
}

function ProfileForm({ me }: { me: Me }) {
  const [name, setName] = useState(me.name);
  const [phone, setPhone] = useState(me.phone ?? '');
  const [address, setAddress] = useState(me.address ?? '');
  const [timeZone, setTimeZone] = useState(me.timeZone ?? browserTimeZone() ?? '');
  const [result, save] = useMutation(UpdateProfileMutation);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const outcome = await save({ input: { name, phone, address, timeZone } });
    setSaved(Boolean(outcome.data));
  };

  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-labelledby="profile-title">
      <h2 className="card__title" id="profile-title">
        Profile
      </h2>
      <MutatingFieldset>
        <div className="form-grid">
          <Field label="Full name">
            <input
              className="input"
              autoComplete="name"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
          <Field label="Email" hint="Call the salon to change the email you sign in with.">
            <input className="input" type="email" value={me.email} readOnly />
          </Field>
          <Field label="Phone">
            <input
              className="input"
              type="tel"
              autoComplete="tel"
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
            />
          </Field>
          <Field label="Address" className="form-grid__wide">
            <input
              className="input"
              autoComplete="street-address"
              value={address}
              onChange={(e) => setAddress(e.target.value)}
            />
          </Field>
          <Field label="Time zone" hint="The times in our emails and messages to you are written in this time zone.">
            <select className="input" value={timeZone} onChange={(e) => setTimeZone(e.target.value)}>
              <option value="">The salon&rsquo;s time zone</option>
              {timeZoneChoices(timeZone || null).map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replace(/_/g, ' ')}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </MutatingFieldset>
      <MaskedValue record={me} field="CUSTOMER_ADDRESS" type="Customer" what="Her address" masked="Address: hidden">
        {null}
      </MaskedValue>
      <SettingsFormFooter
        error={result.error}
        done={saved}
        doneText="Saved"
        disabled={result.fetching}
        submitLabel="Save profile"
      />
    </form>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [result, change] = useMutation(ChangePasswordMutation);
  const [done, setDone] = useState(false);
  const mismatch = repeat !== '' && next !== repeat;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    setDone(false);
    const outcome = await change({ currentPassword: current, newPassword: next });
    if (outcome.data?.changePassword) {
      setDone(true);
      setCurrent('');
      setNext('');
      setRepeat('');
    }
  };

  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-labelledby="password-title">
      <h2 className="card__title" id="password-title">
        Password
      </h2>
      <MutatingFieldset>
        <div className="form-grid">
          <Field label="Current password" className="form-grid__wide">
            <input
              className="input"
              type="password"
              autoComplete="current-password"
              required
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          </Field>
          <Field label="New password" hint="At least 10 characters. Other devices will be signed out.">
            <input
              className="input"
              type="password"
              autoComplete="new-password"
              required
              minLength={10}
              value={next}
              onChange={(e) => setNext(e.target.value)}
            />
          </Field>
          <Field label="Repeat new password" hint={mismatch ? 'The passwords do not match.' : undefined}>
            <input
              className="input"
              type="password"
              autoComplete="new-password"
              required
              value={repeat}
              aria-invalid={mismatch}
              onChange={(e) => setRepeat(e.target.value)}
            />
          </Field>
        </div>
      </MutatingFieldset>
      <SettingsFormFooter
        error={result.error}
        done={done}
        doneText="Password changed"
        disabled={result.fetching || mismatch}
        submitLabel="Change password"
      />
    </form>
  );
}

const key = (category: string, channel: string) => `${category}:${channel}`;

/**
 * A switch as shown: the customer's change, else the server's `enabled`, which is already the
 * default for a switch never saved (the defaults live on the server only).
 */
const isEnabled = (enabled: Map<string, boolean>, category: string, channel: string) =>
  enabled.get(key(category, channel)) === true;

/** A saved switch changes Settings' `notificationSwitches`: the query reloads after a save. */
const SAVE_CONTEXT = { additionalTypenames: ['NotificationSwitch'] };

function NotificationPreferences({ me }: { me: Me }) {
  const [enabled, setEnabled] = useState(
    () => new Map(me.notificationSwitches.map((s) => [key(s.category, s.channel), s.enabled])),
  );
  const [result, save] = useMutation(UpdateNotificationPreferencesMutation);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const preferences = CATEGORIES.flatMap((category) =>
      CHANNELS.map((channel) => ({ category, channel, enabled: isEnabled(enabled, category, channel) })),
    );
    const outcome = await save({ preferences }, SAVE_CONTEXT);
    setSaved(Boolean(outcome.data));
  };

  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-labelledby="notifications-title">
      <h2 className="card__title" id="notifications-title">
        Notifications
      </h2>
      <MutatingFieldset>
        <div className="table-wrap">
          <table className="table table--compact preferences">
            <caption className="visually-hidden">Which messages reach you on which channel</caption>
            <thead>
              <tr>
                <th scope="col">Topic</th>
                {CHANNELS.map((channel) => (
                  <th scope="col" key={channel} className="center">
                    {CHANNEL_LABELS[channel]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {CATEGORIES.map((category) => (
                <tr key={category}>
                  <th scope="row">{humanize(category)}</th>
                  {CHANNELS.map((channel) => (
                    <td key={channel} className="center">
                      <input
                        type="checkbox"
                        aria-label={`${humanize(category)} by ${CHANNEL_LABELS[channel].toLowerCase()}`}
                        checked={isEnabled(enabled, category, channel)}
                        onChange={(e) => setEnabled(new Map(enabled).set(key(category, channel), e.target.checked))}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted" data-testid="staff-access-notice-help">
          Staff access: when someone from our team starts or ends a view of your account, with what they viewed. App: a
          message in your portal&rsquo;s Messages.
        </p>
      </MutatingFieldset>
      <SettingsFormFooter
        error={result.error}
        done={saved}
        doneText="Saved"
        disabled={result.fetching}
        submitLabel="Save preferences"
      />
    </form>
  );
}

function StaffAccessLog({ entries }: { entries: Me['staffAccessLog'] }) {
  return (
    <section className="card settings__wide" aria-labelledby="staff-access-log-title" data-testid="staff-access-log">
      <h2 className="card__title" id="staff-access-log-title">
        When staff viewed your account
      </h2>
      <p className="muted">Every view is read-only, time-limited and recorded here with its reason.</p>
      <StaffAccessHistoryDownload />
      {entries.length === 0 ? (
        <p className="muted">Nobody from our team has viewed your account.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What they viewed</th>
                <th scope="col">Why</th>
                <th scope="col">How it ended</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-testid="staff-access-entry">
                  <td className="nowrap">
                    {formatDateTime(entry.startedAt)}
                    {entry.endedAt && <> – {formatTime(entry.endedAt)}</>}
                    {entry.extendedAt && (
                      <span className="muted small block" data-testid="staff-access-extended">
                        Extended once, until {formatTime(entry.expiresAt)}
                      </span>
                    )}
                  </td>
                  <td>{entry.summary}</td>
                  <td>
                    {entry.reason}
                    {entry.emergency && (
                      <span className="muted small block" data-testid="staff-access-emergency">
                        {entry.emergency}
                      </span>
                    )}
                  </td>
                  <td data-testid="staff-access-ending">
                    {howTheViewEnded(entry)}
                    {entry.endReason && (
                      <span className="muted small block">Message from the salon: {entry.endReason}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** How a view ended, in plain words (no alarm colours: none of these is something the customer must act on). */
export function howTheViewEnded(entry: { endState?: string | null; staffName: string }): string {
  switch (entry.endState) {
    case null:
    case undefined:
      return 'Still in progress';
    case 'ENDED':
      return `Closed by ${entry.staffName}`;
    case 'EXPIRED':
      return 'Closed automatically when its time ran out';
    case 'TERMINATED':
      return 'Ended early by a salon manager';
    case 'STOPPED_BY_CUSTOMER':
      return 'Stopped by you';
    case 'STAFF_VIEWS_DISABLED':
      return 'Ended when the salon turned staff views off';
    case 'TAMPERED':
      return 'Ended automatically by the salon’s safeguards';
    default:
      return 'Ended because that staff member’s access was withdrawn';
  }
}

/** Error, success note and submit button, the same for every settings form. */
function SettingsFormFooter(props: {
  error?: CombinedError;
  done: boolean;
  doneText: string;
  disabled: boolean;
  submitLabel: string;
}) {
  return (
    <>
      <FormError error={props.error} />
      <div className="form-actions">
        {props.done && (
          <span className="success-text" role="status">
            {props.doneText}
          </span>
        )}
        <MutatingButton type="submit" className="button button--primary" disabled={props.disabled}>
          {props.submitLabel}
        </MutatingButton>
      </div>
    </>
  );
}
