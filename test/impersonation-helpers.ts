// Shared steps of the impersonation tests: find a customer, start a session, subscribe.
import type { Client } from 'graphql-ws';
import type { TestApp } from './harness.ts';

export const REASON = 'Customer called about a billing question';

export async function customerId(app: TestApp, staffToken: string, email: string): Promise<string> {
  const result = await app.gql<{ customers: { id: string; email: string }[] }>(
    'query Customers($search: String) { customers(search: $search) { id email } }',
    { search: email },
    staffToken,
  );
  const found = result.data?.customers.find((customer) => customer.email === email);
  if (!found) throw new Error(`no customer ${email}: ${JSON.stringify(result.errors)}`);
  return found.id;
}

export const START = `mutation Start($customerId: ID!, $reason: String!) {
  startImpersonation(customerId: $customerId, reason: $reason, scope: { sections: [WHOLE_PORTAL], need: "Tests read every section of the portal" }) { token session { id expiresAt startedAt state remainingSeconds } }
}`;

export async function startSession(app: TestApp, staffToken: string, email = 'chloe@example.test', reason = REASON) {
  const result = await app.gql(START, { customerId: await customerId(app, staffToken, email), reason }, staffToken);
  if (!result.data?.startImpersonation) throw new Error(`start failed: ${JSON.stringify(result.errors)}`);
  return result.data.startImpersonation as {
    token: string;
    session: { id: string; expiresAt: string; startedAt: string };
  };
}

export interface Collected<T> {
  values: T[];
  errors: unknown[];
  done: Promise<void>;
  /** Resolves when `predicate` holds for a received value. */
  until(predicate: (value: T) => boolean, timeoutMs?: number): Promise<T>;
}

/** Subscribes and collects every value until the server completes or errors. */
export function collect<T>(client: Client, query: string): Collected<T> {
  const values: T[] = [];
  const errors: unknown[] = [];
  const waiters: { predicate: (value: T) => boolean; resolve: (value: T) => void }[] = [];
  const done = new Promise<void>((resolve) => {
    client.subscribe<T>(
      { query },
      {
        next: (message) => {
          if (message.errors) errors.push(...message.errors);
          if (!message.data) return;
          const value = message.data as T;
          values.push(value);
          for (const waiter of [...waiters]) {
            if (waiter.predicate(value)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(value);
            }
          }
        },
        error: (error) => {
          errors.push(error);
          resolve();
        },
        complete: () => resolve(),
      },
    );
  });
  return {
    values,
    errors,
    done,
    until(predicate, timeoutMs = 10_000) {
      const seen = values.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out; got ${JSON.stringify(values.slice(-3))} ${JSON.stringify(errors)}`)),
          timeoutMs,
        );
        waiters.push({ predicate, resolve: (value) => (clearTimeout(timer), resolve(value)) });
      });
    },
  };
}
