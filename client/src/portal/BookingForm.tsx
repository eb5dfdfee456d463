// Booking a visit: pet, service, day and time, optionally a groomer, notes for the groomer.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql/gql.ts';
import { formatDateTime, formatMoney } from '../format.ts';
import { MutatingButton, MutatingFieldset } from '../impersonation/readOnly.tsx';
import { FormError } from '../ui/feedback.tsx';
import { CharCount, Field } from '../ui/Field.tsx';
import { NOTES_MAX } from './AppointmentActions.tsx';
import { dateInputValue, slotLabel, timeSlots, toInstant, tomorrow } from './dates.ts';

const BookAppointmentMutation = graphql(`
  mutation BookAppointment($input: BookAppointmentInput!) {
    bookAppointment(input: $input) {
      id
      startsAt
      status
      pet {
        id
        name
      }
      service {
        id
        name
      }
    }
  }
`);

interface Option {
  id: string;
  name: string;
}

interface ServiceOption extends Option {
  basePriceCents: number;
  durationMinutes: number;
  isAddOn: boolean;
  description: string;
}

export function BookingForm({
  pets,
  services,
  groomers,
  onBooked,
  onCancel,
}: {
  pets: Option[];
  services: ServiceOption[];
  groomers: Option[];
  onBooked(summary: string): void;
  onCancel(): void;
}) {
  const [petId, setPetId] = useState(pets[0]?.id ?? '');
  const [serviceId, setServiceId] = useState(services.find((s) => !s.isAddOn)?.id ?? '');
  const [date, setDate] = useState(dateInputValue(tomorrow()));
  const [time, setTime] = useState('10:00');
  const [groomerId, setGroomerId] = useState('');
  const [notes, setNotes] = useState('');
  const [result, book] = useMutation(BookAppointmentMutation);
  const service = services.find((s) => s.id === serviceId);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await book({
      input: {
        petId,
        serviceId,
        startsAt: toInstant(date, time),
        groomerId: groomerId || null,
        customerNotes: notes.trim() || null,
      },
    });
    const booked = outcome.data?.bookAppointment;
    if (booked) onBooked(`${booked.pet.name} · ${booked.service.name} on ${formatDateTime(booked.startsAt)}`);
  };

  return (
    <form className="card booking-form" onSubmit={(event) => void submit(event)} aria-labelledby="booking-title">
      <h2 className="card__title" id="booking-title">
        Book a visit
      </h2>
      <MutatingFieldset>
        <div className="form-grid">
          <Field label="Pet">
            <select className="input" required value={petId} onChange={(e) => setPetId(e.target.value)}>
              {pets.map((pet) => (
                <option key={pet.id} value={pet.id}>
                  {pet.name}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Service"
            hint={
              service
                ? `${service.description} · ${service.durationMinutes} min · from ${formatMoney(service.basePriceCents)}`
                : undefined
            }
          >
            <select className="input" required value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
              <optgroup label="Grooming">
                {services
                  .filter((s) => !s.isAddOn)
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name} · {formatMoney(s.basePriceCents)}
                    </option>
                  ))}
              </optgroup>
              <optgroup label="Quick add-ons">
                {services
                  .filter((s) => s.isAddOn)
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name} · {formatMoney(s.basePriceCents)}
                    </option>
                  ))}
              </optgroup>
            </select>
          </Field>
          <Field label="Date">
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
              {timeSlots().map((slot) => (
                <option key={slot} value={slot}>
                  {slotLabel(slot)}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Groomer" hint="We pick whoever is free if you have no preference.">
            <select className="input" value={groomerId} onChange={(e) => setGroomerId(e.target.value)}>
              <option value="">No preference</option>
              {groomers.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Notes for the groomer (optional)"
            hint={<CharCount value={notes} max={NOTES_MAX} />}
            className="form-grid__wide"
          >
            <textarea
              className="input"
              rows={3}
              maxLength={NOTES_MAX}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
            />
          </Field>
        </div>
      </MutatingFieldset>
      <FormError error={result.error} />
      <div className="form-actions">
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
        <MutatingButton
          type="submit"
          className="button button--primary"
          data-testid="book-appointment"
          disabled={result.fetching || !petId || !serviceId}
        >
          {result.fetching ? 'Booking…' : 'Book appointment'}
        </MutatingButton>
      </div>
    </form>
  );
}
