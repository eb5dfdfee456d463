// Messages: the customer's one conversation with the salon.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql/gql.ts';
import { MaskedValue } from '../impersonation/MaskedValue.tsx';
import { usePortalPageQuery } from './pageQuery.tsx';
import { formatDateTime } from '../format.ts';
import { MutatingButton, MutatingFieldset } from '../impersonation/readOnly.tsx';
import { EmptyState, FormError, QueryState } from '../ui/feedback.tsx';
import { CharCount, Field } from '../ui/Field.tsx';
import { PageHeader } from '../ui/PageHeader.tsx';

const MESSAGE_MAX = 2000;

const MessagesPageQuery = graphql(`
  query MessagesPage($staffView: Boolean!) {
    ...PortalChrome
    me {
      id
      messages {
        id
        body
        sender
        sentAt
        staffName
        staffViewMasked
      }
    }
  }
`);

const SendMessageMutation = graphql(`
  mutation SendMessage($body: String!) {
    sendMessage(body: $body) {
      id
      body
      sender
      sentAt
      staffName
    }
  }
`);

const MESSAGE_TYPES = { additionalTypenames: ['Message'] };

export function MessagesPage() {
  const [result, refetch] = usePortalPageQuery(MessagesPageQuery, MESSAGE_TYPES);
  const [body, setBody] = useState('');
  const [sent, send] = useMutation(SendMessageMutation);
  const end = useRef<HTMLDivElement>(null);
  const count = result.data?.me.messages.length ?? 0;

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [count]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await send({ body }, MESSAGE_TYPES);
    if (outcome.data) setBody('');
  };

  return (
    <>
      <PageHeader
        title="Messages"
        subtitle="Questions about a visit, your pet or a bill? We usually reply within a few hours."
      />
      <QueryState result={result} retry={() => refetch({ requestPolicy: 'network-only' })}>
        {({ me }) => (
          <section className="card conversation" aria-label="Conversation with the salon">
            {/* Focusable, so the thread scrolls with the keyboard too. */}
            <div className="thread" role="log" aria-live="polite" aria-label="Messages" tabIndex={0}>
              {me.messages.length === 0 ? (
                <EmptyState title="No messages yet">Say hello! Our team reads every message.</EmptyState>
              ) : (
                me.messages.map((m) => (
                  <div key={m.id} className={m.sender === 'CUSTOMER' ? 'bubble bubble--mine' : 'bubble'}>
                    <p className="bubble__meta">
                      {m.sender === 'CUSTOMER' ? 'You' : (m.staffName ?? 'Tidy Tails')} · {formatDateTime(m.sentAt)}
                    </p>
                    <p className="bubble__body">
                      <MaskedValue record={m} field="MESSAGE_BODY" type="Message" what="This message">
                        {m.body}
                      </MaskedValue>
                    </p>
                  </div>
                ))
              )}
              <div ref={end} />
            </div>
            <form className="composer" onSubmit={(event) => void submit(event)}>
              <MutatingFieldset>
                <Field label="Your message" hint={<CharCount value={body} max={MESSAGE_MAX} />}>
                  <textarea
                    className="input"
                    rows={3}
                    maxLength={MESSAGE_MAX}
                    value={body}
                    onChange={(e) => setBody(e.target.value)}
                  />
                </Field>
              </MutatingFieldset>
              <FormError error={sent.error} />
              <div className="form-actions">
                <MutatingButton
                  type="submit"
                  className="button button--primary"
                  disabled={sent.fetching || body.trim() === ''}
                >
                  {sent.fetching ? 'Sending…' : 'Send'}
                </MutatingButton>
              </div>
            </form>
          </section>
        )}
      </QueryState>
    </>
  );
}
