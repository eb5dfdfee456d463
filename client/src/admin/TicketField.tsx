// The case/ticket id a start names (SPEC 10): required where the salon says so (TICKET_REQUIRED),
// checked by the server against TICKET_PATTERN; its refusals (reason TICKET_REQUIRED, BAD_TICKET) are
// shown by the field; a view's ticket is shown linked to the help desk (TicketRef). A ticket is
// staff-internal: the customer never reads it.
import { useId } from 'react';
import { useQuery, type CombinedError } from 'urql';
import { graphql } from '../gql/index.ts';

const TicketPolicyQuery = graphql(`
  query TicketPolicy {
    ticketPolicy {
      required
      maxLength
    }
  }
`);

/** Whether the salon requires a ticket (false until known: the server decides anyway) and its longest id. */
export function useTicketPolicy(): { required: boolean; maxLength: number } {
  const [result] = useQuery({ query: TicketPolicyQuery });
  return result.data?.ticketPolicy ?? { required: false, maxLength: 100 };
}

const REFUSALS: Record<string, string> = {
  TICKET_REQUIRED: 'This salon requires a case or ticket id for every staff view.',
  BAD_TICKET: 'This is not a ticket id of your help desk: check it and try again.',
};

/** The server's refusal of the ticket, in words for the manager, or null. */
export function ticketRefusal(error: CombinedError | undefined): string | null {
  const refusal = error?.graphQLErrors.find((e) => String(e.extensions?.reason ?? '') in REFUSALS);
  return refusal ? REFUSALS[String(refusal.extensions.reason)]! : null;
}

/**
 * The help desk address to link, or null: only an http(s) one. The server accepts only an http(s)
 * TICKET_URL (config.ts); checked again here so no other scheme (javascript:, data:) becomes a link.
 */
export function ticketHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

/** A view's ticket id, linked to the help desk (in a new tab) when it has an http(s) address. */
export function TicketRef({ ticket, url }: { ticket: string; url: string | null | undefined }) {
  const href = ticketHref(url);
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {ticket}
      <span className="visually-hidden"> (opens the help desk in a new tab)</span>
    </a>
  ) : (
    <>{ticket}</>
  );
}

/** Whether the start may go: a ticket given, or none required. */
export const ticketReady = (ticket: string, required: boolean) => !required || ticket.trim() !== '';

export function TicketField(props: {
  value: string;
  onChange(value: string): void;
  required: boolean;
  maxLength: number;
  readOnly: boolean;
  refusal: string | null;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        Case or ticket id{props.required ? '' : ' (optional)'}
      </label>
      <input
        id={id}
        className="input"
        required={props.required}
        readOnly={props.readOnly}
        maxLength={props.maxLength}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-describedby={`${id}-hint${props.refusal ? ` ${id}-refusal` : ''}`}
        aria-invalid={props.refusal ? true : undefined}
        placeholder="e.g. SUP-1234"
        autoComplete="off"
        data-testid="view-ticket"
      />
      <p id={`${id}-hint`} className="field__hint">
        The help desk case this view answers. Staff and the audit see it; the customer does not.
      </p>
      {props.refusal && (
        <p id={`${id}-refusal`} className="form-error" role="alert" data-testid="ticket-refusal">
          {props.refusal}
        </p>
      )}
    </div>
  );
}
