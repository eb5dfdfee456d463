// Report Cards: the groomer's notes after each completed visit, newest first, by pet.
import { useState } from 'react';
import { graphql } from '../gql/gql.ts';
import { usePortalPageQuery } from './pageQuery.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { EmptyState, QueryState } from '../ui/feedback.tsx';
import { Field } from '../ui/Field.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { MutatingLink } from '../impersonation/readOnly.tsx';

const ReportCardsPageQuery = graphql(`
  query ReportCardsPage($staffView: Boolean!, $withAppointments: Boolean = true) {
    ...PortalChrome
    reportCards {
      id
      mood
      conditionNotes
      nextRecommendedDate
      createdAt
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
        groomer {
          id
          name
        }
      }
    }
  }
`);

export function ReportCardsPage() {
  const [result, refetch] = usePortalPageQuery(ReportCardsPageQuery);
  const [petId, setPetId] = useState('');
  return (
    <>
      <PageHeader title="Report Cards" subtitle="How each visit went, straight from your groomer." />
      <QueryState result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {({ reportCards }) => {
          if (reportCards.length === 0) {
            return (
              <EmptyState title="No report cards yet">
                After each completed visit, your groomer writes one here.
              </EmptyState>
            );
          }
          // A staff view without Appointments has no visit to name: the card's own date stands in.
          const visits = reportCards.flatMap((c) => (c.appointment ? [c.appointment.pet] : []));
          const pets = [...new Map(visits.map((pet) => [pet.id, pet])).values()];
          const shown = petId ? reportCards.filter((c) => c.appointment?.pet.id === petId) : reportCards;
          return (
            <>
              {pets.length > 1 && (
                <div className="toolbar">
                  <Field label="Pet">
                    <select className="input" value={petId} onChange={(e) => setPetId(e.target.value)}>
                      <option value="">All pets</option>
                      {pets.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}
                        </option>
                      ))}
                    </select>
                  </Field>
                </div>
              )}
              <ul className="report-list">
                {shown.map((card) => (
                  <li key={card.id} className="card report">
                    <header className="report__header">
                      {card.appointment ? (
                        <>
                          <h2 className="report__title">
                            {card.appointment.pet.name} · {card.appointment.service.name}
                          </h2>
                          <p className="muted small">
                            {formatDateTime(card.appointment.startsAt)}
                            {card.appointment.groomer && <> · groomed by {card.appointment.groomer.name}</>}
                          </p>
                        </>
                      ) : (
                        <h2 className="report__title">Report card of {formatDateTime(card.createdAt)}</h2>
                      )}
                    </header>
                    <dl className="report__body">
                      <div>
                        <dt>Mood</dt>
                        <dd>{card.mood}</dd>
                      </div>
                      <div>
                        <dt>Coat, skin and condition</dt>
                        <dd>{card.conditionNotes}</dd>
                      </div>
                    </dl>
                    {card.nextRecommendedDate && (
                      <p className="report__next">
                        Next visit recommended around <strong>{formatDate(card.nextRecommendedDate)}</strong>.{' '}
                        <MutatingLink href="/appointments?book=1">Book it</MutatingLink>
                      </p>
                    )}
                  </li>
                ))}
              </ul>
            </>
          );
        }}
      </QueryState>
    </>
  );
}
