// Appointments: upcoming visits with their actions, past visits with report cards and invoices,
// and booking.
import { useMemo, useState } from 'react';
import { graphql, useFragment } from '../gql/index.ts';
import { usePortalPageQuery } from './pageQuery.tsx';
import type { AppointmentFieldsFragment } from '../gql/graphql.ts';
import { formatMoney, formatTime, humanize } from '../format.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { EmptyState, QueryState } from '../ui/feedback.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { StatusPill } from '../ui/StatusPill.tsx';
import {
  CancelDialog,
  ConfirmAppointmentButton,
  NotesDialog,
  RescheduleDialog,
  type DoneNotice,
} from './AppointmentActions.tsx';
import { BookingForm } from './BookingForm.tsx';
import { MutatingButton, useReadOnly } from '../impersonation/readOnly.tsx';

/** Spread into both lists of AppointmentsPageQuery. */
export const AppointmentFields = graphql(`
  fragment AppointmentFields on Appointment {
    id
    startsAt
    endsAt
    status
    canChange
    customerNotes
    service {
      id
      name
    }
    pet {
      id
      name
    }
    groomer {
      id
      name
    }
    reportCard @include(if: $withReportCards) {
      id
    }
    invoice @include(if: $withBilling) {
      id
      number
      status
      totalCents
    }
  }
`);

const AppointmentsPageQuery = graphql(`
  query AppointmentsPage(
    $staffView: Boolean!
    $withPets: Boolean = true
    $withReportCards: Boolean = true
    $withBilling: Boolean = true
  ) {
    ...PortalChrome
    me {
      id
      upcoming: appointments(upcoming: true) {
        ...AppointmentFields
      }
      past: appointments(upcoming: false) {
        ...AppointmentFields
      }
      pets @include(if: $withPets) {
        id
        name
      }
    }
    services {
      id
      name
      description
      basePriceCents
      durationMinutes
      isAddOn
    }
    groomers {
      id
      name
    }
  }
`);

type Tab = 'upcoming' | 'past';
type Action = { kind: 'reschedule' | 'cancel' | 'notes'; appointment: AppointmentFieldsFragment };

export function AppointmentsPage() {
  const { query } = useLocation();
  const context = useMemo(() => ({ additionalTypenames: ['Appointment'] }), []);
  const [result, refetch] = usePortalPageQuery(AppointmentsPageQuery, context);
  const { readOnly } = useReadOnly();
  const [tab, setTab] = useState<Tab>('upcoming');
  const [action, setAction] = useState<Action | null>(null);
  // One confirmation at a time: the latest change replaces the previous one.
  const [notice, setNotice] = useState<DoneNotice | null>(null);
  const done = (next: DoneNotice) => {
    setNotice(next);
    setAction(null);
  };
  const upcomingAll = useFragment(AppointmentFields, result.data?.me.upcoming);
  const pastAll = useFragment(AppointmentFields, result.data?.me.past);
  // Under a staff view no form opens, also from a link to it (Home's "Book a visit").
  const booking = query.get('book') === '1' && !readOnly;
  const setBooking = (open: boolean) => navigate(open ? '/appointments?book=1' : '/appointments');

  return (
    <>
      <PageHeader
        title="Appointments"
        subtitle="Book, confirm or move a visit, and leave notes for your groomer."
        actions={
          !booking && (
            <MutatingButton className="button button--primary" onClick={() => setBooking(true)}>
              Book a visit
            </MutatingButton>
          )
        }
      />
      {notice && (
        <div className="notice notice--success" role="status" data-testid="appointment-notice">
          <strong>{notice.title}</strong> {notice.text}.
          <button type="button" className="link-button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      <QueryState result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {({ me, services, groomers }) => {
          // A cancelled visit still in the future is history, not something coming up.
          const upcoming = (upcomingAll ?? []).filter((a) => a.status !== 'CANCELLED');
          const past = [...(upcomingAll ?? []).filter((a) => a.status === 'CANCELLED').reverse(), ...(pastAll ?? [])];
          return (
            <>
              {booking &&
                ((me.pets ?? []).length === 0 ? (
                  <EmptyState title="Add a pet first">
                    Please call the salon to add your pet, then book online.
                  </EmptyState>
                ) : (
                  <BookingForm
                    pets={me.pets ?? []}
                    services={services}
                    groomers={groomers}
                    onCancel={() => setBooking(false)}
                    onBooked={(summary) => {
                      setNotice({ title: 'Booked!', text: `${summary}. We will see you then` });
                      setTab('upcoming');
                      setBooking(false);
                    }}
                  />
                ))}
              <div className="tabs" role="tablist" aria-label="Appointments">
                {(['upcoming', 'past'] as const).map((t) => (
                  <button
                    key={t}
                    type="button"
                    role="tab"
                    id={`tab-${t}`}
                    aria-selected={tab === t}
                    aria-controls={`panel-${t}`}
                    className="tab"
                    onClick={() => setTab(t)}
                  >
                    {t === 'upcoming' ? `Upcoming (${upcoming.length})` : `Past & cancelled (${past.length})`}
                  </button>
                ))}
              </div>
              <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
                {tab === 'upcoming' ? (
                  upcoming.length === 0 ? (
                    <EmptyState
                      title="No upcoming visits"
                      action={
                        <MutatingButton className="button button--primary" onClick={() => setBooking(true)}>
                          Book a visit
                        </MutatingButton>
                      }
                    >
                      Your pets are due for some pampering?
                    </EmptyState>
                  ) : (
                    <ul className="appointment-list">
                      {upcoming.map((a) => (
                        <AppointmentCard
                          key={a.id}
                          appointment={a}
                          onAction={(kind) => setAction({ kind, appointment: a })}
                        />
                      ))}
                    </ul>
                  )
                ) : past.length === 0 ? (
                  <EmptyState title="No past visits yet" />
                ) : (
                  <ul className="appointment-list">
                    {past.map((a) => (
                      <AppointmentCard key={a.id} appointment={a} />
                    ))}
                  </ul>
                )}
              </div>
            </>
          );
        }}
      </QueryState>
      {action?.kind === 'reschedule' && (
        <RescheduleDialog appointment={action.appointment} onClose={() => setAction(null)} onDone={done} />
      )}
      {action?.kind === 'cancel' && (
        <CancelDialog appointment={action.appointment} onClose={() => setAction(null)} onDone={done} />
      )}
      {action?.kind === 'notes' && <NotesDialog appointment={action.appointment} onClose={() => setAction(null)} />}
    </>
  );
}

