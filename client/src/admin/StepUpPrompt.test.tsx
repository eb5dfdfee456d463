// @vitest-environment jsdom
// The generic step-up against a scripted server, through a real urql client with the step-up
// exchange: any action refused with STEP_UP_REQUIRED opens the password dialog; a wrong password
// keeps it open with the server's words; the right one calls stepUp and the action is sent again,
// once; Cancel hands the refusal back. The audit export asks the same dialog.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Client, Provider, gql, makeResult, useMutation, type Exchange, type Operation } from 'urql';
import { filter, fromPromise, mergeMap, pipe } from 'wonka';
import { operationName } from '../testing/mockClient.ts';
import { stepUpExchange } from '../stepUp.ts';
import { ExportButtons } from './audit/ExportButtons.tsx';
import { StepUpPrompt } from './StepUpPrompt.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const refusal = (code: string, reason?: string) => ({
  data: null,
  errors: [{ message: `refused: ${code}`, extensions: reason ? { code, reason } : { code } }],
});

/** A server that refuses privileged operations until stepUp('right password') passed. */
function scriptedServer() {
  const sent: { name: string; variables: Record<string, unknown> }[] = [];
  let steppedUp = false;
  const answer = (operation: Operation) => {
    const name = operationName(operation.query);
    const variables = operation.variables as Record<string, unknown>;
    sent.push({ name, variables });
    if (name === 'StepUp') {
      if (variables.password !== 'right password') return refusal('STEP_UP_REQUIRED', 'INVALID_CREDENTIALS');
      steppedUp = true;
      return { data: { stepUp: { __typename: 'StepUp', validUntil: '2030-01-01T00:00:00.000Z' } } };
    }
    if (!steppedUp) return refusal('STEP_UP_REQUIRED');
    return { data: { setCustomerProtected: { __typename: 'CustomerDirectoryEntry', id: 'c1', protected: true } } };
  };
  const exchange: Exchange = () => (operations$) =>
    pipe(
      operations$,
      filter((operation) => operation.kind !== 'teardown'),
      mergeMap((operation) => fromPromise(Promise.resolve(makeResult(operation, answer(operation))))),
    );
  const client = new Client({ url: 'http://test/graphql', exchanges: [stepUpExchange, exchange] });
  return { client, sent };
}

const Protect = gql`
  mutation Protect($id: ID!) {
    setCustomerProtected(customerId: $id, protected: true) {
      id
      protected
    }
  }
`;
const StartWithPassword = gql`
  mutation StartWithPassword($id: ID!, $password: String) {
    setCustomerProtected(customerId: $id, protected: true) {
      id
    }
  }
`;

function ProtectButton({ document }: { document: typeof Protect }) {
  const [result, run] = useMutation(document);
  return (
    <>
      <button type="button" onClick={() => void run({ id: 'c1' })}>
        Protect
      </button>
      {result.data && <p>Protected</p>}
      {result.error && <p role="alert">{result.error.graphQLErrors[0]?.extensions?.code as string}</p>}
    </>
  );
}

function renderWith(children: React.ReactNode) {
  const server = scriptedServer();
  render(
    <Provider value={server.client}>
      {children}
      <StepUpPrompt />
    </Provider>,
  );
  return server;
}

const typePassword = async (value: string) => {
  fireEvent.change(await screen.findByTestId('step-up-password'), { target: { value } });
  await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Continue' })));
};

describe('Step-up prompt', () => {
  it('asks for the password on STEP_UP_REQUIRED, steps up, and sends the action again once', async () => {
    const server = renderWith(<ProtectButton document={Protect} />);
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Protect' })));
    expect(await screen.findByTestId('step-up-dialog')).toBeTruthy();
    await typePassword('wrong');
    expect(screen.getByTestId('step-up-dialog').textContent).toContain('refused: STEP_UP_REQUIRED');
    await typePassword('right password');
    await screen.findByText('Protected');
    expect(screen.queryByTestId('step-up-dialog')).toBeNull();
    expect(server.sent.map((op) => op.name)).toEqual(['Protect', 'StepUp', 'StepUp', 'Protect']);
  });

  it('hands the refusal back when the manager cancels, and sends nothing more', async () => {
    const server = renderWith(<ProtectButton document={Protect} />);
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Protect' })));
    await screen.findByTestId('step-up-dialog');
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Cancel' })));
    expect((await screen.findByRole('alert')).textContent).toBe('STEP_UP_REQUIRED');
    expect(server.sent.map((op) => op.name)).toEqual(['Protect']);
  });

  it('leaves an action that takes its own password to its own form', async () => {
    const server = renderWith(<ProtectButton document={StartWithPassword} />);
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Protect' })));
    expect((await screen.findByRole('alert')).textContent).toBe('STEP_UP_REQUIRED');
    expect(screen.queryByTestId('step-up-dialog')).toBeNull();
    expect(server.sent.map((op) => op.name)).toEqual(['StartWithPassword']);
  });

  it('asks before the audit export is tried again after 403 STEP_UP_REQUIRED', async () => {
    const refused = () =>
      new Response(JSON.stringify({ error: 'Enter your password again', code: 'STEP_UP_REQUIRED' }), { status: 403 });
    const fetchMock = vi.fn(async () => (fetchMock.mock.calls.length === 1 ? refused() : new Response('id\r\n')));
    vi.stubGlobal('fetch', fetchMock);
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    const server = renderWith(<ExportButtons applied={{} as never} />);
    await act(async () => void fireEvent.click(screen.getByRole('button', { name: 'Export CSV' })));
    await typePassword('right password');
    await waitFor(() => expect(URL.createObjectURL).toHaveBeenCalled());
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(server.sent.map((op) => op.name)).toEqual(['StepUp']);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
