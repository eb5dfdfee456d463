// Masked until revealed (SPEC 10), in the portal: a value the server sent masked in this staff view
// (its record's `staffViewMasked` lists the field) shows as masked, says why, and offers Reveal: the
// shared Dialog asks a reason, which the customer will read in her access log. After the reveal the
// page's query runs again and the real value shows. Outside a staff view the server never masks,
// `masked` is false and the children show as they always did: the customer's portal is unchanged.
import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation } from 'urql';
import { hasEnoughLetters } from '../../../shared/reason-rule.ts';
import { graphql } from '../gql/gql.ts';
import type { StaffViewMaskedField } from '../gql/graphql.ts';
import { Dialog, DialogActions } from '../ui/Dialog.tsx';
import { FormError } from '../ui/feedback.tsx';
import { CharCount, Field } from '../ui/Field.tsx';

/** The reason's bounds: the start's (server/impersonation/policy.ts), the same letter rule (shared/reason-rule.ts). */
const REASON_MIN = 10;
const REASON_MAX = 500;

const RevealStaffViewFieldMutation = graphql(`
  mutation RevealStaffViewField($field: StaffViewMaskedField!, $recordId: ID!, $reason: String!) {
    revealStaffViewField(field: $field, recordId: $recordId, reason: $reason) {
      id
      field
      recordId
    }
  }
`);

/** A record that may carry masked fields: its id, type and the fields masked in this view. */
export interface MaskableRecord {
  __typename?: string;
  id: string;
  /** Absent from a record the page did not ask it of: nothing masked is shown as masked then. */
  staffViewMasked?: readonly StaffViewMaskedField[];
}

/** Whether `field` of `record` came masked (never outside a staff view). */
export const isMasked = (record: MaskableRecord, field: StaffViewMaskedField) =>
  record.staffViewMasked?.includes(field) ?? false;

/**
 * Shows `children` (the real value), or, when the field came masked, the masked value with why and
 * a Reveal button. `what` names the value for the staff member and the dialog ("Biscuit's health alerts").
 */
export function MaskedValue({
  record,
  field,
  type,
  what,
  masked: maskedText = 'Hidden',
  customerName,
  children,
}: {
  record: MaskableRecord;
  field: StaffViewMaskedField;
  /** The record's GraphQL type: queries holding it run again after the reveal. */
  type: 'Pet' | 'PaymentMethod' | 'Invoice' | 'Message' | 'Customer';
  what: string;
  /** How the masked value reads (card digits: "•••• ••••"). */
  masked?: string;
  customerName?: string | null;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  if (!isMasked(record, field)) return <>{children}</>;
  return (
    <span className="masked-value" data-testid={`masked-${field}-${record.id}`}>
      <span className="masked-value__value">
        <span className="visually-hidden">{what}: </span>
        {maskedText}
      </span>{' '}
      <span className="masked-value__why muted small">Hidden in staff views: sensitive.</span>{' '}
      <button
        type="button"
        className="button button--small button--secondary"
        aria-label={`Reveal ${what}`}
        data-testid={`reveal-${field}-${record.id}`}
        onClick={() => setOpen(true)}
      >
        Reveal
      </button>
      {open && (
        <RevealDialog
          field={field}
          recordId={record.id}
          type={type}
          what={what}
          customerName={customerName ?? null}
          onClose={() => setOpen(false)}
        />
      )}
    </span>
  );
}

function RevealDialog({
  field,
  recordId,
  type,
  what,
  customerName,
  onClose,
}: {
  field: StaffViewMaskedField;
  recordId: string;
  type: string;
  what: string;
  customerName: string | null;
  onClose(): void;
}) {
  const [reason, setReason] = useState('');
  const [result, reveal] = useMutation(RevealStaffViewFieldMutation);
  const trimmed = reason.trim();
  const customer = customerName?.trim().split(/\s+/)[0] ?? 'The customer';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The dialog is drawn in a portal, but React bubbles its submit to any form the value sits in.
    event.stopPropagation();
    const outcome = await reveal({ field, recordId, reason: trimmed }, { additionalTypenames: [type] });
    if (outcome.data) onClose();
  };
  return (
    <Dialog title={`Reveal ${what}`} onClose={onClose} testId="reveal-dialog">
      <form onSubmit={(event) => void submit(event)}>
        <p>
          Sensitive values stay hidden in staff views unless you need them. Revealing shows this one value for the rest
          of this view, and it is recorded.
        </p>
        <p>
          <strong>{customer} will read your reason</strong> in her access log: write it for her.
        </p>
        <Field label="Why you need it (the customer reads this)" hint={<CharCount value={reason} max={REASON_MAX} />}>
          <textarea
            className="input"
            rows={3}
            required
            maxLength={REASON_MAX}
            value={reason}
            data-testid="reveal-reason"
            onChange={(e) => setReason(e.target.value)}
          />
        </Field>
        <FormError error={result.error} />
        <DialogActions onCancel={onClose}>
          <button
            type="submit"
            className="button button--primary"
            data-testid="confirm-reveal"
            disabled={result.fetching || !hasEnoughLetters(trimmed, REASON_MIN)}
          >
            Reveal
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
