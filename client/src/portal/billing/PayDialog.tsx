// Paying one invoice: pick a card and a tip, see the total before confirming. The tip is a share of
// the services only, never of the tax, and the server recomputes the total it charges.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { formatMoney, parseMoney } from '../../format.ts';
import { MutatingButton, MutatingFieldset } from '../../impersonation/readOnly.tsx';
import { Dialog, DialogActions } from '../../ui/Dialog.tsx';
import { FormError } from '../../ui/feedback.tsx';
import { Field } from '../../ui/Field.tsx';
import { expiry, PAYMENT_TYPES, type Invoice, type PaymentMethod } from './billing.ts';

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

const TIP_PERCENTS = [0, 10, 15, 20] as const;

export function PayDialog({
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
  // No tip unless the customer picks one: a pre-selected tip inflates the button's total.
  const [tipChoice, setTipChoice] = useState<string>('0');
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
        <DialogActions onCancel={onClose} cancelLabel="Not now">
          <MutatingButton
            type="submit"
            className="button button--primary"
            disabled={result.fetching || !methodId || tipCents === null}
          >
            {result.fetching ? 'Paying…' : `Pay ${formatMoney(total)}`}
          </MutatingButton>
        </DialogActions>
      </form>
    </Dialog>
  );
}
