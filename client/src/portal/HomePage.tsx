// Home: what a customer wants at a glance: the next visit, what is due, reminders, the latest
// report card and message. A scoped staff view shows the cards of its sections only (and asks for
// nothing else), and says once which sections are not part of it.
import { useMemo } from 'react';
import { graphql } from '../gql/gql.ts';
import { usePortalPageQuery, useSectionsInView } from './pageQuery.tsx';
import { outsideViewText, SECTIONS } from '../staffViewScope.ts';
import { formatDate, formatDateTime, formatDay, formatMoney, formatRelative } from '../format.ts';
import { Link } from '../router.tsx';
import { EmptyState, QueryState } from '../ui/feedback.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { StatusPill } from '../ui/StatusPill.tsx';
import { ConfirmAppointmentButton } from './AppointmentActions.tsx';
import { MutatingLink } from '../impersonation/readOnly.tsx';

const HomePageQuery = graphql(`
  query HomePage(
    $staffView: Boolean!
    $withAppointments: Boolean = true
    $withPets: Boolean = true
    $withReportCards: Boolean = true
    $withBilling: Boolean = true
    $withMessages: Boolean = true
  ) {
    ...PortalChrome
    me {
      id
      name
      appointments(upcoming: true) @include(if: $withAppointments) {
        id
        startsAt
        status
        canChange
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
      }
      pets @include(if: $withPets) {
        id
        name
        vaccinations {
          id
          name
          expiresOn
          status
        }
      }
      invoices @include(if: $withBilling) {
        id
        status
        totalCents
      }
      messages @include(if: $withMessages) {
        id
        body
        sender
        sentAt
        staffName
      }
    }
    reportCards @include(if: $withReportCards) {
      id
      mood
      conditionNotes
      appointment @include(if: $withAppointments) {
        id
        startsAt
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
  }
`);

function greeting(now = new Date()) {
  const hour = now.getHours();
  return hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
}

export function HomePage() {
  const context = useMemo(() => ({ additionalTypenames: ['Appointment', 'Message'] }), []);
  const [result, refetch] = usePortalPageQuery(HomePageQuery, context);
  const sections = useSectionsInView();
  const outside = sections ? SECTIONS.filter((s) => s !== 'SETTINGS' && !sections.includes(s)) : [];

  return (
    <QueryState result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
      {({ me, reportCards }) => {
        const next = me.appointments?.[0];
        const due = me.invoices?.filter((invoice) => invoice.status === 'PENDING') ?? [];
        const dueCents = due.reduce((sum, invoice) => sum + invoice.totalCents, 0);
        const reminders = (me.pets ?? []).flatMap((pet) =>
          pet.vaccinations.filter((v) => v.status !== 'VALID').map((v) => ({ ...v, petName: pet.name })),
        );
        const latestCard = reportCards?.[0];
        const lastMessage = me.messages?.at(-1);
        return (
          <>
            <PageHeader
              title={`${greeting()}, ${me.name.split(' ')[0]}`}
              subtitle="Here is what is coming up for your pets."
              actions={
                <MutatingLink className="button button--primary" href="/appointments?book=1">
                  Book a visit
                </MutatingLink>
              }
            />
            {outside.length > 0 && (
              <p className="notice notice--compact outside-view" data-testid="outside-view-home">
                {outsideViewText(outside)}.
              </p>
            )}
            <div className="grid grid--home">
              {me.appointments && (
                <section className="card card--feature" aria-labelledby="next-visit">
                  <h2 className="card__title" id="next-visit">
                    Next visit
                  </h2>
                  {next ? (
                    <>
                      <p className="feature-date">{formatDateTime(next.startsAt)}</p>
                      <p className="muted">{formatRelative(next.startsAt)}</p>
                      <p>
                        <strong>{next.pet.name}</strong> · {next.service.name}
                        {next.groomer && <> with {next.groomer.name}</>}
                      </p>
                      <div className="card__actions">
                        <StatusPill value={next.status} />
                        <ConfirmAppointmentButton appointment={next} />
                        <Link className="button button--ghost button--small" href="/appointments">
                          Manage
                        </Link>
                      </div>
                    </>
                  ) : (
                    <EmptyState
                      title="No visits booked"
                      action={<MutatingLink href="/appointments?book=1">Book one now</MutatingLink>}
                    />
                  )}
                </section>
              )}

              {me.invoices && (
                <section className="card" aria-labelledby="balance">
                  <h2 className="card__title" id="balance">
                    Balance due
                  </h2>
                  <p className={dueCents > 0 ? 'big-number big-number--due' : 'big-number'}>{formatMoney(dueCents)}</p>
                  <p className="muted">
                    {due.length === 0
                      ? 'You are all paid up.'
                      : `${due.length} invoice${due.length === 1 ? '' : 's'} to pay`}
                  </p>
                  {due.length > 0 && (
                    <Link className="button button--secondary button--small" href="/billing">
                      Go to billing
                    </Link>
                  )}
                </section>
              )}

              {me.pets && (
                <section className="card" aria-labelledby="reminders">
                  <h2 className="card__title" id="reminders">
                    Vaccination reminders
                  </h2>
                  {reminders.length === 0 ? (
                    <p className="muted">All vaccinations are up to date.</p>
                  ) : (
                    <ul className="plain-list">
                      {reminders.map((v) => (
                        <li key={v.id} className="list-row">
                          <span>
                            <strong>{v.petName}</strong> · {v.name}
                            <span className="muted small">
                              {' '}
                              {v.status === 'EXPIRED' ? 'expired' : 'expires'} {formatDate(v.expiresOn)}
                            </span>
                          </span>
                          <StatusPill value={v.status} />
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              )}

              {reportCards && (
                <section className="card" aria-labelledby="latest-report">
                  <h2 className="card__title" id="latest-report">
                    Latest report card
                  </h2>
                  {latestCard ? (
                    <>
                      {latestCard.appointment && (
                        <p>
                          <strong>{latestCard.appointment.pet.name}</strong> · {latestCard.appointment.service.name}
                          <span className="muted small"> {formatDay(latestCard.appointment.startsAt)}</span>
                        </p>
                      )}
                      <p className="quote">Mood: {latestCard.mood}</p>
                      <p className="clamp">{latestCard.conditionNotes}</p>
                      <Link href="/report-cards">All report cards</Link>
                    </>
                  ) : (
                    <p className="muted">Report cards appear here after each visit.</p>
                  )}
                </section>
              )}

              {me.messages && (
                <section className="card" aria-labelledby="latest-message">
                  <h2 className="card__title" id="latest-message">
                    Messages
                  </h2>
                  {lastMessage ? (
                    <>
                      <p className="muted small">
                        {lastMessage.sender === 'SALON' ? (lastMessage.staffName ?? 'The salon') : 'You'} ·{' '}
                        {formatRelative(lastMessage.sentAt)}
                      </p>
                      <p className="clamp">{lastMessage.body}</p>
                      <Link href="/messages">Open conversation</Link>
                    </>
                  ) : (
                    <p className="muted">
                      Questions? <Link href="/messages">Send us a message</Link>.
                    </p>
                  )}
                </section>
              )}
            </div>
          </>
        );
      }}
    </QueryState>
  );
}
