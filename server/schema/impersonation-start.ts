// Starting a staff view over GraphQL: the manager's `startImpersonation` and what it answers, a
// session and its token at once, or the access request the start became (consent, four-eyes).
// Every check a start passes (kill switch, rate limit, the rules) is impersonation/lifecycle.ts;
// step-up, before them, is the step-up plugin's (step-up-plugin.ts).
import { startImpersonation, type StartOutcome } from '../impersonation/lifecycle.ts';
import { REASON_MAX, REASON_MIN, startReason } from '../impersonation/policy.ts';
import { checkScope } from '../impersonation/scope.ts';
import { checkTicket } from '../impersonation/ticket.ts';
import { AccessRequestRef } from './access-request-types.ts';
import { EmergencyAccessInput } from './break-glass.ts';
import { builder } from './builder.ts';
import { ImpersonationSession } from './impersonation.ts';
import { StaffViewScopeInput } from './impersonation-scope.ts';
import { sensitive } from './sensitive.ts';

/** What a start did; REQUESTED waits for answers (access/requests.ts); a later gate may add its status. */
const StartImpersonationStatus = builder.enumType('StartImpersonationStatus', {
  values: {
    STARTED: { description: 'The session began: `token` and `session` are set.' },
    REQUESTED: {
      description: 'The customer must consent or a second manager approve first: `accessRequest` is set.',
    },
  } as const,
});

const StartImpersonationPayload = builder.objectRef<StartOutcome>('StartImpersonationPayload').implement({
  fields: (t) => ({
    status: t.field({ type: StartImpersonationStatus, resolve: (outcome) => outcome.status }),
    token: t.string({
      nullable: true,
      description: 'Bearer token for the portal, valid while the session is active (STARTED only).',
      resolve: (outcome) => (outcome.status === 'STARTED' ? outcome.token : null),
    }),
    session: t.field({
      type: ImpersonationSession,
      nullable: true,
      resolve: (outcome) => (outcome.status === 'STARTED' ? outcome.session : null),
    }),
    accessRequest: t.field({
      type: AccessRequestRef,
      nullable: true,
      description: 'The request the start became (REQUESTED only); follow it with the `accessRequest` subscription.',
      resolve: (outcome) => (outcome.status === 'REQUESTED' ? outcome.accessRequest : null),
    }),
  }),
});

builder.mutationField('startImpersonation', (t) =>
  t.withAuth({ manager: true }).field({
    type: StartImpersonationPayload,
    description: `Starts viewing the portal as a customer (read-only). Reason: ${REASON_MIN}-${REASON_MAX} characters.`,
    args: {
      customerId: t.arg.id({ required: true }),
      reason: t.arg.string({ required: true, validate: startReason }),
      scope: t.arg({
        type: StaffViewScopeInput,
        required: false,
        description:
          'Required: the sections this view needs, or [WHOLE_PORTAL] with a need. Left out, the start is ' +
          'refused (BAD_USER_INPUT, reason SCOPE_REQUIRED), never widened to the whole portal by default.',
      }),
      ticket: t.arg.string({
        required: false,
        description:
          'The case/ticket id this view answers (TICKET_PATTERN). Required where the salon says so: left out, ' +
          'BAD_USER_INPUT with reason TICKET_REQUIRED; not a ticket id, reason BAD_TICKET. Never shown to the customer.',
      }),
      emergency: t.arg({
        type: EmergencyAccessInput,
        required: false,
        description:
          'Break-glass: start at once although the customer asks first or is protected (she cannot be reached). ' +
          'Refused after her Stop or "no" (FORBIDDEN, reason BREAK_GLASS_BLOCKED), when not needed (CONFLICT, ' +
          'BREAK_GLASS_NOT_NEEDED), past BREAK_GLASS_STARTS_PER_WINDOW (RATE_LIMITED).',
      }),
      password: t.arg.string({
        required: false,
        description: 'The manager’s password, when a step-up is due (STEP_UP_REQUIRED) or asked up front.',
        ...sensitive,
      }),
    },
    // `password` is read by the step-up plugin (step-up-plugin.ts) before this runs.
    resolve: (_root, { customerId, reason, scope, ticket, emergency }, ctx) =>
      startImpersonation(ctx, {
        customerId: String(customerId),
        reason,
        scope: checkScope(scope),
        ticket: checkTicket(ctx.config, ticket),
        emergency,
      }),
  }),
);
