// A ticket for every view (SPEC 10): the case/ticket id a start names, checked against the salon's
// pattern (TICKET_PATTERN), required where the salon says so (TICKET_REQUIRED), and linked to its
// help desk (TICKET_URL). A ticket is staff-internal: it is on the session, its audit records and the
// admin app, and never in what the customer reads. Pure functions of (config, input).
import type { Config } from '../config.ts';
import { badInput } from '../errors.ts';

/** The longest ticket id any pattern may accept (string-limits.ts declares it on the argument). */
export const TICKET_MAX_LENGTH = 100;

/** Refinements of BAD_USER_INPUT for a ticket (extensions.reason). */
export enum TicketRefusal {
  /** The salon requires a ticket for every view (TICKET_REQUIRED) and the start named none. */
  Required = 'TICKET_REQUIRED',
  /** The ticket does not match TICKET_PATTERN. */
  Bad = 'BAD_TICKET',
}

type TicketSettings = Pick<Config, 'TICKET_PATTERN' | 'TICKET_REQUIRED'>;

/** The pattern as it applies: to the whole id (a pattern `SUP-\d+` must not accept `xSUP-1y`). */
export function ticketRegExp(config: Pick<Config, 'TICKET_PATTERN'>): RegExp {
  return new RegExp(`^(?:${config.TICKET_PATTERN})$`, 'u');
}

/**
 * Checks a start's ticket: trimmed; blank is none, refused where the salon requires one; anything
 * else must match the pattern. Returns the ticket to store, or null.
 */
export function checkTicket(config: TicketSettings, input: string | null | undefined): string | null {
  const ticket = input?.trim() ?? '';
  if (ticket === '') {
    if (config.TICKET_REQUIRED) {
      throw badInput('ticket: this salon requires a case or ticket id for every staff view', {
        reason: TicketRefusal.Required,
      });
    }
    return null;
  }
  // No control characters whatever the pattern: the id is shown, linked and exported as text.
  if (ticket.length > TICKET_MAX_LENGTH || /\p{Cc}/u.test(ticket) || !ticketRegExp(config).test(ticket)) {
    throw badInput(`ticket: "${ticket.slice(0, TICKET_MAX_LENGTH)}" is not a ticket id of this salon`, {
      reason: TicketRefusal.Bad,
      pattern: config.TICKET_PATTERN,
    });
  }
  return ticket;
}

/** The ticket's address at the help desk (TICKET_URL with the id URL-encoded), or null without one. */
export function ticketUrl(config: Pick<Config, 'TICKET_URL'>, ticket: string | null): string | null {
  if (!ticket || !config.TICKET_URL) return null;
  return config.TICKET_URL.replaceAll('{ticket}', encodeURIComponent(ticket));
}
