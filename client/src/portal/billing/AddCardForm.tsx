// Adding a card inline under the saved cards rather than in a dialog, so the list it joins stays in
// view. The server keeps only the brand and last four digits, as the hint tells the customer.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { MutatingButton, MutatingFieldset } from '../../impersonation/readOnly.tsx';
import { FormError } from '../../ui/feedback.tsx';
import { Field } from '../../ui/Field.tsx';
import { PAYMENT_TYPES } from './billing.ts';

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

export function AddCardForm({ onDone }: { onDone(): void }) {
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
