// Who is asking, for every transport and route: the only reader of `Authorization` (HTTP) and
// `connectionParams.authorization` (graphql-ws), and the only place a token becomes an identity: once
// per graphql-ws connection (`authenticateConnection`), once per operation (`identityOf`, shared by
// the plugin, the audit's refusal records and the export route), and again before a live feed pushes
// (`currentIdentity`). Against the database, so a sign-in or session that ended is refused on the
// very next operation, even on a socket opened before the end. A refused token is not downgraded to
// anonymous: the operation stops with UNAUTHENTICATED (HTTP 401), and the audit plugin, which
// runs first, records it when the token belonged to an impersonation session. The exceptions:
// a staff view's or a customer's query may take its identity from the in-process cache
// (identity-cache.ts): every staff view's query is confirmed live by its own audit append
// (audit/use-audit.ts), and a customer's waits for the revocation fence (revocation-fence.ts).
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { AttemptWriter } from '../audit/attempts.ts';
import type { Context, RequestInfo, Services } from '../context.ts';
import { serviceUnavailable } from '../errors.ts';
import type { IdentityCache } from './identity-cache.ts';
import type { RevocationFence } from './revocation-fence.ts';
import { anonymous, isManager, resolveIdentity, TokenRefused, type Identity } from './identity.ts';
import { bearerToken } from './tokens.ts';

/** Where a transport carries the token: a Fetch request (HTTP) or graphql-ws connection params. */
export interface TokenSource {
  request?: { headers: Headers };
  connectionParams?: Record<string, unknown> | null;
}

/** The bearer token presented, if any: the HTTP header wins, then `connectionParams.authorization`. */
export function presentedToken(source: TokenSource): string | null {
  const authorization = source.request?.headers.get('authorization') ?? source.connectionParams?.authorization;
  return bearerToken(typeof authorization === 'string' ? authorization : null);
}

/** An identity, or the refusal of the token presented. */
export type IdentityResult = Identity & { tokenRefusal: TokenRefused | null };

/**
 * The identity a presented token stands for, or `tokenRefusal` when it no longer authenticates.
 * When the database cannot answer, throws SERVICE_UNAVAILABLE: nobody is authenticated, nothing is
 * served, and no driver message reaches the client.
 */
async function identityOfToken(
  services: Pick<Services, 'prisma' | 'clock'>,
  source: TokenSource,
): Promise<IdentityResult> {
  const token = presentedToken(source);
  if (!token) return { ...anonymous, tokenRefusal: null };
  try {
    return { ...(await resolveIdentity(services.prisma, token, services.clock.now())), tokenRefusal: null };
  } catch (error) {
    if (error instanceof TokenRefused) return { ...anonymous, tokenRefusal: error };
    console.error(JSON.stringify({ level: 'error', event: 'identity.unavailable', error: String(error) }));
    throw serviceUnavailable();
  }
}

/** HTTP requests' identities, being resolved or resolved. */
const requestIdentities = new WeakMap<object, Promise<IdentityResult>>();

/**
 * The identity of one operation: over HTTP resolved once per request, whoever asks first (the plugin
 * building the context, the audit recording a refusal Yoga made before there was a context, the
 * export route). Over graphql-ws the transport builds each operation's context before anything else
 * asks, so there is nothing to share: each call resolves.
 */
export function identityOf(
  services: Pick<Services, 'prisma' | 'clock'>,
  source: TokenSource & object,
): Promise<IdentityResult> {
  const { request } = source;
  if (!request) return identityOfToken(services, source);
  let identity = requestIdentities.get(request);
  if (!identity) requestIdentities.set(request, (identity = identityOfToken(services, source)));
  return identity;
}

/**
 * A graphql-ws connection's identity at `connection_init`, or null when its token no longer
 * authenticates: the refusal is recorded when the token belonged to a staff view, and the socket
 * server closes the socket with 4403.
 */
