// In-process cache of identities, so that a page costs no identity statement. Two kinds, each with
// the rule that makes it safe:
// - Staff views (issue 13): a cached identity is used only for a query whose audit record is
//   appended with a live sign-in to confirm (audit/group-commit.ts), which confirms in the same
//   statement, at the database's now(), that the sign-in and its session are still live, and writes
//   nothing otherwise; the operation is then refused (401) with nothing served, and the entry
//   dropped (audit/use-audit.ts).
// - Customers (issue 26): no audit append confirms their requests, so a cached customer identity is
//   used only after the revocation fence (revocation-fence.ts) has read every change to sign-ins and
//   customers committed before the request arrived, dropping the entries they touch.
// So an ended, expired or revoked sign-in is refused on the very next request on every instance,
// cached or not. Staff members' own sign-ins are never cached.
import { LRUCache } from 'lru-cache';
import { isLive } from '../impersonation/policy.ts';
import type { Identity } from './identity.ts';
import { hashToken } from './tokens.ts';

/** At most this many staff views are cached per process (least recently used go first). */
export const IDENTITY_CACHE_MAX = 10_000;
/** An entry is resolved again from the database after this long (it then picks up an extension). */
export const IDENTITY_CACHE_TTL_MS = 60_000;

/** The cache of one app instance (created in yoga.ts, shared by useIdentity and useAudit). */
export interface IdentityCache {
  /** The cached identity of a token, if it is still live by its own times at `now`. */
  get(token: string, now: Date): Identity | null;
  /** Caches an identity, only when it is a staff view's or a customer's. */
  remember(token: string, identity: Identity): void;
  /** Drops every entry of a sign-in (its staff view was found ended, or it changed). */
  forget(authSessionId: string): void;
  /** Drops every entry of a customer signed in as herself (her row changed). */
  forgetCustomer(customerId: string): void;
  /** Drops every entry of customers signed in as themselves. */
  forgetAllCustomers(): void;
  /** Drops every entry of a staff view that changed (extended, ended): the next request reads it again. */
  forgetSession(sessionId: string): void;
}

/** A bounded LRU with a short TTL. */
export function createIdentityCache(options: { max?: number; ttlMs?: number } = {}): IdentityCache {
  const entries = new LRUCache<string, Identity>({
    max: options.max ?? IDENTITY_CACHE_MAX,
    ttl: options.ttlMs ?? IDENTITY_CACHE_TTL_MS,
  });
  return {
    get(token, now) {
      const key = hashToken(token);
      const identity = entries.get(key);
      if (!identity) return null;
      const { authSession, impersonation, actor, customer } = identity;
      // Past its own expiry by this instance's clock: resolved again (an extension is read then).
      if (
        !authSession ||
        authSession.expiresAt <= now ||
        (authSession.kind === 'CUSTOMER'
          ? customer?.status !== 'ACTIVE'
          : !impersonation || !isLive(impersonation, now, { actor: actor!, subject: customer! }))
      ) {
        entries.delete(key);
        return null;
      }
      return identity;
    },
    remember(token, identity) {
      const kind = identity.authSession?.kind;
      if ((kind === 'IMPERSONATION' && identity.impersonation) || (kind === 'CUSTOMER' && identity.customer)) {
        entries.set(hashToken(token), identity);
      }
    },
    forget(authSessionId) {
      for (const [key, identity] of entries.entries()) {
        if (identity.authSession?.id === authSessionId) entries.delete(key);
      }
    },
    forgetCustomer(customerId) {
      for (const [key, identity] of entries.entries()) {
        if (identity.authSession?.kind === 'CUSTOMER' && identity.customer?.id === customerId) entries.delete(key);
      }
    },
    forgetAllCustomers() {
      for (const [key, identity] of entries.entries()) {
        if (identity.authSession?.kind === 'CUSTOMER') entries.delete(key);
      }
    },
    forgetSession(sessionId) {
      for (const [key, identity] of entries.entries()) {
        if (identity.impersonation?.id === sessionId) entries.delete(key);
      }
    },
  };
}
