// Settings: profile, password, notification preferences, and the customer's record of every time
// staff viewed their account, in plain words ("Mara Quinn viewed Billing (2 invoices)"), in local
// time, with the reason given.
import { useState, type FormEvent } from 'react';
import type { CombinedError } from 'urql';
import { useMutation } from 'urql';
import { graphql } from '../gql/gql.ts';
import { usePortalPageQuery } from './pageQuery.tsx';
import type { NotificationCategory, NotificationChannel, SettingsPageQuery as SettingsData } from '../gql/graphql.ts';
import { formatDateTime, formatTime, humanize } from '../format.ts';
import { MutatingButton, MutatingFieldset } from '../impersonation/readOnly.tsx';
import { FormError, QueryState } from '../ui/feedback.tsx';
import { Field } from '../ui/Field.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { StatusPill } from '../ui/StatusPill.tsx';

const SettingsPageQuery = graphql(`
  query SettingsPage($staffView: Boolean!) {
    ...PortalChrome
    me {
      id
      name
      email
      phone
      address
      notificationPreferences {
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
        startedAt
        endedAt
        endState
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

const CATEGORIES: NotificationCategory[] = ['APPOINTMENTS', 'REPORT_CARDS', 'BILLING', 'MESSAGES', 'PROMOTIONS'];
const CHANNELS: NotificationChannel[] = ['EMAIL', 'SMS', 'PUSH'];
const CHANNEL_LABELS: Record<NotificationChannel, string> = { EMAIL: 'Email', SMS: 'Text', PUSH: 'App' };

export function SettingsPage() {
  const [result, refetch] = usePortalPageQuery(SettingsPageQuery);
  return (
    <>
      <PageHeader title="Settings" subtitle="Your details, password and how we keep in touch." />
      <QueryState result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {({ me }) => (
          <div className="settings">
            <ProfileForm me={me} />
            <PasswordForm />
            <NotificationPreferences me={me} />
            <StaffAccessLog entries={me.staffAccessLog} />
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
  const [result, save] = useMutation(UpdateProfileMutation);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const outcome = await save({ input: { name, phone, address } });
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
        </div>
      </MutatingFieldset>
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

function NotificationPreferences({ me }: { me: Me }) {
  const [enabled, setEnabled] = useState(
    () => new Map(me.notificationPreferences.map((p) => [key(p.category, p.channel), p.enabled])),
  );
  const [result, save] = useMutation(UpdateNotificationPreferencesMutation);
  const [saved, setSaved] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const preferences = CATEGORIES.flatMap((category) =>
      CHANNELS.map((channel) => ({ category, channel, enabled: enabled.get(key(category, channel)) ?? false })),
    );
    const outcome = await save({ preferences });
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
                        checked={enabled.get(key(category, channel)) ?? false}
                        onChange={(e) => setEnabled(new Map(enabled).set(key(category, channel), e.target.checked))}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
    <section className="card settings__wide" aria-labelledby="staff-access-title" data-testid="staff-access-log">
      <h2 className="card__title" id="staff-access-title">
        Staff access to your account
      </h2>
      <p className="muted">
        Our team can view your account, read-only, to help you: for example when you call about a bill. Every view is
        time-limited and recorded here with its reason.
      </p>
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
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-testid="staff-access-entry">
                  <td className="nowrap">
                    {formatDateTime(entry.startedAt)}
                    {entry.endedAt && <> – {formatTime(entry.endedAt)}</>}
                  </td>
                  <td>{entry.summary}</td>
                  <td>{entry.reason}</td>
                  <td>
                    {entry.endState ? (
                      <StatusPill value={entry.endState} label={endStateLabel(entry.endState)} />
                    ) : (
                      <StatusPill value="ACTIVE" tone="warning" label="In progress" />
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

function endStateLabel(state: string): string {
  switch (state) {
    case 'ENDED':
      return 'Ended by staff';
    case 'EXPIRED':
      return 'Timed out';
    case 'TERMINATED':
      return 'Stopped by a manager';
    default:
      return 'Access revoked';
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
