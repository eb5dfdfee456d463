// My Pets: each pet's profile, health alerts, grooming preferences and vaccinations.
import { graphql } from '../gql/gql.ts';
import { MaskedValue } from '../impersonation/MaskedValue.tsx';
import { usePortalPageQuery } from './pageQuery.tsx';
import { formatDate, formatDay, humanize } from '../format.ts';
import { EmptyState, QueryState } from '../ui/feedback.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { StatusPill } from '../ui/StatusPill.tsx';

const PetsPageQuery = graphql(`
  query PetsPage($staffView: Boolean!, $withAppointments: Boolean = true) {
    ...PortalChrome
    me {
      id
      pets {
        id
        name
        species
        breed
        weightKg
        birthDate
        size
        coatType
        healthAlerts
        groomingNotes
        cutStyle
        staffViewMasked
        vaccinations {
          id
          name
          expiresOn
          status
        }
        appointments @include(if: $withAppointments) {
          id
          startsAt
          status
        }
      }
    }
  }
`);

function age(birthDate: string, now = new Date()): string {
  const [y = 0, m = 1, d = 1] = birthDate.split('-').map(Number);
  let months = (now.getFullYear() - y) * 12 + (now.getMonth() + 1 - m) - (now.getDate() < d ? 1 : 0);
  months = Math.max(0, months);
  return months < 12
    ? `${months} month${months === 1 ? '' : 's'}`
    : `${Math.floor(months / 12)} year${months >= 24 ? 's' : ''}`;
}

export function PetsPage() {
  const [result, refetch] = usePortalPageQuery(PetsPageQuery);
  return (
    <>
      <PageHeader title="My Pets" subtitle="Profiles, grooming preferences and vaccination records." />
      <QueryState result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {({ me }) =>
          me.pets.length === 0 ? (
            <EmptyState title="No pets on file yet">
              Bring your pet to their first visit and we will set up their profile.
            </EmptyState>
          ) : (
            <div className="pet-list">
              {me.pets.map((pet) => {
                const lastVisit = (pet.appointments ?? [])
                  .filter((a) => a.status === 'COMPLETED')
                  .sort((a, b) => b.startsAt.localeCompare(a.startsAt))[0];
                return (
                  <article key={pet.id} className="card pet" aria-labelledby={`pet-${pet.id}`}>
                    <header className="pet__header">
                      <span className="pet__avatar" aria-hidden="true">
                        {pet.name.charAt(0)}
                      </span>
                      <div>
                        <h2 className="pet__name" id={`pet-${pet.id}`}>
                          {pet.name}
                        </h2>
                        <p className="muted">{[pet.breed, pet.species].filter(Boolean).join(' · ')}</p>
                      </div>
                    </header>

                    {pet.healthAlerts.length > 0 && (
                      <div className="notice notice--warning notice--compact">
                        <strong>Health alerts</strong>
                        <MaskedValue
                          record={pet}
                          field="PET_HEALTH_ALERTS"
                          type="Pet"
                          what={`${pet.name}’s health alerts`}
                        >
                          <ul>
                            {pet.healthAlerts.map((alert) => (
                              <li key={alert}>{alert}</li>
                            ))}
                          </ul>
                        </MaskedValue>
                      </div>
                    )}

                    <dl className="facts">
                      <div>
                        <dt>Age</dt>
                        <dd>
                          {pet.birthDate ? `${age(pet.birthDate)} (born ${formatDate(pet.birthDate)})` : 'Unknown'}
                        </dd>
                      </div>
                      <div>
                        <dt>Weight</dt>
                        <dd>{pet.weightKg != null ? `${pet.weightKg} kg` : '—'}</dd>
                      </div>
                      <div>
                        <dt>Size</dt>
                        <dd>{humanize(pet.size)}</dd>
                      </div>
                      <div>
                        <dt>Coat</dt>
                        <dd>{pet.coatType ?? '—'}</dd>
                      </div>
                      <div>
                        <dt>Preferred cut</dt>
                        <dd>{pet.cutStyle ?? '—'}</dd>
                      </div>
                      <div>
                        <dt>Last groom</dt>
                        <dd>{lastVisit ? formatDay(lastVisit.startsAt) : 'Not yet'}</dd>
                      </div>
                    </dl>
                    {pet.groomingNotes && (
                      <div className="pet__notes">
                        <h3 className="subheading">Grooming notes</h3>
                        <p>
                          <MaskedValue
                            record={pet}
                            field="PET_GROOMING_NOTES"
                            type="Pet"
                            what={`${pet.name}’s grooming notes`}
                          >
                            {pet.groomingNotes}
                          </MaskedValue>
                        </p>
                      </div>
                    )}

                    <h3 className="subheading">Vaccinations</h3>
                    {pet.vaccinations.length === 0 ? (
                      <p className="muted">No vaccinations on record.</p>
                    ) : (
                      <div className="table-wrap">
                        <table className="table table--compact">
                          <thead>
                            <tr>
                              <th scope="col">Vaccine</th>
                              <th scope="col">Expires</th>
                              <th scope="col">Status</th>
                            </tr>
                          </thead>
                          <tbody>
                            {pet.vaccinations.map((v) => (
                              <tr key={v.id}>
                                <td>{v.name}</td>
                                <td>{formatDate(v.expiresOn)}</td>
                                <td>
                                  <StatusPill
                                    value={v.status}
                                    label={v.status === 'EXPIRING' ? 'Expiring soon' : undefined}
                                  />
                                </td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </div>
                    )}
                  </article>
                );
              })}
            </div>
          )
        }
      </QueryState>
    </>
  );
}
