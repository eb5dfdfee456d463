// What a customer can do to one open appointment: confirm, reschedule, cancel, edit the notes for
// the groomer. Each control goes through the read-only gate.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql/gql.ts';
import { formatDateTime } from '../format.ts';
import { MutatingButton, MutatingFieldset } from '../impersonation/readOnly.tsx';
import { Dialog, DialogActions } from '../ui/Dialog.tsx';
import { FormError } from '../ui/feedback.tsx';
import { CharCount, Field } from '../ui/Field.tsx';
import { dateInputValue, slotLabel, timeInputValue, timeSlots, toInstant } from './dates.ts';

export const NOTES_MAX = 500;

const ConfirmAppointmentMutation = graphql(`
  mutation ConfirmAppointment($id: ID!) {
    confirmAppointment(id: $id) {
      id
      status
      canChange
    }
  }
`);

const RescheduleAppointmentMutation = graphql(`
  mutation RescheduleAppointment($id: ID!, $startsAt: DateTime!) {
    rescheduleAppointment(id: $id, startsAt: $startsAt) {
      id
      startsAt
      endsAt
      status
    }
  }
`);

const CancelAppointmentMutation = graphql(`
  mutation CancelAppointment($id: ID!) {
    cancelAppointment(id: $id) {
      id
      status
      canChange
    }
  }
`);

const UpdateAppointmentNotesMutation = graphql(`
  mutation UpdateAppointmentNotes($id: ID!, $notes: String!) {
    updateAppointmentNotes(id: $id, notes: $notes) {
      id
      customerNotes
    }
  }
`);

interface AppointmentSummary {
  id: string;
  startsAt: string;
  status: string;
  canChange: boolean;
  customerNotes?: string | null;
  pet: { name: string };
  service: { name: string };
}

export function ConfirmAppointmentButton({
  appointment,
  className = 'button button--primary button--small',
}: {
  appointment: AppointmentSummary;
  className?: string;
}) {
  const [result, confirm] = useMutation(ConfirmAppointmentMutation);
  if (appointment.status !== 'SCHEDULED' || !appointment.canChange) return null;
  return (
    <>
      <MutatingButton
        className={className}
        onClick={() => void confirm({ id: appointment.id })}
        disabled={result.fetching}
      >
        {result.fetching ? 'Confirming…' : 'Confirm'}
      </MutatingButton>
      <FormError error={result.error} />
    </>
  );
}

const title = (a: AppointmentSummary) => `${a.pet.name} · ${a.service.name}`;

/** What a dialog reports once its change is saved, for the page's confirmation notice. */
export interface DoneNotice {
  title: string;
  text: string;
}

export function RescheduleDialog({
  appointment,
  onClose,
  onDone,
}: {
  appointment: AppointmentSummary;
  onClose(): void;
  onDone(notice: DoneNotice): void;
}) {
  const current = new Date(appointment.startsAt);
  const [date, setDate] = useState(dateInputValue(current));
  const [time, setTime] = useState(timeInputValue(current));
  const [result, reschedule] = useMutation(RescheduleAppointmentMutation);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const startsAt = toInstant(date, time);
    const outcome = await reschedule({ id: appointment.id, startsAt });
    if (!outcome.error) {
      onDone({
        title: 'Moved.',
        text: `${title(appointment)} is now on ${formatDateTime(startsAt)}; please confirm it again`,
      });
    }
  };

  const slots = timeSlots();
  return (
    <Dialog title="Reschedule visit" onClose={onClose}>
      <form onSubmit={(event) => void submit(event)}>
        <p className="muted">
          {title(appointment)}, now {formatDateTime(appointment.startsAt)}. A moved visit needs confirming again.
        </p>
        <MutatingFieldset>
          <div className="form-row">
            <Field label="New date">
              <input
                className="input"
                type="date"
                required
                min={dateInputValue(new Date())}
                value={date}
                onChange={(e) => setDate(e.target.value)}
              />
            </Field>
            <Field label="Time">
              <select className="input" value={time} onChange={(e) => setTime(e.target.value)}>
                {!slots.includes(time) && <option value={time}>{slotLabel(time)}</option>}
                {slots.map((slot) => (
                  <option key={slot} value={slot}>
                    {slotLabel(slot)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </MutatingFieldset>
        <FormError error={result.error} />
        <DialogActions onCancel={onClose} cancelLabel="Keep current time">
          <MutatingButton type="submit" className="button button--primary" disabled={result.fetching}>
            {result.fetching ? 'Saving…' : 'Reschedule'}
          </MutatingButton>
        </DialogActions>
      </form>
    </Dialog>
  );
}

export function CancelDialog({
  appointment,
  onClose,
  onDone,
}: {
  appointment: AppointmentSummary;
  onClose(): void;
  onDone(notice: DoneNotice): void;
}) {
  const [result, cancel] = useMutation(CancelAppointmentMutation);
  const submit = async () => {
    const outcome = await cancel({ id: appointment.id });
    if (!outcome.error) {
      onDone({
        title: 'Cancelled.',
        text: `${title(appointment)} on ${formatDateTime(appointment.startsAt)} is cancelled`,
      });
    }
  };
  return (
    <Dialog title="Cancel visit?" onClose={onClose}>
      <p>
        {title(appointment)} on <strong>{formatDateTime(appointment.startsAt)}</strong> will be cancelled. You can book
        a new visit at any time.
      </p>
      <FormError error={result.error} />
      <DialogActions onCancel={onClose} cancelLabel="Keep visit">
        <MutatingButton className="button button--danger" onClick={() => void submit()} disabled={result.fetching}>
          {result.fetching ? 'Cancelling…' : 'Cancel visit'}
        </MutatingButton>
      </DialogActions>
    </Dialog>
  );
}

export function NotesDialog({ appointment, onClose }: { appointment: AppointmentSummary; onClose(): void }) {
  const [notes, setNotes] = useState(appointment.customerNotes ?? '');
  const [result, save] = useMutation(UpdateAppointmentNotesMutation);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await save({ id: appointment.id, notes });
    if (!outcome.error) onClose();
  };
  return (
    <Dialog title="Notes for your groomer" onClose={onClose}>
      <form onSubmit={(event) => void submit(event)}>
        <p className="muted">
          {title(appointment)}, {formatDateTime(appointment.startsAt)}
        </p>
        <MutatingFieldset>
          <Field label="Notes" hint={<CharCount value={notes} max={NOTES_MAX} />}>
            <textarea
              className="input"
              rows={5}
              maxLength={NOTES_MAX}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
            />
          </Field>
        </MutatingFieldset>
        <FormError error={result.error} />
        <DialogActions onCancel={onClose} cancelLabel="Close">
          <MutatingButton type="submit" className="button button--primary" disabled={result.fetching}>
            {result.fetching ? 'Saving…' : 'Save notes'}
          </MutatingButton>
        </DialogActions>
      </form>
    </Dialog>
  );
}
