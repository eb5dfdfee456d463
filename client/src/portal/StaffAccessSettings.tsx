// Settings › Staff access: "Staff may view my account: freely / ask me first", the grants of
// access for 1 hour, 1 day or 7 days (listed, revocable), the staff members she stopped or declined
// (blocked for a while, "Allow again") and the recent requests with what became of them. Every
// change is the customer's own: disabled in a staff view (and refused by the server).
import { useState } from 'react';
import { useMutation } from 'urql';
import { formatDateTime } from '../format.ts';
import { graphql } from '../gql/gql.ts';
import type { StaffAccessPreference } from '../gql/graphql.ts';
import { MutatingButton, MutatingFieldset, useReadOnly } from '../impersonation/readOnly.tsx';
import { FormError, QueryState } from '../ui/feedback.tsx';
import { requestOutcome } from './AccessRequestNotice.tsx';
import { GRANT_OPTIONS, useStaffAccess } from './staffAccess.ts';
import { AllowedSectionsFields, allowedFrom, allowedSections, scopeInHerWords } from './AllowedSections.tsx';

const SetStaffAccessPreferenceMutation = graphql(`
  mutation SetStaffAccessPreference($preference: StaffAccessPreference!) {
    setStaffAccessPreference(preference: $preference) {
      id
      staffAccess
    }
  }
`);

const GrantStaffAccessMutation = graphql(`
  mutation GrantStaffAccess($duration: AccessGrantDuration!, $sections: [PortalSection!]) {
    grantStaffAccess(duration: $duration, sections: $sections) {
      id
      expiresAt
      scope
    }
  }
`);

const RevokeStaffAccessMutation = graphql(`
  mutation RevokeStaffAccess($grantId: ID!) {
    revokeStaffAccess(grantId: $grantId) {
      id
      active
    }
  }
`);

const LiftStaffViewBlockMutation = graphql(`
  mutation LiftStaffViewBlock($blockId: ID!) {
    liftStaffViewBlock(blockId: $blockId) {
      id
      active
    }
  }
`);

const PREFERENCES: { value: StaffAccessPreference; label: string; hint: string }[] = [
  {
    value: 'FREELY' as StaffAccessPreference,
    label: 'Freely',
    hint: 'Our team can open a read-only view when you ask for help, for example on the phone.',
  },
  {
    value: 'ASK_FIRST' as StaffAccessPreference,
    label: 'Ask me first',
    hint: 'We ask you here first, each time, and you choose for how long to allow it.',
  },
];

export function StaffAccessSettings() {
  const { readOnly } = useReadOnly();
  const { data, query, refetch } = useStaffAccess({ live: !readOnly });
  const [preference, setPreference] = useMutation(SetStaffAccessPreferenceMutation);
  const [grant, grantAccess] = useMutation(GrantStaffAccessMutation);
  const [allowedNow, setAllowedNow] = useState(() => allowedFrom(null));
  const [revoke, revokeGrant] = useMutation(RevokeStaffAccessMutation);
  const [lift, liftBlock] = useMutation(LiftStaffViewBlockMutation);
  const after = () => refetch({ requestPolicy: 'network-only' });
  // The choice shows at once; it falls back to the server's if saving it fails.
  const [choice, setChoice] = useState<StaffAccessPreference | null>(null);
  const choose = async (value: StaffAccessPreference) => {
    setChoice(value);
    const outcome = await setPreference({ preference: value });
    if (outcome.error) setChoice(null);
    after();
  };

  return (
    <section className="card settings__wide" aria-labelledby="staff-access-title" data-testid="staff-access">
      <h2 className="card__title" id="staff-access-title">
        Staff access to your account
      </h2>
      <QueryState result={{ ...query, data: data ?? undefined }} retry={after}>
        {(access) => (
          <>
            <MutatingFieldset className="staff-access__choice">
              <legend>Staff may view my account</legend>
              {PREFERENCES.map((option) => (
                <label key={option.value} className="radio-row">
                  <input
                    type="radio"
                    name="staff-access"
                    value={option.value}
                    data-testid={`staff-access-${option.value}`}
                    checked={(choice ?? access.staffAccess) === option.value}
                    disabled={preference.fetching}
                    onChange={() => void choose(option.value)}
                  />
                  <span>
                    <strong>{option.label}</strong>
                    <span className="muted small block">{option.hint}</span>
                  </span>
                </label>
              ))}
            </MutatingFieldset>
            <FormError error={preference.error} />
            <h3 className="staff-access__subtitle">Access you have allowed</h3>
            {access.accessGrants.length === 0 ? (
              <p className="muted" data-testid="no-grants">
                None right now.
              </p>
            ) : (
              <ul className="staff-access__grants">
                {access.accessGrants.map((item) => (
                  <li key={item.id} data-testid="access-grant">
                    <span>
                      Staff may view {scopeInHerWords(item.scope)} until {formatDateTime(item.expiresAt)}
                    </span>
                    <MutatingButton
                      className="button button--secondary button--small"
                      disabled={revoke.fetching}
                      onClick={() => void revokeGrant({ grantId: item.id }).then(after)}
                    >
                      Withdraw
                    </MutatingButton>
                  </li>
                ))}
              </ul>
            )}
            <AllowedSectionsFields
              choice={allowedNow}
              onChange={setAllowedNow}
              legend="Allow staff to see"
              testId="grant-sections"
            />
            <div className="staff-access__grant">
              <span>Allow staff access now for</span>
              {GRANT_OPTIONS.map((option) => (
                <MutatingButton
                  key={option.duration}
                  className="button button--ghost button--small"
                  disabled={grant.fetching || !allowedSections(allowedNow)}
                  data-testid={`grant-${option.duration}`}
                  onClick={() =>
                    void grantAccess({ duration: option.duration, sections: allowedSections(allowedNow) }).then(after)
                  }
                >
                  {option.label}
                </MutatingButton>
              ))}
            </div>
            <FormError error={grant.error ?? revoke.error} />
            {access.staffViewBlocks.length > 0 && (
              <>
                <h3 className="staff-access__subtitle">Staff you stopped or declined</h3>
                <ul className="staff-access__grants">
                  {access.staffViewBlocks.map((block) => (
                    <li key={block.id} data-testid="staff-view-block">
                      <span>
                        {block.staffName} can't view your account or ask again until {formatDateTime(block.until)}.
                      </span>
                      <MutatingButton
                        className="button button--secondary button--small"
                        disabled={lift.fetching}
                        onClick={() => void liftBlock({ blockId: block.id }).then(after)}
                      >
                        Allow again
                      </MutatingButton>
                    </li>
                  ))}
                </ul>
                <FormError error={lift.error} />
              </>
            )}
            {access.accessRequests.length > 0 && (
              <>
                <h3 className="staff-access__subtitle">Recent requests</h3>
                <ul className="staff-access__requests">
                  {access.accessRequests.map((request) => (
                    <li key={request.id} data-testid="staff-access-request">
                      {formatDateTime(request.createdAt)}: {request.staffName} asked to view your account (
                      {request.reason}).{' '}
                      {request.awaitingCustomer ? 'Waiting for your answer.' : requestOutcome(request)}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}
