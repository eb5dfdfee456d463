// The per-request context: built once from the bearer token (HTTP header or graphql-ws
// connectionParams), read by every resolver, scope and plugin downstream.
import type { PrismaClient } from '@prisma/client';
import type pg from 'pg';
import type { AuditSigning } from './audit/checkpoints.ts';
import type { Config } from './config.ts';
import type { Clock } from './db/clock.ts';
import type { AuditTrace } from './audit/trace.ts';
import type { Identity, TokenRefused } from './auth/identity.ts';
import type { ImpersonationLimits } from './impersonation/policy.ts';
import type { AppPubSub } from './pubsub.ts';

/** What the app shares between requests. */
export interface Services {
  prisma: PrismaClient;
  pool: pg.Pool;
  pubsub: AppPubSub;
  clock: Clock;
  config: Config;
  limits: ImpersonationLimits;
  /** The key that signs audit checkpoints (kept outside the database) and the checkpoint file. */
  auditSigning: AuditSigning;
}

/** Where a request came from, for the audit. */
export interface RequestInfo {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

/** What every resolver, scope and plugin reads; built once per operation (identity: auth/use-identity.ts). */
export interface Context extends Services, RequestInfo, Identity {
  /** The presented token no longer authenticates; the operation is refused (and audited if it was a staff view). */
  tokenRefusal: TokenRefused | null;
  /** What this operation saw and the notes its resolvers leave (set by the audit plugin). */
  auditTrace?: AuditTrace;
  /** The Fetch request (HTTP only). */
  request?: Request;
}
