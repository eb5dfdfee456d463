// A urql client for component tests: queries answered from fixtures by operation name, every
// mutation recorded (and answered if a fixture exists; a fixture returning a CombinedError answers
// with that error), subscriptions fed by hand.
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { CombinedError, type Client, type Operation, type OperationResult } from 'urql';
import { fromValue, makeSubject, never, type Subject } from 'wonka';

export type Fixture = (variables: Record<string, unknown>) => unknown;

export interface MockClient {
  client: Client;
  /** Every mutation executed, in order. */
  mutations: { name: string; variables: Record<string, unknown> }[];
  /** Pushes data to the subscription of that operation name. */
  push(name: string, data: unknown): void;
}

export function operationName(query: DocumentNode): string {
  const definition = query.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  return definition?.name?.value ?? '';
}

export function mockClient(fixtures: Record<string, Fixture>): MockClient {
  const mutations: MockClient['mutations'] = [];
  const subjects = new Map<string, Subject<OperationResult>>();
  const subscriptionOps = new Map<string, Operation>();

  const answer = (operation: Operation) => {
    const fixture = fixtures[operationName(operation.query)];
    if (!fixture) return never;
    const answer = fixture(operation.variables as Record<string, unknown>);
    return fromValue({
      operation,
      ...(answer instanceof CombinedError ? { error: answer } : { data: answer }),
      stale: false,
      hasNext: false,
    } as OperationResult);
  };

  const client = {
    executeQuery: answer,
    executeMutation: (operation: Operation) => {
      mutations.push({
        name: operationName(operation.query),
        variables: operation.variables as Record<string, unknown>,
      });
      return answer(operation);
    },
    executeSubscription: (operation: Operation) => {
      const name = operationName(operation.query);
      const subject = makeSubject<OperationResult>();
      subjects.set(name, subject);
      subscriptionOps.set(name, operation);
      return subject.source;
    },
  } as unknown as Client;

  return {
    client,
    mutations,
    push(name, data) {
      const subject = subjects.get(name);
      const operation = subscriptionOps.get(name);
      if (!subject || !operation) throw new Error(`no subscription ${name}`);
      subject.next({ operation, data, stale: false, hasNext: true } as OperationResult);
    },
  };
}
