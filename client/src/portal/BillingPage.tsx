// Billing: invoices to pay (with a tip), invoice history, and saved cards.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql/gql.ts';
import type { BillingPageQuery as BillingData } from '../gql/graphql.ts';
import { formatDay, formatMoney, parseMoney } from '../format.ts';
import { MutatingButton, MutatingFieldset } from '../impersonation/readOnly.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { EmptyState, FormError, QueryState } from '../ui/feedback.tsx';
import { Field } from '../ui/Field.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { StatusPill } from '../ui/StatusPill.tsx';

const BillingPageQuery = graphql(`
  query BillingPage {
    me {
      id
      invoices {
        id
        number
        status
        issuedAt
        paidAt
        paidWith
        subtotalCents
        taxCents
        tipCents
        totalCents
        appointment {
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
      }
    }
  }
`);

const PayInvoiceMutation = graphql(`
  mutation PayInvoice($id: ID!, $paymentMethodId: ID!, $tipCents: Int) {
    payInvoice(id: $id, paymentMethodId: $paymentMethodId, tipCents: $tipCents) {
      id
      status
      tipCents
      totalCents
      paidAt
      paidWith
    }
  }
`);

const AddPaymentMethodMutation = graphql(`
  mutation AddPaymentMethod($input: AddPaymentMethodInput!) {
    addPaymentMethod(input: $input) {
      id
      brand
      last4
      expMonth
      expYear
      isDefault
    }
  }
`);

const RemovePaymentMethodMutation = graphql(`
  mutation RemovePaymentMethod($id: ID!) {
    removePaymentMethod(id: $id)
  }
`);

type Invoice = BillingData['me']['invoices'][number];
type PaymentMethod = BillingData['me']['paymentMethods'][number];

/** Lists that may be empty still refresh after mutations on their type. */
const PAYMENT_TYPES = { additionalTypenames: ['PaymentMethod', 'Invoice'] };

const expiry = (m: PaymentMethod) => `${String(m.expMonth).padStart(2, '0')}/${String(m.expYear).slice(-2)}`;

