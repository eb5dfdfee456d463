// Step-up in one place for every operation (issue 21): when the server refuses a query or mutation
// with STEP_UP_REQUIRED (a privileged action on a sign-in older than STEP_UP_MINUTES), the exchange
// asks the prompt registered here (the admin app's password dialog, admin/StepUpPrompt.tsx), which
// calls `stepUp`; then the operation is sent again, once. Without a prompt, or when it is cancelled,
// the refusal goes through as it came. An operation that declares its own `$password` (a start with
// its password field, `stepUp` itself) handles the answer itself and is never retried here.
import type { OperationDefinitionNode } from 'graphql';
import { makeOperation, type Exchange, type Operation, type OperationResult } from 'urql';
import { empty, fromPromise, fromValue, makeSubject, merge, mergeMap, pipe, share } from 'wonka';

/** Asks for the password and steps up; true once the server accepted it, false when given up. */
export type StepUpPrompt = () => Promise<boolean>;

let prompt: StepUpPrompt | null = null;
let asking: Promise<boolean> | null = null;

/** Registers the prompt (one at a time); returns what unregisters it. */
export function setStepUpPrompt(next: StepUpPrompt): () => void {
  prompt = next;
  return () => {
    if (prompt === next) prompt = null;
  };
}

/** Asks the registered prompt, once for all refusals arriving meanwhile; false without a prompt. */
export function askStepUp(): Promise<boolean> {
  if (!prompt) return Promise.resolve(false);
  asking ??= prompt().finally(() => (asking = null));
  return asking;
}

/** Whether a result is the server's "give your password again" (not a wrong password). */
export function stepUpRequired(result: Pick<OperationResult, 'error'>): boolean {
  return Boolean(
    result.error?.graphQLErrors.some((e) => e.extensions?.code === 'STEP_UP_REQUIRED' && !e.extensions?.reason),
  );
}

function declaresPassword(operation: Operation): boolean {
  return operation.query.definitions.some(
    (d) =>
      d.kind === 'OperationDefinition' &&
      (d as OperationDefinitionNode).variableDefinitions?.some((v) => v.variable.name.value === 'password'),
  );
}

/** The exchange: asks for a step-up on STEP_UP_REQUIRED and sends the operation again, once. */
export const stepUpExchange: Exchange =
  ({ forward }) =>
  (operations$) => {
    const retries = makeSubject<Operation>();
    const retried = new WeakSet<Operation>();
    const results$ = pipe(merge([operations$, retries.source]), forward, share);
    return pipe(
      results$,
      mergeMap((result) => {
        const { operation } = result;
        const askable =
          (operation.kind === 'mutation' || operation.kind === 'query') &&
          stepUpRequired(result) &&
          !retried.has(operation) &&
          !declaresPassword(operation);
        if (!askable) return fromValue(result);
        return pipe(
          fromPromise(askStepUp()),
          mergeMap((steppedUp) => {
            if (!steppedUp) return fromValue(result);
            const again = makeOperation(operation.kind, operation, {
              ...operation.context,
              requestPolicy: 'network-only',
            });
            retried.add(again);
            retries.next(again);
            return empty;
          }),
        );
      }),
    );
  };