function AppointmentCard({
  appointment: a,
  onAction,
}: {
  appointment: AppointmentFieldsFragment;
  onAction?: (kind: Action['kind']) => void;
}) {
  const start = new Date(a.startsAt);
  return (
    <li className="card appointment">
      <div className="appointment__date" aria-hidden="true">
        <span className="appointment__month">{start.toLocaleDateString(undefined, { month: 'short' })}</span>
        <span className="appointment__day">{start.getDate()}</span>
        <span className="appointment__weekday">{start.toLocaleDateString(undefined, { weekday: 'short' })}</span>
      </div>
      <div className="appointment__body">
        <h2 className="appointment__title">
          {a.pet.name} · {a.service.name}
        </h2>
        <p className="muted">
          <span className="visually-hidden">{start.toLocaleDateString(undefined, { dateStyle: 'full' })}, </span>
          {formatTime(a.startsAt)} – {formatTime(a.endsAt)}
          {a.groomer && <> · with {a.groomer.name}</>}
        </p>
        {a.customerNotes && <p className="appointment__notes">“{a.customerNotes}”</p>}
        {onAction && (
          <div className="appointment__actions">
            {a.canChange ? (
              <>
                <ConfirmAppointmentButton appointment={a} />
                <MutatingButton
                  className="button button--secondary button--small"
                  onClick={() => onAction('reschedule')}
                >
                  Reschedule
                </MutatingButton>
                <MutatingButton className="button button--secondary button--small" onClick={() => onAction('notes')}>
                  {a.customerNotes ? 'Edit notes' : 'Add notes'}
                </MutatingButton>
                <MutatingButton
                  className="button button--ghost button--small button--danger-text"
                  onClick={() => onAction('cancel')}
                >
                  Cancel visit
                </MutatingButton>
              </>
            ) : (
              <span className="muted small">This visit can no longer be changed online. Please call us.</span>
            )}
          </div>
        )}
        {!onAction && (
          <div className="appointment__actions">
            {a.reportCard && <Link href="/report-cards">Report card</Link>}
            {a.invoice && (
              <Link href="/billing">
                Invoice {a.invoice.number} · {formatMoney(a.invoice.totalCents)} · {humanize(a.invoice.status)}
              </Link>
            )}
          </div>
        )}
      </div>
      <div className="appointment__status">
        <StatusPill value={a.status} />
      </div>
    </li>
  );
}
