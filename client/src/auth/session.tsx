// Who the app speaks for, and the urql client bound to that token. Every identity change (sign in,
// sign out, staff view started or ended, token refused by the server) swaps the client and remounts
// everything below, so no data fetched with one token is ever shown under another.
import {
  createContext,
  Fragment,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { Provider } from 'urql';
import { createApiClient, type AuthLoss } from '../client.ts';
import { graphql } from '../gql/gql.ts';
import type { ImpersonationState } from '../gql/graphql.ts';
import { navigate } from '../router.tsx';
import { tokenStore, type AccountToken } from './tokenStore.ts';

const SignOutMutation = graphql(`
  mutation SignOut {
    signOut
  }
`);

export type Session =
  | { kind: 'ANONYMOUS' }
  | { kind: 'CUSTOMER'; token: string }
  | { kind: 'STAFF'; token: string }
  | {
      kind: 'IMPERSONATION';
      token: string;
      staffToken: string;
      sessionId: string;
      /** The view's scope as started; unknown (a token kept before scopes) until its first page. */
      scope?: readonly string[];
    };

/** How a staff view ended, as far as the portal learned it; the admin app then reads the record. */
export interface StaffViewEnding {
  sessionId: string;
  /** Null when the end was only seen as a refused token. */
  state: ImpersonationState | null;
  reason: string | null;
}

export interface SessionApi {
  session: Session;
  /** The staff view that just ended, for the admin app to explain. */
  ending: StaffViewEnding | null;
  /** Why the last sign-in token stopped working, for the sign-in page. */
  signedOutBecause: string | null;
  signIn(account: AccountToken): void;
  signOut(): void;
  startStaffView(token: string, sessionId: string, scope?: readonly string[]): void;
  endStaffView(ending: StaffViewEnding): void;
  /** The staff member pressed End: an end seen first as a closed socket or refused token is theirs. */
  endingOwnStaffView(sessionId: string | null): void;
  dismissEnding(): void;
}

/** Exported for tests, which provide a fake session. */
export const SessionContext = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession outside <SessionProvider>');
  return api;
}

function initialSession(): Session {
  const account = tokenStore.account();
  const impersonation = tokenStore.impersonation();
  if (!account) {
    tokenStore.clearImpersonation();
    return { kind: 'ANONYMOUS' };
  }
  if (account.kind === 'STAFF' && impersonation) {
    return {
      kind: 'IMPERSONATION',
      token: impersonation.token,
      staffToken: account.token,
      sessionId: impersonation.sessionId,
      scope: Array.isArray(impersonation.scope)
        ? impersonation.scope.filter((s): s is string => typeof s === 'string')
        : undefined,
    };
  }
  tokenStore.clearImpersonation();
  return { kind: account.kind, token: account.token };
}

const tokenOf = (session: Session) => (session.kind === 'ANONYMOUS' ? null : session.token);

export function SessionProvider({ children, origin }: { children: ReactNode; origin?: string }) {
  const [session, setSession] = useState<Session>(initialSession);
  const [ending, setEnding] = useState<StaffViewEnding | null>(null);
  const [signedOutBecause, setSignedOutBecause] = useState<string | null>(null);
  const sessionRef = useRef(session);
  sessionRef.current = session;
  // The view whose End the staff member pressed: the server may close its socket (a refused token,
  // no state) before the End's own answer arrives, and that end is still theirs, not a forced one.
  const ownEnd = useRef<string | null>(null);

  const endStaffView = useCallback((end: StaffViewEnding) => {
    const current = sessionRef.current;
    if (current.kind !== 'IMPERSONATION' || current.sessionId !== end.sessionId) return;
    tokenStore.clearImpersonation();
    sessionRef.current = { kind: 'STAFF', token: current.staffToken };
    setSession(sessionRef.current);
    setEnding(end.state === null && ownEnd.current === end.sessionId ? { ...end, state: 'ENDED' } : end);
    ownEnd.current = null;
    navigate('/admin/customers');
  }, []);

  const dropAccount = useCallback((message: string | null) => {
    tokenStore.clearAccount();
    tokenStore.clearImpersonation();
    sessionRef.current = { kind: 'ANONYMOUS' };
    setSession(sessionRef.current);
    setEnding(null);
    setSignedOutBecause(message);
  }, []);

  /** The server refused `token`: act only if it is still the token in use. */
  const authLost = useCallback(
    (token: string, loss: AuthLoss) => {
      const current = sessionRef.current;
      if (tokenOf(current) !== token) return;
      if (current.kind === 'IMPERSONATION')
        endStaffView({ sessionId: current.sessionId, state: null, reason: loss.message });
      else dropAccount(`You were signed out: ${loss.message}.`);
    },
    [endStaffView, dropAccount],
  );

  const token = tokenOf(session);
  const api = useMemo(
    () => createApiClient({ token, origin, onAuthLost: (loss) => token && authLost(token, loss) }),
    [token, origin, authLost],
  );
  useEffect(() => () => api.dispose(), [api]);

  const value = useMemo<SessionApi>(
    () => ({
      session,
      ending,
      signedOutBecause,
      signIn(account) {
        tokenStore.saveAccount(account);
        tokenStore.clearImpersonation();
        setSignedOutBecause(null);
        setEnding(null);
        sessionRef.current = { kind: account.kind, token: account.token };
        setSession(sessionRef.current);
      },
      signOut() {
        void api.client.mutation(SignOutMutation, {}).toPromise();
        dropAccount(null);
        navigate('/');
      },
      startStaffView(impersonationToken, sessionId, scope) {
        const current = sessionRef.current;
        if (current.kind !== 'STAFF') return;
        tokenStore.saveImpersonation({ token: impersonationToken, sessionId, scope: scope ? [...scope] : undefined });
        setEnding(null);
        sessionRef.current = {
          kind: 'IMPERSONATION',
          token: impersonationToken,
          staffToken: current.token,
          sessionId,
          scope,
        };
        setSession(sessionRef.current);
        navigate('/');
      },
      endStaffView,
      endingOwnStaffView(sessionId) {
        ownEnd.current = sessionId;
      },
      dismissEnding: () => setEnding(null),
    }),
    [session, ending, signedOutBecause, api, dropAccount, endStaffView],
  );

  return (
    <SessionContext.Provider value={value}>
      <Provider value={api.client}>
        <Fragment key={token ?? 'anonymous'}>{children}</Fragment>
      </Provider>
    </SessionContext.Provider>
  );
}
