// The app's urql client, one per bearer token. A new client for every identity change means no
// cached portal data can outlive the token that fetched it.
//
// Exchanges, in order:
//   1. cacheExchange         document cache; mutations invalidate queries by __typename
//   2. mapExchange           error mapping: UNAUTHENTICATED anywhere means the token is gone
//   2b. stepUpExchange       STEP_UP_REQUIRED: the admin app's password dialog, `stepUp`, then the
//                            operation once more (stepUp.ts)
//   3. persistedExchange     persisted operations: the hash codegen embedded in each document
//                            (`__meta__.hash`) goes as extensions.persistedQuery.sha256Hash, without
//                            the query; in production the server runs nothing else. A development
//                            build falls back to the query text when the server does not know the hash
//                            (documents newer than client/src/gql/persisted-documents.json)
//   4. fetchExchange         queries and mutations over HTTP, `Authorization: Bearer <token>`
//   5. subscriptionExchange  subscriptions over graphql-ws on the same path, the token in
//                            connectionParams.authorization, the hash as over HTTP
// The token is fixed for the life of a client, so the auth step is the fetch options and the
// connection params rather than an exchange that refreshes.
import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange, type CombinedError } from 'urql';
import { persistedExchange } from '@urql/exchange-persisted';
import { CloseCode, createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import type { DocumentNode } from 'graphql';
import { stepUpExchange } from './stepUp.ts';

export const GRAPHQL_PATH = '/graphql';

/** Why a token stopped working, as far as the transport can tell. */
export interface AuthLoss {
  source: 'http' | 'socket';
  message: string;
}

export interface ApiClientOptions {
  /** Bearer token, or null for an anonymous client (sign-in page). */
  token: string | null;
  /** Called when the server says this token no longer authenticates (never for anonymous clients). */
  onAuthLost?: (loss: AuthLoss) => void;
  /** Base URL of the page; tests pass one, the browser uses its location. */
  origin?: string;
}

export interface ApiClient {
  client: Client;
  /** Closes the WebSocket, if one was opened. */
  dispose(): void;
}

/** The server closes a socket with these when the token is unknown, revoked or its session ended. */
const AUTH_CLOSE_CODES: readonly number[] = [CloseCode.Unauthorized, CloseCode.Forbidden];

export function isAuthClose(event: unknown): event is CloseEvent {
  return (
    typeof event === 'object' &&
    event !== null &&
    'code' in event &&
    AUTH_CLOSE_CODES.includes((event as CloseEvent).code)
  );
}

/**
 * graphql-ws retries after 4403 by default; reconnecting with a refused token would only bring the
 * socket back for the server to close again, so 4401 and 4403 are final.
 */
export function shouldRetryClose(event: unknown): boolean {
  return !isAuthClose(event);
}

/**
 * The hash GraphQL Code Generator embedded in a generated document; none for a document written
 * by hand (`gql`), which is then sent as text.
 */
export async function persistedHash(_query: string, document: DocumentNode): Promise<string | undefined> {
  return (document as DocumentNode & { __meta__?: { hash?: string } }).__meta__?.hash;
}

export function isUnauthenticated(error: CombinedError | undefined): boolean {
  return Boolean(error?.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED'));
}

export function createApiClient({ token, onAuthLost, origin = window.location.origin }: ApiClientOptions): ApiClient {
  const reportLoss = (loss: AuthLoss) => {
    if (token) onAuthLost?.(loss);
  };
  const authorization = token ? `Bearer ${token}` : undefined;
  let ws: WsClient | null = null;
  const socket = () => {
    ws ??= createWsClient({
      url: `${origin.replace(/^http/, 'ws')}${GRAPHQL_PATH}`,
      connectionParams: authorization ? { authorization } : {},
      shouldRetry: shouldRetryClose,
      retryAttempts: 8,
      on: {
        closed: (event) => {
          if (isAuthClose(event)) reportLoss({ source: 'socket', message: event.reason || 'Session ended' });
        },
      },
    });
    return ws;
  };

  const client = new Client({
    url: `${origin}${GRAPHQL_PATH}`,
    fetchOptions: (): RequestInit => (authorization ? { headers: { authorization } } : {}),
    // POST only: variables (searches, card numbers being added) stay out of URLs and access logs.
    preferGetMethod: false,
    exchanges: [
      cacheExchange,
      mapExchange({
        onError(error) {
          if (!isUnauthenticated(error)) return;
          const message =
            error.graphQLErrors.find((e) => e.extensions?.code === 'UNAUTHENTICATED')?.message ?? 'Signed out';
          reportLoss({ source: 'http', message });
        },
      }),
      stepUpExchange,
      persistedExchange({
        generateHash: persistedHash,
        enforcePersistedQueries: !import.meta.env.DEV,
        enableForMutation: true,
        enableForSubscriptions: true,
        // POST, as every operation (below).
        preferGetForPersistedQueries: false,
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = socket().subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    dispose: () => {
      void ws?.dispose();
      ws = null;
    },
  };
}
