// The customer directory, searched by name, email or phone, with "View as customer" for managers
// (ViewAsDialog.tsx) and protection. When the button is unavailable, the page says why in words.
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import type { AdminCustomersQuery as AdminCustomersData } from '../gql/graphql.ts';
import { EmptyState, FormError, QueryState } from '../ui/feedback.tsx';
import { Field } from '../ui/Field.tsx';
import { Icon } from '../ui/icons.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';
import { StatusPill } from '../ui/StatusPill.tsx';
import type { StaffMember } from './staff.ts';
import { useImpersonationPolicy } from './useImpersonationPolicy.ts';
import { staffViewsOffText, useStaffViewControls } from './useStaffViewControls.ts';
import { GovernanceRequestDialog } from './GovernanceRequestDialog.tsx';
import { ViewAsDialog } from './ViewAsDialog.tsx';

const AdminCustomersQuery = graphql(`
  query AdminCustomers($search: String) {
    customers(search: $search) {
      id
      name
      email
      phone
      status
      petNames
      protected
      staffAccess
    }
  }
`);

const SetCustomerProtectedMutation = graphql(`
  mutation SetCustomerProtected($customerId: ID!, $protected: Boolean!) {
    setCustomerProtected(customerId: $customerId, protected: $protected) {
      id
      protected
    }
  }
`);

type Customer = AdminCustomersData['customers'][number];

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function CustomersPage({ staff }: { staff: StaffMember }) {
  const [search, setSearch] = useState('');
  const debounced = useDebounced(search.trim(), 250);
  const [result, refetch] = useQuery({ query: AdminCustomersQuery, variables: { search: debounced || null } });
  const [viewing, setViewing] = useState<Customer | null>(null);
  const [protection, setProtected] = useMutation(SetCustomerProtectedMutation);
  // Protecting is immediate; removing protection is a request a second manager approves.
  const [unprotecting, setUnprotecting] = useState<Customer | null>(null);
  // Loaded with the page so the dialog opens with the rules already cached: its form, and the focus
  // on the reason field, are there from the first frame.
  useImpersonationPolicy();
  const { controls } = useStaffViewControls();

  // Why no customer can be viewed from this page (shown once, above the list), else why this one can't.
  const pageRefusal = !staff.canImpersonate
    ? 'Only managers can view the portal as a customer. Ask a manager if a customer needs their account looked at.'
    : controls && !controls.enabled
      ? `${staffViewsOffText(controls)} A manager can ask to turn them back on from Active sessions; a second manager approves.`
      : null;
  const refusal = (customer: Customer) =>
    pageRefusal ?? (customer.status !== 'ACTIVE' ? 'A disabled account cannot be viewed' : null);

  return (
    <>
      <PageHeader
        title="Customers"
        subtitle={
          staff.canImpersonate
            ? 'Find a customer, and view their portal read-only when they need help: they are told, and every page you open is recorded.'
            : 'Find a customer’s contact details, pets and account status.'
        }
      />
      <div className="toolbar">
        <Field label="Search customers" className="toolbar__search">
          <input
            className="input"
            type="search"
            placeholder="Name, email or phone"
            maxLength={100}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </Field>
      </div>
      {pageRefusal && (
        <p className="notice notice--info" id="view-as-unavailable" data-testid="view-as-unavailable">
          {pageRefusal}
        </p>
      )}
      <QueryState result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {({ customers }) =>
          customers.length === 0 ? (
            <EmptyState title="No customers match">Try part of a name, an email or a phone number.</EmptyState>
          ) : (
            <div className="card card--flush">
              <div className="table-wrap">
                <table className="table table--stack" aria-label="Customers">
                  <thead>
                    <tr>
                      <th scope="col">Customer</th>
                      <th scope="col">Phone</th>
                      <th scope="col">Pets</th>
                      <th scope="col">Status</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {customers.map((customer) => {
                      const why = refusal(customer);
                      const whyId = pageRefusal
                        ? 'view-as-unavailable'
                        : why
                          ? `view-as-why-${customer.id}`
                          : undefined;
                      return (
                        <tr key={customer.id}>
                          <td data-label="Customer">
                            <div>
                              <strong>{customer.name}</strong>
                              <span className="muted small block">{customer.email}</span>
                            </div>
                          </td>
                          <td data-label="Phone" className="nowrap">
                            {customer.phone ?? '—'}
                          </td>
                          <td data-label="Pets">{customer.petNames.join(', ') || '—'}</td>
                          <td data-label="Status">
                            <div className="pill-row">
                              <StatusPill value={customer.status} />
                              {customer.protected && <StatusPill value="PROTECTED" tone="info" label="Protected" />}
                              {customer.staffAccess === 'ASK_FIRST' && (
                                <StatusPill value="ASK_FIRST" tone="neutral" label="Asks first" />
                              )}
                            </div>
                          </td>
                          <td className="actions">
                            {staff.canImpersonate && (
                              <button
                                type="button"
                                className="button button--ghost button--small"
                                data-testid={`protect-${customer.email}`}
                                aria-pressed={customer.protected}
                                disabled={protection.fetching}
                                title={
                                  customer.protected
                                    ? 'Removing protection needs a second manager: you give a reason and another manager approves'
                                    : 'Protected customers need a second manager’s approval for every staff view'
                                }
                                onClick={() =>
                                  customer.protected
                                    ? setUnprotecting(customer)
                                    : void setProtected({ customerId: customer.id, protected: true }).then(() =>
                                        refetch({ requestPolicy: 'network-only' }),
                                      )
                                }
                              >
                                {customer.protected ? 'Unprotect' : 'Protect'}
                              </button>
                            )}
                            <span title={why ?? undefined}>
                              <button
                                type="button"
                                className="button button--secondary button--small"
                                data-testid={`view-as-${customer.email}`}
                                disabled={why !== null}
                                title={why ?? undefined}
                                aria-describedby={whyId}
                                onClick={() => setViewing(customer)}
                              >
                                <Icon name="eye" size={16} /> View as customer
                              </button>
                            </span>
                            {why && !pageRefusal && (
                              <span className="muted small block customers-unavailable" id={whyId}>
                                {why}
                              </span>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </div>
          )
        }
      </QueryState>
      <FormError error={protection.error} />
      {unprotecting && (
        <GovernanceRequestDialog
          change={{
            kind: 'UNPROTECT_CUSTOMER',
            customerId: unprotecting.id,
            title: `Remove ${unprotecting.name}’s protection`,
          }}
          onClose={() => setUnprotecting(null)}
        />
      )}
      {viewing && (
        <ViewAsDialog
          customer={viewing}
          askPassword={controls?.stepUpRequired ?? false}
          onClose={() => setViewing(null)}
        />
      )}
    </>
  );
}