export async function authenticateConnection(
  services: Pick<Services, 'prisma' | 'clock'>,
  attempts: AttemptWriter,
  connection: { connectionParams: Record<string, unknown> | null | undefined; request: RequestInfo },
): Promise<Identity | null> {
  const identity = await identityOfToken(services, { connectionParams: connection.connectionParams });
  if (!identity.tokenRefusal) return identity;
  await attempts.recordRefusedConnection({ ...connection.request, ...identity });
  return null;
}

/**
 * The identity of an operation's token, resolved again now, or null when that token no longer
 * authenticates or now speaks for another sign-in. Long-lived subscriptions ask it before pushing.
 */
export async function currentIdentity(context: Context): Promise<Identity | null> {
  const identity = await identityOfToken(context, context as Context & TokenSource);
  if (identity.tokenRefusal || identity.authSession?.id !== context.authSession?.id) return null;
  return identity;
}

/** Whether a subscriber's sign-in still stands and still belongs to a manager: managers' feeds ask before each push. */
export async function isStillManager(context: Context): Promise<boolean> {
  const identity = await currentIdentity(context);
  return identity !== null && isManager(identity);
}

/** Options of {@link useIdentity}. */
export interface IdentityOptions {
  /**
   * Where staff views' query identities are cached; the audit plugin must be given the same cache.
   * @default no cache: every operation resolves its identity from the database
   */
  cache?: IdentityCache;
  /**
   * The fence a cached customer identity waits behind; without one, customers are never cached.
   * @default none
   */
  fence?: RevocationFence;
}

/**
 * Adds the caller's identity to the context and stops any operation whose token was refused.
 * Register it after the audit plugin, so that refusals are recorded.
 */
export function useIdentity(
  services: Pick<Services, 'prisma' | 'clock'>,
  options: IdentityOptions = {},
): Plugin<Context> {
  const { cache, fence } = options;
  /** Contexts whose operation is a query (the only operations that may use a cached identity). */
  const queries = new WeakSet<object>();
  const stopIfRefused = ({
    args,
    setResultAndStopExecution,
  }: {
    args: { contextValue: Context };
    setResultAndStopExecution: (result: { errors: TokenRefused[] }) => void;
  }) => {
    const refusal = args.contextValue.tokenRefusal;
    if (refusal) setResultAndStopExecution({ errors: [refusal] });
  };
  return {
    onParse({ context }) {
      if (!cache) return;
      return ({ result }) => {
        const operationName = (context as { params?: { operationName?: string | null } }).params?.operationName;
        if (
          !(result instanceof Error) &&
          result &&
          getOperationAST(result as DocumentNode, operationName)?.operation === 'query'
        )
          queries.add(context);
      };
    },
    async onContextBuilding({ context, extendContext }) {
      const token = cache && queries.has(context) ? presentedToken(context as TokenSource) : null;
      let cached = token ? cache!.get(token, services.clock.now()) : null;
      if (cached?.authSession?.kind === 'CUSTOMER') {
        // Every change committed before this request dropped its entries first.
        if (fence) await fence.sync();
        cached = fence ? cache!.get(token!, services.clock.now()) : null;
      }
      if (cached) {
        extendContext({ ...cached, tokenRefusal: null });
        return;
      }
      const epoch = fence?.seen() ?? null;
      const identity = await identityOf(services, context as TokenSource);
      if (token && !identity.tokenRefusal) {
        const customer = identity.authSession?.kind === 'CUSTOMER';
        // A customer's entry only when no fence read moved while she was read (it may have dropped
        // her entry before there was one); the first read is started here when there was none.
        if (!customer) cache!.remember(token, identity);
        else if (fence && epoch !== null && fence.seen() === epoch) cache!.remember(token, identity);
        else if (fence && epoch === null) void fence.sync().catch(() => undefined);
      }
      extendContext(identity);
    },
    onExecute: stopIfRefused,
    onSubscribe: stopIfRefused,
  };
}
