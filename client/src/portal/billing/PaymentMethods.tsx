// The saved cards section: list, remove (after a confirmation, since it cannot be undone) and the
// entry point to adding one. Only brand, last four digits and expiry are ever shown or kept.
import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { MaskedValue } from '../../impersonation/MaskedValue.tsx';
import { MutatingButton } from '../../impersonation/readOnly.tsx';
import { Dialog, DialogActions } from '../../ui/Dialog.tsx';
import { FormError } from '../../ui/feedback.tsx';
import { StatusPill } from '../../ui/StatusPill.tsx';
import { AddCardForm } from './AddCardForm.tsx';
import { expiry, PAYMENT_TYPES, type PaymentMethod } from './billing.ts';

const RemovePaymentMethodMutation = graphql(`
  mutation RemovePaymentMethod($id: ID!) {
    removePaymentMethod(id: $id)
  }
`);

export function PaymentMethods({ methods }: { methods: PaymentMethod[] }) {
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
          <MutatingButton className="button button--secondary button--small" onClick={() => setAdding(true)}>
            Add card
          </MutatingButton>
        )}
      </div>
      {methods.length === 0 ? (
        <p className="muted">No saved cards.</p>
      ) : (
        <ul className="plain-list">
          {methods.map((m) => (
            <li key={m.id} className="list-row">
              <span className="card-chip">
                <span className="card-chip__brand">{m.brand}</span> ••••{' '}
                <MaskedValue
                  record={m}
                  field="CARD_LAST4"
                  type="PaymentMethod"
                  what={`The ${m.brand} card’s last four digits`}
                  masked="••••"
                >
                  {m.last4}
                </MaskedValue>
                <span className="muted small">
                  {' '}
                  exp{' '}
                  <MaskedValue
                    record={m}
                    field="CARD_EXPIRY"
                    type="PaymentMethod"
                    what={`The ${m.brand} card’s expiry`}
                    masked="••/••"
                  >
                    {expiry(m)}
                  </MaskedValue>
                </span>
                {m.isDefault && <StatusPill value="DEFAULT" tone="info" label="Default" />}
              </span>
              <MutatingButton
                className="button button--ghost button--small button--danger-text"
                onClick={() => setRemoving(m)}
              >
                Remove
              </MutatingButton>
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
          <DialogActions onCancel={() => setRemoving(null)} cancelLabel="Keep card">
            <MutatingButton
              className="button button--danger"
              onClick={() => void confirmRemove()}
              disabled={removeResult.fetching}
            >
              Remove card
            </MutatingButton>
          </DialogActions>
        </Dialog>
      )}
    </section>
  );
}
