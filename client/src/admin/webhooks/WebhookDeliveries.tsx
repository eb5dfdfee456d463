// "Webhooks": the alert webhook endpoints (add one and copy its signing secret, shown once;
// disable one) and the delivery log, newest first, a page at a time: which endpoint, which event,
// how many attempts, the last answer or error, and when it is tried next. Managers only; adding
// and disabling ask for the password again when a step-up is due (StepUpPrompt).
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { formatDateTime } from '../../format.ts';
import { graphql } from '../../gql/gql.ts';
import { Field } from '../../ui/Field.tsx';
import { FormError, QueryState } from '../../ui/feedback.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { StatusPill } from '../../ui/StatusPill.tsx';

const WebhookEndpointsQuery = graphql(`
  query WebhookEndpoints {
    webhookEndpoints {
      id
      name
      url
      createdAt
      disabledAt
    }
  }
`);

const WebhookDeliveriesQuery = graphql(`
  query WebhookDeliveries($after: String) {
    webhookDeliveries(first: 25, after: $after) {
      edges {
        node {
          id
          endpointName
          eventType
          status
          attempts
          createdAt
          lastAttemptAt
          lastStatusCode
          lastError
          nextAttemptAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const AddWebhookEndpointMutation = graphql(`
  mutation AddWebhookEndpoint($name: String!, $url: String!) {
    addWebhookEndpoint(name: $name, url: $url) {
      secret
      endpoint {
        id
        name
        url
        createdAt
        disabledAt
      }
    }
  }
`);

const DisableWebhookEndpointMutation = graphql(`
  mutation DisableWebhookEndpoint($endpointId: ID!) {
    disableWebhookEndpoint(endpointId: $endpointId) {
      id
      disabledAt
    }
  }
`);

const TONES = { PENDING: 'warning', DELIVERED: 'success', FAILED: 'danger' } as const;

export function WebhookDeliveries() {
  return (
    <>
      <PageHeader
        title="Webhooks"
        subtitle="Alerts are also posted, signed (Standard Webhooks), to the endpoints below; failed posts are retried."
      />
      <Endpoints />
      <DeliveryLog />
    </>
  );
}

function Endpoints() {
  const [endpoints, refetch] = useQuery({ query: WebhookEndpointsQuery, requestPolicy: 'cache-and-network' });
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [added, add] = useMutation(AddWebhookEndpointMutation);
  const [disabled, disable] = useMutation(DisableWebhookEndpointMutation);
  const [secret, setSecret] = useState<{ name: string; value: string } | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await add({ name: name.trim(), url: url.trim() });
    const data = result.data?.addWebhookEndpoint;
    if (!data) return;
    setSecret({ name: data.endpoint.name, value: data.secret });
    setName('');
    setUrl('');
    refetch({ requestPolicy: 'network-only' });
  };

  return (
    <section className="card" aria-labelledby="webhook-endpoints">
      <h2 className="card__title" id="webhook-endpoints">
        Endpoints
      </h2>
      {secret && (
        <div className="notice" role="status" data-testid="webhook-secret">
          <p>
            Signing secret of <strong>{secret.name}</strong>. Copy it into the receiver now: it is not shown again.
          </p>
          <code>{secret.value}</code>{' '}
          <button type="button" className="button button--ghost button--small" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      <QueryState result={endpoints} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {({ webhookEndpoints }) =>
          webhookEndpoints.length === 0 ? (
            <p className="muted">No endpoint: alerts are shown here and emailed only.</p>
          ) : (
            <ul data-testid="webhook-endpoints">
              {webhookEndpoints.map((endpoint) => (
                <li key={endpoint.id}>
                  <strong>{endpoint.name}</strong> <span className="muted small">{endpoint.url}</span>{' '}
                  {endpoint.disabledAt ? (
                    <span className="muted small">disabled {formatDateTime(endpoint.disabledAt)}</span>
                  ) : (
                    <button
                      type="button"
                      className="button button--ghost button--small"
                      disabled={disabled.fetching}
                      onClick={() => void disable({ endpointId: endpoint.id })}
                    >
                      Disable
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </QueryState>
      <FormError error={disabled.error} />
      <form onSubmit={(event) => void submit(event)}>
        <Field label="Name">
          <input value={name} maxLength={80} required onChange={(event) => setName(event.target.value)} />
        </Field>
        <Field label="URL" hint="An https address of the receiver (Slack relay, paging service, SIEM).">
          <input type="url" value={url} maxLength={2000} required onChange={(event) => setUrl(event.target.value)} />
        </Field>
        <FormError error={added.error} />
        <button type="submit" className="button" disabled={added.fetching}>
          Add endpoint
        </button>
      </form>
    </section>
  );
}

function DeliveryLog() {
  const [pages, setPages] = useState<(string | null)[]>([null]);
  return (
    <section className="card" aria-labelledby="webhook-deliveries">
      <h2 className="card__title" id="webhook-deliveries">
        Webhook deliveries
      </h2>
      <div className="table-wrap">
        <table className="table table--stack" aria-label="Webhook deliveries" data-testid="webhook-deliveries">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Endpoint</th>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
              <th scope="col">Next attempt</th>
            </tr>
          </thead>
          {pages.map((after, index) => (
            <DeliveryPage
              key={after ?? 'first'}
              after={after}
              onMore={index === pages.length - 1 ? (cursor) => setPages([...pages, cursor]) : undefined}
            />
          ))}
        </table>
      </div>
    </section>
  );
}

function DeliveryPage({ after, onMore }: { after: string | null; onMore?: (cursor: string) => void }) {
  const [result] = useQuery({
    query: WebhookDeliveriesQuery,
    variables: { after },
    requestPolicy: 'cache-and-network',
  });
  const connection = result.data?.webhookDeliveries;
  if (!connection)
    return (
      <tbody>
        <tr>
          <td colSpan={7} className="muted">
            {result.error ? 'The delivery log could not be loaded.' : 'Loading…'}
          </td>
        </tr>
      </tbody>
    );
  return (
    <tbody>
      {connection.edges.length === 0 && after === null && (
        <tr>
          <td colSpan={7} className="muted">
            Nothing sent yet.
          </td>
        </tr>
      )}
      {connection.edges.map(({ node }) => (
        <tr key={node.id}>
          <td data-label="Created">{formatDateTime(node.createdAt)}</td>
          <td data-label="Endpoint">{node.endpointName}</td>
          <td data-label="Event">{node.eventType}</td>
          <td data-label="Status">
            <StatusPill value={node.status} tone={TONES[node.status]} />
          </td>
          <td data-label="Attempts">{node.attempts}</td>
          <td data-label="Last answer">
            {node.lastStatusCode ? `HTTP ${node.lastStatusCode}` : (node.lastError ?? '—')}
          </td>
          <td data-label="Next attempt">{node.nextAttemptAt ? formatDateTime(node.nextAttemptAt) : '—'}</td>
        </tr>
      ))}
      {onMore && connection.pageInfo.hasNextPage && connection.pageInfo.endCursor && (
        <tr>
          <td colSpan={7}>
            <button
              type="button"
              className="button button--ghost button--small"
              onClick={() => onMore(connection.pageInfo.endCursor!)}
            >
              Older deliveries
            </button>
          </td>
        </tr>
      )}
    </tbody>
  );
}
