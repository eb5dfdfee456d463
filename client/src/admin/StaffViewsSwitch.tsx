// The kill switch on the Active sessions page: a manager turns staff views off salon-wide, with a
// reason (every running session ends at once and starts are refused); turning them back on is a
// request a second manager approves (GovernanceRequestDialog). Its position is pushed live, so
// every admin tab shows it as soon as any manager changes it.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { formatDateTime } from '../format.ts';
import { graphql } from '../gql/gql.ts';
import { Dialog, DialogActions } from '../ui/Dialog.tsx';
import { FormError } from '../ui/feedback.tsx';
import { CharCount, Field } from '../ui/Field.tsx';
import type { StaffMember } from './staff.ts';
import { useStaffViewControls } from './useStaffViewControls.ts';
import { hasEnoughLetters } from '../../../shared/reason-rule.ts';
import { GovernanceRequestDialog } from './GovernanceRequestDialog.tsx';

const DisableStaffViewsMutation = graphql(`
  mutation DisableStaffViews($reason: String!) {
    disableStaffViews(reason: $reason) {
      ...StaffViewControlsFields
    }
  }
`);

export function StaffViewsSwitch({ staff }: { staff: StaffMember }) {
  const { controls } = useStaffViewControls();
  const [dialog, setDialog] = useState<'off' | 'on' | null>(null);
  if (!controls) return null;
  const enabled = controls.enabled;
  return (
    <section
      className={`notice ${enabled ? 'notice--info' : 'notice--danger'} staff-views-switch`}
      aria-labelledby="staff-views-switch-title"
      data-testid="staff-views-switch"
      data-enabled={enabled}
    >
      <div>
        <strong id="staff-views-switch-title">Staff views are {enabled ? 'on' : 'off'} salon-wide</strong>
        <p>
          {enabled
            ? 'Managers may view a customer’s portal, read-only. Turning staff views off ends every session at once.'
            : `Turned off${controls.changedByName ? ` by ${controls.changedByName}` : ''}${controls.reason ? `: “${controls.reason}”` : '.'} No staff view can start until a second manager approves turning them back on.`}
          {controls.changedAt && <span className="muted small block">Since {formatDateTime(controls.changedAt)}</span>}
        </p>
      </div>
      {staff.canImpersonate && (
        <button
          type="button"
          className={`button button--small ${enabled ? 'button--danger' : 'button--primary'}`}
          data-testid={enabled ? 'turn-staff-views-off' : 'turn-staff-views-on'}
          onClick={() => setDialog(enabled ? 'off' : 'on')}
        >
          {enabled ? 'Turn off staff views' : 'Turn staff views back on'}
        </button>
      )}
      {dialog === 'off' && (
        <SwitchDialog
          bounds={{ min: controls.disableReasonMinLength, max: controls.reasonMaxLength }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'on' && (
        <GovernanceRequestDialog
          change={{ kind: 'ENABLE_STAFF_VIEWS', title: 'Turn staff views back on' }}
          onClose={() => setDialog(null)}
        />
      )}
    </section>
  );
}

function SwitchDialog({
  bounds,
  onClose,
}: {
  /** The server's bounds for the reason (kill-switch.ts). */
  bounds: { min: number; max: number };
  onClose(): void;
}) {
  const [reason, setReason] = useState('');
  const [result, turnOff] = useMutation(DisableStaffViewsMutation);
  const trimmed = reason.trim();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await turnOff({ reason: trimmed });
    if (outcome.data) onClose();
  };
  return (
    <Dialog title="Turn off staff views salon-wide" onClose={onClose} testId="staff-views-dialog">
      <form onSubmit={(event) => void submit(event)}>
        <p>
          Every staff view in progress ends now, on every server, and nobody can start one until two managers agree to
          turn them back on. Staff whose view ends and managers read your reason; customers never do: they are told only
          that the salon turned staff views off.
        </p>
        <Field label="Reason (staff and audit only)" hint={<CharCount value={reason} max={bounds.max} />}>
          <textarea
            className="input"
            rows={3}
            required
            minLength={bounds.min}
            maxLength={bounds.max}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Field>
        <FormError error={result.error} />
        <DialogActions onCancel={onClose}>
          <button
            type="submit"
            className="button button--danger"
            data-testid="confirm-staff-views-switch"
            disabled={result.fetching || !hasEnoughLetters(trimmed, bounds.min)}
          >
            Turn off and end all sessions
          </button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
