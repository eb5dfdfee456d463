// The per-request context: built once from the bearer token (HTTP header or graphql-ws
// connectionParams), read by every resolver, scope and plugin downstream.
import type { PrismaClient } from '@prisma/client';
import type pg from 'pg';
import type { Config, ImpersonationLimits } from './config.ts';
import type { Clock } from './db/clock.ts';
import type { Identity } from './auth/identity.ts';
import type { AppPubSub } from './pubsub.ts';

/** What the app shares between requests. */
export interface Services {
  prisma: PrismaClient;
  pool: pg.Pool;
  pubsub: AppPubSub;
  clock: Clock;
  config: Config;
  limits: ImpersonationLimits;
}

export interface RequestInfo {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
}

export interface Context extends Services, RequestInfo, Identity {}
