// Billing: invoices to pay (with a tip), invoice history, and saved cards. One query feeds the
// whole page so paying or changing a card refreshes every section together.
import { useState } from 'react';
import { graphql } from '../../gql/gql.ts';
import { usePortalPageQuery } from '../pageQuery.tsx';
import { formatDay, formatMoney } from '../../format.ts';
import { EmptyState, QueryState } from '../../ui/feedback.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { StatusPill } from '../../ui/StatusPill.tsx';
import { PAYMENT_TYPES, type Invoice } from './billing.ts';
import { PayDialog } from './PayDialog.tsx';
import { PaymentMethods } from './PaymentMethods.tsx';
import { MutatingButton } from '../../impersonation/readOnly.tsx';
import { MaskedValue } from '../../impersonation/MaskedValue.tsx';

const BillingPageQuery = graphql(`
  query BillingPage($staffView: Boolean!, $withAppointments: Boolean = true) {
    ...PortalChrome
    me {
      id
      invoices {
        id
        number
        status
        issuedAt
        paidAt
        paidWith
        staffViewMasked
        subtotalCents
        taxCents
        tipCents
        totalCents
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
      paymentMethods {
        id
        brand
        last4
        expMonth
        expYear
        isDefault
        staffViewMasked
      }
    }
  }
`);

export function BillingPage() {
  const [result, refetch] = usePortalPageQuery(BillingPageQuery, PAYMENT_TYPES);
  const [paying, setPaying] = useState<Invoice | null>(null);
  const [paid, setPaid] = useState<string | null>(null);

  return (
    <>
      <PageHeader title="Billing" subtitle="Pay invoices, add a tip for your groomer, and manage saved cards." />
      {paid && (
        <div className="notice notice--success" role="status">
          <strong>Thank you!</strong> {paid}
          <button type="button" className="link-button" onClick={() => setPaid(null)}>
            Dismiss
          </button>
        </div>
      )}
      <QueryState result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {({ me }) => {
          const due = me.invoices.filter((i) => i.status === 'PENDING');
          return (
            <div className="billing">
              <section className="card" aria-labelledby="due-title">
                <h2 className="card__title" id="due-title">
                  To pay
                </h2>
                {due.length === 0 ? (
                  <p className="muted">Nothing to pay. Thank you!</p>
                ) : (
                  <ul className="plain-list">
                    {due.map((invoice) => (
                      <li key={invoice.id} className="list-row list-row--spacious">
                        <div>
                          <strong>{invoice.number}</strong>
                          <span className="muted small">
                            {' '}
                            ·{' '}
                            {invoice.appointment
                              ? `${invoice.appointment.pet.name}, ${invoice.appointment.service.name}`
                              : 'Salon services'}{' '}
                            · issued {formatDay(invoice.issuedAt)}
                          </span>
                        </div>
                        <div className="list-row__end">
                          <span className="amount">{formatMoney(invoice.totalCents)}</span>
                          <MutatingButton
                            className="button button--primary button--small"
                            onClick={() => setPaying(invoice)}
                          >
                            Pay
                          </MutatingButton>
                        </div>
                      </li>
                    ))}
                  </ul>
                )}
              </section>

              <PaymentMethods methods={me.paymentMethods} />

              <section className="card billing__history" aria-labelledby="history-title">
                <h2 className="card__title" id="history-title">
                  Invoice history
                </h2>
                {me.invoices.length === 0 ? (
                  <EmptyState title="No invoices yet" />
                ) : (
                  <div className="table-wrap">
                    <table className="table">
                      <thead>
                        <tr>
                          <th scope="col">Invoice</th>
                          <th scope="col">Visit</th>
                          <th scope="col">Issued</th>
                          <th scope="col" className="num">
                            Tip
                          </th>
                          <th scope="col" className="num">
                            Total
                          </th>
                          <th scope="col">Status</th>
                        </tr>
                      </thead>
                      <tbody>
                        {me.invoices.map((invoice) => (
                          <tr key={invoice.id}>
                            <td className="nowrap">{invoice.number}</td>
                            <td>
                              {invoice.appointment
                                ? `${invoice.appointment.pet.name} · ${invoice.appointment.service.name}`
                                : '—'}
                            </td>
                            <td className="nowrap">{formatDay(invoice.issuedAt)}</td>
                            <td className="num">{invoice.tipCents ? formatMoney(invoice.tipCents) : '—'}</td>
                            <td className="num">{formatMoney(invoice.totalCents)}</td>
                            <td>
                              <StatusPill value={invoice.status} />
                              {invoice.paidWith && (
                                <span className="muted small block">
                                  <MaskedValue
                                    record={invoice}
                                    field="INVOICE_PAID_WITH"
                                    type="Invoice"
                                    what={`The card that paid ${invoice.number}`}
                                    masked={invoice.paidWith}
                                  >
                                    {invoice.paidWith}
                                  </MaskedValue>
                                </span>
                              )}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </section>

              {paying && (
                <PayDialog
                  invoice={paying}
                  methods={me.paymentMethods}
                  onClose={() => setPaying(null)}
                  onPaid={(text) => {
                    setPaying(null);
                    setPaid(text);
                  }}
                />
              )}
            </div>
          );
        }}
      </QueryState>
    </>
  );
}
