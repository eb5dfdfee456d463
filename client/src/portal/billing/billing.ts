// What the billing components share: the invoice and card shapes of the Billing page's query, the
// cache hint every billing mutation needs, and how a card's expiry is written.
import type { BillingPageQuery } from '../../gql/graphql.ts';

export type Invoice = BillingPageQuery['me']['invoices'][number];
export type PaymentMethod = BillingPageQuery['me']['paymentMethods'][number];

/** Lists that may be empty still refresh after mutations on their type. */
export const PAYMENT_TYPES = { additionalTypenames: ['PaymentMethod', 'Invoice'] };

export const expiry = (m: PaymentMethod) => `${String(m.expMonth).padStart(2, '0')}/${String(m.expYear).slice(-2)}`;