export function BillingPage() {
  const [result, refetch] = useQuery({ query: BillingPageQuery, context: PAYMENT_TYPES });
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
                          <button
                            type="button"
                            className="button button--primary button--small"
                            onClick={() => setPaying(invoice)}
                          >
                            Pay
                          </button>
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
                              {invoice.paidWith && <span className="muted small block">{invoice.paidWith}</span>}
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

const TIP_PERCENTS = [0, 10, 15, 20] as const;

function PayDialog({
  invoice,
  methods,
  onClose,
  onPaid,
}: {
  invoice: Invoice;
  methods: PaymentMethod[];
  onClose(): void;
  onPaid(text: string): void;
}) {
  const [methodId, setMethodId] = useState(methods.find((m) => m.isDefault)?.id ?? methods[0]?.id ?? '');
  const [tipChoice, setTipChoice] = useState<string>('15');
  const [customTip, setCustomTip] = useState('');
  const [result, pay] = useMutation(PayInvoiceMutation);

  const tipCents =
    tipChoice === 'custom' ? parseMoney(customTip) : Math.round((invoice.subtotalCents * Number(tipChoice)) / 100);
  const total = invoice.subtotalCents + invoice.taxCents + (tipCents ?? 0);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (tipCents === null) return;
    const outcome = await pay({ id: invoice.id, paymentMethodId: methodId, tipCents }, PAYMENT_TYPES);
    const paidInvoice = outcome.data?.payInvoice;
    if (paidInvoice)
      onPaid(
        `${invoice.number} is paid: ${formatMoney(paidInvoice.totalCents)} with ${paidInvoice.paidWith ?? 'your card'}.`,
      );
  };

  return (
    <Dialog title={`Pay invoice ${invoice.number}`} onClose={onClose}>
      <form onSubmit={(event) => void submit(event)}>
        <MutatingFieldset>
          <fieldset className="choice-group">
            <legend>Card</legend>
            {methods.length === 0 && <p className="muted">Add a card on the Billing page first.</p>}
            {methods.map((m) => (
              <label key={m.id} className="choice">
                <input
                  type="radio"
                  name="method"
                  value={m.id}
                  checked={methodId === m.id}
                  onChange={() => setMethodId(m.id)}
                />
                <span>
                  {m.brand} •••• {m.last4} <span className="muted small">expires {expiry(m)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <fieldset className="choice-group">
            <legend>Tip for your groomer</legend>
            <div className="segmented">
              {TIP_PERCENTS.map((p) => (
                <label key={p} className="segmented__option">
                  <input
                    type="radio"
                    name="tip"
                    value={p}
                    checked={tipChoice === String(p)}
                    onChange={() => setTipChoice(String(p))}
                  />
                  <span>{p === 0 ? 'No tip' : `${p}%`}</span>
                </label>
              ))}
              <label className="segmented__option">
                <input
                  type="radio"
                  name="tip"
                  value="custom"
                  checked={tipChoice === 'custom'}
                  onChange={() => setTipChoice('custom')}
                />
                <span>Other</span>
              </label>
            </div>
            {tipChoice === 'custom' && (
              <Field
                label="Tip amount ($)"
                hint={tipCents === null && customTip ? 'Enter an amount such as 12.50' : undefined}
              >
                <input
                  className="input"
                  inputMode="decimal"
                  value={customTip}
                  onChange={(e) => setCustomTip(e.target.value)}
                  placeholder="0.00"
                />
              </Field>
            )}
          </fieldset>
        </MutatingFieldset>
        <dl className="totals">
          <div>
            <dt>Services</dt>
            <dd>{formatMoney(invoice.subtotalCents)}</dd>
          </div>
          <div>
            <dt>Tax</dt>
            <dd>{formatMoney(invoice.taxCents)}</dd>
          </div>
          <div>
            <dt>Tip</dt>
            <dd>{tipCents === null ? '—' : formatMoney(tipCents)}</dd>
          </div>
          <div className="totals__total">
            <dt>Total</dt>
            <dd>{formatMoney(total)}</dd>
          </div>
        </dl>
        <FormError error={result.error} />
        <div className="form-actions">
          <button type="button" className="button button--ghost" onClick={onClose}>
            Not now
          </button>
          <MutatingButton
            type="submit"
            className="button button--primary"
            disabled={result.fetching || !methodId || tipCents === null}
          >
            {result.fetching ? 'Paying…' : `Pay ${formatMoney(total)}`}
          </MutatingButton>
        </div>
      </form>
    </Dialog>
  );
}

function PaymentMethods({ methods }: { methods: PaymentMethod[] }) {
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<PaymentMethod | null>(null);
  const [removeResult, remove] = useMutation(RemovePaymentMethodMutation);

  const confirmRemove = async () => {
    if (!removing) return;
    const outcome = await remove({ id: removing.id }, PAYMENT_TYPES);
    if (!outcome.error) setRemoving(null);
  };

  return (
    <section className="card" aria-labelledby="cards-title">
      <div className="card__header">
        <h2 className="card__title" id="cards-title">
          Saved cards
        </h2>
        {!adding && (
          <button type="button" className="button button--secondary button--small" onClick={() => setAdding(true)}>
            Add card
          </button>
        )}
      </div>
      {methods.length === 0 ? (
        <p className="muted">No saved cards.</p>
      ) : (
        <ul className="plain-list">
          {methods.map((m) => (
            <li key={m.id} className="list-row">
              <span className="card-chip">
                <span className="card-chip__brand">{m.brand}</span> •••• {m.last4}
                <span className="muted small"> exp {expiry(m)}</span>
                {m.isDefault && <StatusPill value="DEFAULT" tone="info" label="Default" />}
              </span>
              <button
                type="button"
                className="button button--ghost button--small button--danger-text"
                onClick={() => setRemoving(m)}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {adding && <AddCardForm onDone={() => setAdding(false)} />}
      {removing && (
        <Dialog title="Remove card?" onClose={() => setRemoving(null)}>
          <p>
            {removing.brand} •••• {removing.last4} will be removed from your account.
          </p>
          <FormError error={removeResult.error} />
          <div className="form-actions">
            <button type="button" className="button button--ghost" onClick={() => setRemoving(null)}>
              Keep card
            </button>
            <MutatingButton
              className="button button--danger"
              onClick={() => void confirmRemove()}
              disabled={removeResult.fetching}
            >
              Remove card
            </MutatingButton>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function AddCardForm({ onDone }: { onDone(): void }) {
  const thisYear = new Date().getFullYear();
  const [cardNumber, setCardNumber] = useState('');
  const [expMonth, setExpMonth] = useState(1);
  const [expYear, setExpYear] = useState(thisYear + 2);
  const [makeDefault, setMakeDefault] = useState(false);
  const [result, add] = useMutation(AddPaymentMethodMutation);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await add({ input: { cardNumber, expMonth, expYear, makeDefault } }, PAYMENT_TYPES);
    if (outcome.data) onDone();
  };

  return (
    <form className="subform" onSubmit={(event) => void submit(event)} aria-label="Add a card">
      <MutatingFieldset>
        <div className="form-grid">
          <Field label="Card number" hint="Only the brand and last 4 digits are kept." className="form-grid__wide">
            <input
              className="input"
              inputMode="numeric"
              autoComplete="cc-number"
              required
              value={cardNumber}
              onChange={(e) => setCardNumber(e.target.value)}
              placeholder="4242 4242 4242 4242"
            />
          </Field>
          <Field label="Expiry month">
            <select className="input" value={expMonth} onChange={(e) => setExpMonth(Number(e.target.value))}>
              {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => (
                <option key={m} value={m}>
                  {String(m).padStart(2, '0')}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Expiry year">
            <select className="input" value={expYear} onChange={(e) => setExpYear(Number(e.target.value))}>
              {Array.from({ length: 12 }, (_, i) => thisYear + i).map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <label className="choice">
          <input type="checkbox" checked={makeDefault} onChange={(e) => setMakeDefault(e.target.checked)} />
          <span>Use as default card</span>
        </label>
      </MutatingFieldset>
      <FormError error={result.error} />
      <div className="form-actions">
        <button type="button" className="button button--ghost" onClick={onDone}>
          Cancel
        </button>
        <MutatingButton type="submit" className="button button--primary" disabled={result.fetching || !cardNumber}>
          Save card
        </MutatingButton>
      </div>
    </form>
  );
}
