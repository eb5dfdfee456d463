// A change that weakens a safeguard (remove a customer's protection, turn staff views back on,
// make a manager, reactivate a manager) is not made here: the manager gives a reason and files a
// request that a second, different manager approves in Active sessions. With only one manager the
// request waits out a cooling-off period first, and the dialog says until when.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { formatDateTime } from '../format.ts';
import { graphql } from '../gql/gql.ts';
import type { GovernanceChangeKind } from '../gql/graphql.ts';
import { Dialog, DialogActions } from '../ui/Dialog.tsx';
import { FormError } from '../ui/feedback.tsx';
import { CharCount, Field } from '../ui/Field.tsx';
import { hasEnoughLetters } from '../../../shared/reason-rule.ts';

const RequestGovernanceChangeMutation = graphql(`
  mutation RequestGovernanceChange($input: GovernanceChangeInput!) {
    requestGovernanceChange(input: $input) {
      id
      state
      coolingOffUntil
      expiresAt
    }
  }
`);

/** The server's rule for a request's reason (startReason): 10 letters or digits, at most 500 characters. */
const REASON_MIN = 10;
const REASON_MAX = 500;

export interface GovernanceChange {
  kind: GovernanceChangeKind;
  customerId?: string;
  staffId?: string;
  /** What the change is, for the title: "Remove Dan Brooks’s protection". */
  title: string;
}

export function GovernanceRequestDialog({ change, onClose }: { change: GovernanceChange; onClose(): void }) {
  const [reason, setReason] = useState('');
  const [result, send] = useMutation(RequestGovernanceChangeMutation);
  const filed = result.data?.requestGovernanceChange;
  const trimmed = reason.trim();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await send({
      input: { kind: change.kind, customerId: change.customerId, staffId: change.staffId, reason: trimmed },
    });
  };
  return (
    <Dialog title={change.title} onClose={onClose} testId="governance-request-dialog">
      {filed ? (
        <div role="status" data-testid="governance-request-filed">
          <p>
            <strong>Waiting for a second manager.</strong> Another manager approves or declines it in Active sessions;
            until then nothing changes. It expires {formatDateTime(filed.expiresAt)}.
          </p>
          {filed.coolingOffUntil && (
            <p className="muted">
              You are the only active manager: you may confirm it yourself from {formatDateTime(filed.coolingOffUntil)},
              unless another manager decides first.
            </p>
          )}
          <DialogActions>
            <button type="button" className="button button--primary" onClick={onClose}>
              Close
            </button>
          </DialogActions>
        </div>
      ) : (
        <form onSubmit={(event) => void submit(event)}>
          <p>
            This weakens a safeguard, so it needs a second manager: your request and its reason go to the other
            managers, who approve or decline it. Nothing changes until then.
          </p>
          <Field label="Reason (managers and audit only)" hint={<CharCount value={reason} max={REASON_MAX} />}>
            <textarea
              className="input"
              rows={3}
              required
              maxLength={REASON_MAX}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </Field>
          <FormError error={result.error} />
          <DialogActions onCancel={onClose}>
            <button
              type="submit"
              className="button button--primary"
              data-testid="confirm-governance-request"
              disabled={result.fetching || !hasEnoughLetters(trimmed, REASON_MIN)}
            >
              Ask a second manager
            </button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}
