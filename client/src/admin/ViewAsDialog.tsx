// "View as customer": the manager gives a reason (and their password again when a step-up is due),
// reads what the view will be (how long, what the customer is told and sees), and the tab switches
// to the customer's portal, read-only. An ask-first customer gets a request, followed live here.
import { useState, type FormEvent } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { useSession } from '../auth/session.tsx';
import { graphql, useFragment as readFragment } from '../gql/index.ts';
import type { AccessRequestFieldsFragment, AdminCustomersQuery } from '../gql/graphql.ts';
import { Dialog, DialogActions } from '../ui/Dialog.tsx';
import { FormError, QueryState } from '../ui/feedback.tsx';
import { CharCount, Field } from '../ui/Field.tsx';
import { AccessRequestFields, AccessRequestStatus, useLiveAccessRequest } from './AccessRequestStatus.tsx';
import { useImpersonationPolicy } from './useImpersonationPolicy.ts';
import { StartRefusal } from './StaffViewBlocked.tsx';
import { hasEnoughLetters } from '../../../shared/reason-rule.ts';
import { EmergencyFields, NO_EMERGENCY, emergencyInput, type EmergencyChoice } from './breakglass/EmergencyFields.tsx';
import { NO_SCOPE, ScopeFields, ScopeMissing, scopeInput, scopeRefusal, type ScopeChoice } from './ScopeFields.tsx';
import { TicketField, ticketReady, ticketRefusal, useTicketPolicy } from './TicketField.tsx';

type Customer = AdminCustomersQuery['customers'][number];

const StartStaffViewMutation = graphql(`
  mutation StartStaffView(
    $customerId: ID!
    $reason: String!
    $scope: StaffViewScopeInput!
    $password: String
    $emergency: EmergencyAccessInput
    $ticket: String
  ) {
    startImpersonation(
      customerId: $customerId
      reason: $reason
      scope: $scope
      password: $password
      emergency: $emergency
      ticket: $ticket
    ) {
      status
      token
      session {
        id
        scope
      }
      accessRequest {
        ...AccessRequestFields
      }
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

/** The id of the caller's own active session when the server refused a second one. */
function activeSessionIdOf(error: CombinedError | undefined): string | null {
  const id = error?.graphQLErrors.find((e) => e.extensions?.code === 'CONFLICT')?.extensions?.activeSessionId;
  return typeof id === 'string' ? id : null;
}

/** Whether the server refused the start until the manager gives their password again. */
const stepUpAsked = (error: CombinedError | undefined) =>
  Boolean(error?.graphQLErrors.some((e) => e.extensions?.code === 'STEP_UP_REQUIRED'));

export function ViewAsDialog({
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
  const [choice, setChoice] = useState<ScopeChoice>(NO_SCOPE);
  const [ticket, setTicket] = useState('');
  const ticketPolicy = useTicketPolicy();
  const [emergency, setEmergency] = useState<EmergencyChoice>(NO_EMERGENCY);
  // Break-glass is offered only where an ordinary start would wait (ask first, or four-eyes).
  const mayBreakGlass = customer.staffAccess === 'ASK_FIRST' || customer.protected;
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
  const refusal = scopeRefusal(result.error);
  const ticketRefused = ticketRefusal(result.error);

  const submit = async (event: FormEvent, needMin: number) => {
    event.preventDefault();
    // Once approved, the start asks for what was approved (the customer may have allowed less).
    const scope =
      request?.state === 'APPROVED'
        ? { sections: request.scope, ...(request.scopeNeed ? { need: request.scopeNeed } : {}) }
        : scopeInput(choice, needMin);
    const emergencyValue = emergencyInput(emergency, needMin);
    if (!scope || emergencyValue === undefined) return;
    setEndedOther(false);
    const outcome = await start({
      customerId: customer.id,
      reason: trimmed,
      scope,
      emergency: emergencyValue,
      ticket: ticket.trim() || null,
      ...(needsPassword ? { password } : {}),
    });
    if (stepUpAsked(outcome.error)) {
      setPasswordAsked(true);
      setPassword('');
    }
    const started = outcome.data?.startImpersonation;
    if (started?.token && started.session) startStaffView(started.token, started.session.id, started.session.scope);
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
        {({
          impersonationPolicy: {
            reasonMinLength,
            reasonMaxLength,
            durationMinutes,
            extensionMinutes,
            breakGlassMinutes,
          },
        }) => (
          <form onSubmit={(event) => void submit(event, reasonMinLength)}>
            <StartTerms customer={customer} durationMinutes={durationMinutes} extensionMinutes={extensionMinutes} />
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
            <ScopeFields
              choice={choice}
              onChange={setChoice}
              needMin={reasonMinLength}
              needMax={reasonMaxLength}
              readOnly={request !== null}
              refusal={refusal}
            />
            <TicketField
              value={ticket}
              onChange={setTicket}
              required={ticketPolicy.required}
              maxLength={ticketPolicy.maxLength}
              readOnly={request !== null}
              refusal={ticketRefused}
            />
            {mayBreakGlass && (
              <EmergencyFields
                choice={emergency}
                onChange={setEmergency}
                firstName={customer.name.split(' ')[0]!}
                minutes={breakGlassMinutes}
                reasonMin={reasonMinLength}
                reasonMax={reasonMaxLength}
                readOnly={request !== null}
              />
            )}
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
            {!endedOther && !refusal && !ticketRefused && (
              <StartRefusal error={result.error} customerName={customer.name} />
            )}
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
            <ScopeMissing choice={choice} needMin={reasonMinLength} />
            <DialogActions onCancel={onClose}>
              <StartButton
                request={request}
                disabled={
                  result.fetching ||
                  !hasEnoughLetters(trimmed, reasonMinLength) ||
                  !scopeInput(choice, reasonMinLength) ||
                  !ticketReady(ticket, ticketPolicy.required) ||
                  emergencyInput(emergency, reasonMinLength) === undefined ||
                  (needsPassword && password === '')
                }
                fetching={result.fetching}
              />
            </DialogActions>
          </form>
        )}
      </QueryState>
    </Dialog>
  );
}

/** What the start dialog tells the manager before a start: what she sees, how long, what the customer learns. */
function StartTerms(props: { customer: Customer; durationMinutes: number; extensionMinutes: number }) {
  const { customer } = props;
  const first = customer.name.split(' ')[0];
  return (
    <div className="start-terms" data-testid="start-terms">
      <p>
        You will see {customer.name}’s portal read-only: nothing can be changed, and every page you open is recorded.
      </p>
      <ul>
        <li>
          The view lasts {props.durationMinutes} minutes; near the end you can extend it once by{' '}
          {props.extensionMinutes} minutes.
        </li>
        <li>
          {first} is emailed and gets a message in their portal when it starts, is extended and ends (unless they turned
          these notices off), with your reason.
        </li>
        <li>While their portal is open, {first} sees live who is viewing and why, and can stop the view.</li>
        {customer.staffAccess === 'ASK_FIRST' && (
          <li>{first} asked to be asked first: starting sends a request they answer in their portal.</li>
        )}
      </ul>
    </div>
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
