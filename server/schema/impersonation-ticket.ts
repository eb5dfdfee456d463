// A staff view's ticket over GraphQL (SPEC 10): the case/ticket id a start named and its help-desk
// link, on the session (banner, Active sessions) and on a request it became (the second manager).
// Staff-only types: no customer-facing type exposes a ticket. The rules are impersonation/ticket.ts.
import type { Context } from '../context.ts';
import { TICKET_MAX_LENGTH, ticketUrl } from '../impersonation/ticket.ts';
import { AccessRequestRef } from './access-request-types.ts';
import { builder } from './builder.ts';
import { ImpersonationSession } from './impersonation.ts';

builder.prismaObjectFields(ImpersonationSession, (t) => ({
  ticket: t.exposeString('ticket', {
    nullable: true,
    description: 'The case/ticket id the start named: staff and audit only, never the customer.',
  }),
  ticketUrl: t.string({
    nullable: true,
    description: 'The ticket at the help desk (TICKET_URL), or null without a ticket or a TICKET_URL.',
    select: { ticket: true },
    resolve: (session, _args, ctx) => ticketUrl(ctx.config, session.ticket),
  }),
}));

builder.prismaObjectFields(AccessRequestRef, (t) => ({
  ticket: t.exposeString('ticket', {
    nullable: true,
    description: 'The case/ticket id the start named (for the second manager), never shown to the customer.',
  }),
  ticketUrl: t.string({
    nullable: true,
    select: { ticket: true },
    resolve: (request, _args, ctx) => ticketUrl(ctx.config, request.ticket),
  }),
}));

/** What the start dialog mirrors of the ticket rules (TICKET_REQUIRED, TICKET_URL); the server enforces them. */
const TicketPolicy = builder.objectRef<Pick<Context, 'config'>>('TicketPolicy').implement({
  description: 'Whether a staff view must name a ticket, and whether tickets link to a help desk.',
  fields: (t) => ({
    required: t.boolean({ resolve: (ctx) => ctx.config.TICKET_REQUIRED }),
    maxLength: t.int({ resolve: () => TICKET_MAX_LENGTH }),
    linked: t.boolean({
      description: 'Tickets link to the help desk (TICKET_URL is set).',
      resolve: (ctx) => Boolean(ctx.config.TICKET_URL),
    }),
  }),
});

builder.queryField('ticketPolicy', (t) =>
  t.field({ type: TicketPolicy, authScopes: { staff: true }, resolve: (_root, _args, ctx) => ctx }),
);
