// The customer directory, searched by name, email or phone, with "View as customer": a manager
// gives a reason (and their password again when a step-up is due) and the tab switches to the
// customer's portal, read-only. When the button is unavailable, the page says why in words.
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery, type CombinedError } from 'urql';
import { useSession } from '../auth/session.tsx';
import { graphql, useFragment as readFragment } from '../gql/index.ts';
import type { AccessRequestFieldsFragment, AdminCustomersQuery as AdminCustomersData } from '../gql/graphql.ts';
import { Dialog } from '../ui/Dialog.tsx';
import { EmptyState, FormError, QueryState } from '../ui/feedback.tsx';
import { CharCount, Field } from '../ui/Field.tsx';
import { Icon } from '../ui/icons.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { StatusPill } from '../ui/StatusPill.tsx';
import type { StaffMember } from './staff.ts';
import { AccessRequestFields, AccessRequestStatus, useLiveAccessRequest } from './AccessRequestStatus.tsx';
import { useImpersonationPolicy } from './useImpersonationPolicy.ts';
import { StartRefusal } from './StaffViewBlocked.tsx';
import { staffViewsOffText, useStaffViewControls } from './useStaffViewControls.ts';
import { GovernanceRequestDialog } from './GovernanceRequestDialog.tsx';
import { hasEnoughLetters } from '../../../shared/reason-rule.ts';

const AdminCustomersQuery = graphql(`
  query AdminCustomers($search: String) {
    customers(search: $search) {
      id
      name
      email
      phone
      status
      petNames
      protected
      staffAccess
    }
  }
`);

const StartStaffViewMutation = graphql(`
  mutation StartStaffView($customerId: ID!, $reason: String!, $password: String) {
    startImpersonation(customerId: $customerId, reason: $reason, password: $password) {
      status
      token
      session {
        id
      }
      accessRequest {
        ...AccessRequestFields
      }
    }
  }
`);

const SetCustomerProtectedMutation = graphql(`
  mutation SetCustomerProtected($customerId: ID!, $protected: Boolean!) {
    setCustomerProtected(customerId: $customerId, protected: $protected) {
      id
      protected
    }
  }
`);

const EndOwnStaffViewMutation = graphql(`
  mutation EndOwnStaffView($sessionId: ID!) {
    endImpersonation(sessionId: $sessionId) {
      id
      state
    }
  }
`);

