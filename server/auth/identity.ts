// Turns a bearer token into who is asking: a customer, a staff member, or a staff member
// impersonating a customer. Every check that can end access is made here, once per request or
// socket: revoked or expired token, disabled customer, deactivated staff, ended session.
import type { AuthSession, Customer, ImpersonationSession, Prisma, PrismaClient, Staff } from '@prisma/client';
import { GraphQLError } from 'graphql';
import { ErrorCode, ErrorReason } from '../errors.ts';
import { isLive, mayImpersonate } from '../impersonation/policy.ts';
import { hashToken, newToken } from './tokens.ts';

/** A staff member as an identity holds them: never their password hash. */
export type IdentityStaff = Omit<Staff, 'passwordHash'>;

/** A customer as an identity holds them: never their password hash. */
export type IdentityCustomer = Omit<Customer, 'passwordHash'>;

/**
 * Who a request speaks for; every field null for an anonymous caller. Password hashes are left in
 * the database: an identity lives in every request's context, every socket's subscriptions and the
 * identity cache, and whoever checks a password reads its hash then (step-up, changePassword).
 */
export interface Identity {
  authSession: AuthSession | null;
  /** The staff member acting: signed in as staff, or impersonating. */
  actor: IdentityStaff | null;
  /** The customer whose portal is served: the customer signed in, or the impersonated one. */
  customer: IdentityCustomer | null;
  impersonation: ImpersonationSession | null;
}

const withoutPasswordHash = { omit: { passwordHash: true } } as const;

/**
 * A manager signed in as themselves (not impersonating): who may start staff views, watch them and
 * administer the salon. The one answer to "is this a manager", asked by the `manager` scope, the
 * managers' live feeds and the audit export route.
 */
export function isManager(identity: Pick<Identity, 'actor' | 'impersonation'>): boolean {
  return identity.actor !== null && identity.impersonation === null && mayImpersonate(identity.actor);
}

/** The identity of a request without a token. */
export const anonymous: Identity = { authSession: null, actor: null, customer: null, impersonation: null };

/** Stores a new sign-in (its token's hash only), in a transaction when given one, and returns the token, shown once. */
export async function createAuthSession(
  prisma: Pick<Prisma.TransactionClient, 'authSession'>,
  data: Pick<AuthSession, 'kind' | 'expiresAt'> &
    Partial<Pick<AuthSession, 'customerId' | 'staffId' | 'impersonationSessionId' | 'createdAt'>>,
): Promise<{ token: string; authSession: AuthSession }> {
  const { token, tokenHash } = newToken();
  const authSession = await prisma.authSession.create({ data: { ...data, tokenHash } });
  return { token, authSession };
}

/**
 * A presented token that no longer authenticates. For an impersonation token it names the
 * session (server-side only, never serialized) so the refusal can be audited.
 */
export class TokenRefused extends GraphQLError {
  constructor(
    message: string,
    readonly impersonation: Pick<ImpersonationSession, 'id' | 'staffId' | 'customerId'> | null,
  ) {
    // `http.status` makes Yoga answer 401 (and is not sent in the body).
    super(message, {
      extensions: { code: ErrorCode.Unauthenticated, reason: ErrorReason.SessionEnded, http: { status: 401 } },
    });
  }
}

/**
 * Resolves a presented token. A token that is unknown, revoked, expired, or whose people or
 * impersonation session no longer allow access is refused with UNAUTHENTICATED, never
 * downgraded to anonymous: a client must know its session is gone.
 */
export async function resolveIdentity(prisma: PrismaClient, token: string, now: Date): Promise<Identity> {
  const authSession = await prisma.authSession.findUnique({
    where: { tokenHash: hashToken(token) },
    include: {
      customer: withoutPasswordHash,
      staff: withoutPasswordHash,
      impersonationSession: { include: { customer: withoutPasswordHash, staff: withoutPasswordHash } },
    },
  });
  const ended = (message: string) => new TokenRefused(message, authSession?.impersonationSession ?? null);
  if (!authSession || authSession.revokedAt || authSession.expiresAt <= now)
    throw ended('Session expired or signed out');
  const { customer, staff, impersonationSession, ...session } = authSession;
  switch (session.kind) {
    case 'CUSTOMER':
      if (!customer || customer.status !== 'ACTIVE') throw ended('Account disabled');
      return { authSession: session, actor: null, customer, impersonation: null };
    case 'STAFF':
      if (!staff?.active) throw ended('Staff account deactivated');
      return { authSession: session, actor: staff, customer: null, impersonation: null };
    case 'IMPERSONATION': {
      if (!impersonationSession) throw ended('Impersonation session not found');
      const { customer: subject, staff: actor, ...impersonation } = impersonationSession;
      if (!isLive(impersonation, now)) throw ended('Impersonation session has ended');
      if (!isLive(impersonation, now, { actor, subject })) throw ended('Impersonation session is no longer allowed');
      return { authSession: session, actor, customer: subject, impersonation };
    }
  }
}