type Customer = AdminCustomersData['customers'][number];

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function CustomersPage({ staff }: { staff: StaffMember }) {
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search.trim(), 250);
  const [result, refetch] = useQuery({ query: AdminCustomersQuery, variables: { search: debounced || null } });
  const [viewing, setViewing] = useState<Customer | null>(null);
  const [protection, setProtected] = useMutation(SetCustomerProtectedMutation);
  // Protecting is immediate; removing protection is a request a second manager approves.
  const [unprotecting, setUnprotecting] = useState<Customer | null>(null);
  // Loaded with the page so the dialog opens with the rules already cached: its form, and the focus
  // on the reason field, are there from the first frame.
  useImpersonationPolicy();
  const { controls } = useStaffViewControls();

  // Why no customer can be viewed from this page (shown once, above the list), else why this one can't.
  const pageRefusal = !staff.canImpersonate
    ? 'Only managers can view the portal as a customer. Ask a manager if a customer needs their account looked at.'
    : controls && !controls.enabled
      ? `${staffViewsOffText(controls)} A manager can ask to turn them back on from Active sessions; a second manager approves.`
      : null;
  const refusal = (customer: Customer) =>
    pageRefusal ?? (customer.status !== 'ACTIVE' ? 'A disabled account cannot be viewed' : null);

  return (
    <>
      <PageHeader title="Customers" subtitle="Find a customer and see their portal exactly as they do, read-only." />
      <div className="toolbar">
        <Field label="Search customers" className="toolbar__search">
          <input
            className="input"
            type="search"
            placeholder="Name, email or phone"
            maxLength={100}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </Field>
      </div>
      {pageRefusal && (
        <p className="notice notice--info" id="view-as-unavailable" data-testid="view-as-unavailable">
          {pageRefusal}
        </p>
      )}
      <QueryState result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {({ customers }) =>
          customers.length === 0 ? (
            <EmptyState title="No customers match">Try part of a name, an email or a phone number.</EmptyState>
          ) : (
            <div className="card card--flush">
              <div className="table-wrap">
                <table className="table table--stack" aria-label="Customers">
                  <thead>
                    <tr>
                      <th scope="col">Customer</th>
                      <th scope="col">Phone</th>
                      <th scope="col">Pets</th>
                      <th scope="col">Status</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {customers.map((customer) => {
                      const why = refusal(customer);
                      const whyId = pageRefusal
                        ? 'view-as-unavailable'
                        : why
                          ? `view-as-why-${customer.id}`
                          : undefined;
                      return (
                        <tr key={customer.id}>
                          <td data-label="Customer">
                            <div>
                              <strong>{customer.name}</strong>
                              <span className="muted small block">{customer.email}</span>
                            </div>
                          </td>
                          <td data-label="Phone" className="nowrap">
                            {customer.phone ?? '—'}
                          </td>
                          <td data-label="Pets">{customer.petNames.join(', ') || '—'}</td>
                          <td data-label="Status">
                            <div className="pill-row">
                              <StatusPill value={customer.status} />
                              {customer.protected && <StatusPill value="PROTECTED" tone="info" label="Protected" />}
                              {customer.staffAccess === 'ASK_FIRST' && (
                                <StatusPill value="ASK_FIRST" tone="neutral" label="Asks first" />
                              )}
                            </div>
                          </td>
                          <td className="actions">
                            {staff.canImpersonate && (
                              <button
                                type="button"
                                className="button button--ghost button--small"
                                data-testid={`protect-${customer.email}`}
                                aria-pressed={customer.protected}
                                disabled={protection.fetching}
                                title={
                                  customer.protected
                                    ? 'Removing protection needs a second manager: you give a reason and another manager approves'
                                    : 'Protected customers need a second manager’s approval for every staff view'
                                }
                                onClick={() =>
                                  customer.protected
                                    ? setUnprotecting(customer)
                                    : void setProtected({ customerId: customer.id, protected: true }).then(() =>
                                        refetch({ requestPolicy: 'network-only' }),
                                      )
                                }
                              >
                                {customer.protected ? 'Unprotect' : 'Protect'}
                              </button>
                            )}
                            <span title={why ?? undefined}>
                              <button
                                type="button"
                                className="button button--secondary button--small"
                                data-testid={`view-as-${customer.email}`}
                                disabled={why !== null}
                                title={why ?? undefined}
                                aria-describedby={whyId}
                                onClick={() => setViewing(customer)}
                              >
                                <Icon name="eye" size={16} /> View as customer
                              </button>
                            </span>
                            {why && !pageRefusal && (
                              <span className="muted small block customers-unavailable" id={whyId}>
                                {why}
                              </span>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </div>
          )
        }
      </QueryState>
      <FormError error={protection.error} />
      {unprotecting && (
        <GovernanceRequestDialog
          change={{
            kind: 'UNPROTECT_CUSTOMER',
            customerId: unprotecting.id,
            title: `Remove ${unprotecting.name}’s protection`,
          }}
          onClose={() => setUnprotecting(null)}
        />
      )}
      {viewing && (
        <ViewAsDialog
          customer={viewing}
          askPassword={controls?.stepUpRequired ?? false}
          onClose={() => setViewing(null)}
        />
      )}
    </>
  );
}

/** The id of the caller's own active session when the server refused a second one. */
function activeSessionIdOf(error: CombinedError | undefined): string | null {
  const id = error?.graphQLErrors.find((e) => e.extensions?.code === 'CONFLICT')?.extensions?.activeSessionId;
  return typeof id === 'string' ? id : null;
}

/** Whether the server refused the start until the manager gives their password again. */
const stepUpAsked = (error: CombinedError | undefined) =>
  Boolean(error?.graphQLErrors.some((e) => e.extensions?.code === 'STEP_UP_REQUIRED'));

function ViewAsDialog({
  customer,
  askPassword,
  onClose,
}: {
  customer: Customer;
  /** The server says a step-up is due: ask for the password up front. */
  askPassword: boolean;
  onClose(): void;
}) {
  const { startStaffView } = useSession();
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const [policy, refetchPolicy] = useImpersonationPolicy();
  const [result, start] = useMutation(StartStaffViewMutation);
  const [endResult, endOwn] = useMutation(EndOwnStaffViewMutation);
  const [endedOther, setEndedOther] = useState(false);
  const [startedRequest, setRequest] = useState<AccessRequestFieldsFragment | null>(null);
  const request = useLiveAccessRequest(startedRequest);
  const trimmed = reason.trim();
  const activeSessionId = endedOther ? null : activeSessionIdOf(result.error);
  const [passwordAsked, setPasswordAsked] = useState(false);
  const needsPassword = askPassword || passwordAsked || stepUpAsked(result.error);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setEndedOther(false);
    const outcome = await start({
      customerId: customer.id,
      reason: trimmed,
      ...(needsPassword ? { password } : {}),
    });
    if (stepUpAsked(outcome.error)) {
      setPasswordAsked(true);
      setPassword('');
    }
    const started = outcome.data?.startImpersonation;
    if (started?.token && started.session) startStaffView(started.token, started.session.id);
    else if (started?.accessRequest) setRequest(readFragment(AccessRequestFields, started.accessRequest));
  };

  const endOther = async () => {
    if (!activeSessionId) return;
    const outcome = await endOwn({ sessionId: activeSessionId });
    if (outcome.data) setEndedOther(true);
  };

  return (
    <Dialog title={`View as ${customer.name}`} onClose={onClose} testId="view-as-dialog">
      <QueryState result={policy} retry={() => refetchPolicy({ requestPolicy: 'network-only' })}>
        {({ impersonationPolicy: { reasonMinLength, reasonMaxLength } }) => (
          <form onSubmit={(event) => void submit(event)}>
            <p>
              You will see {customer.name}'s portal exactly as they do. Nothing can be changed, the session is
              time-limited, and every page you open is recorded.
            </p>
            <Field
              label="Reason for viewing"
              hint={
                <>
                  At least {reasonMinLength} letters or digits, at most {reasonMaxLength} characters. The customer sees
                  this reason in their account. <CharCount value={reason} max={reasonMaxLength} />
                </>
              }
            >
              <textarea
                className="input"
                rows={3}
                required
                readOnly={request !== null}
                minLength={reasonMinLength}
                maxLength={reasonMaxLength}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                placeholder="e.g. Customer called about a double charge on invoice INV-1010"
              />
            </Field>
            {needsPassword && (
              <Field
                label="Your password"
                hint="You signed in a while ago: confirm it is you before viewing a customer's account."
              >
                <input
                  className="input"
                  type="password"
                  autoComplete="current-password"
                  required
                  autoFocus={stepUpAsked(result.error)}
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  data-testid="step-up-password"
                />
              </Field>
            )}
            {request && <RequestState request={request} onRetry={() => setRequest(null)} />}
            {!endedOther && <StartRefusal error={result.error} customerName={customer.name} />}
            {endedOther && (
              <p className="success-text" role="status">
                Your other session has ended. You can start this one now.
              </p>
            )}
            {activeSessionId && (
              <div className="notice notice--warning notice--compact">
                <p>You can only have one staff view at a time. End the other one to continue.</p>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => void endOther()}
                  disabled={endResult.fetching}
                >
                  End my other session
                </button>
                <FormError error={endResult.error} />
              </div>
            )}
            <div className="form-actions">
              <button type="button" className="button button--ghost" onClick={onClose}>
                Cancel
              </button>
              <StartButton
                request={request}
                disabled={
                  result.fetching || !hasEnoughLetters(trimmed, reasonMinLength) || (needsPassword && password === '')
                }
                fetching={result.fetching}
              />
            </div>
          </form>
        )}
      </QueryState>
    </Dialog>
  );
}

/** The request's state, and a way to ask again once it is closed. */
function RequestState({ request, onRetry }: { request: AccessRequestFieldsFragment; onRetry(): void }) {
  const closed = request.state === 'DECLINED' || request.state === 'EXPIRED';
  return (
    <>
      <AccessRequestStatus request={request} />
      {closed && (
        <button type="button" className="button button--secondary button--small" onClick={onRetry}>
          Ask again
        </button>
      )}
    </>
  );
}

/** "Start staff view"; while a request waits it says so, and it starts once the request is approved. */
function StartButton(props: { request: AccessRequestFieldsFragment | null; disabled: boolean; fetching: boolean }) {
  const waiting = props.request !== null && props.request.state !== 'APPROVED';
  return (
    <button
      type="submit"
      className="button button--primary"
      data-testid="start-staff-view"
      disabled={props.disabled || waiting}
    >
      {props.fetching ? 'Starting…' : waiting ? 'Waiting for approval…' : 'Start staff view'}
    </button>
  );
}
