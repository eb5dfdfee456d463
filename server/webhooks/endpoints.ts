// Alert webhook endpoints, managed by the salon's managers (issue 24): add one (a name and an
// http(s) URL, checked against the SSRF rules of targets.ts) and get its signing secret once;
// disable one (its pending deliveries stop). Both need a step-up (schema/privileged.ts) and are
// audited in the same transaction. The secret is a Standard Webhooks `whsec_` key (base64 of 32
// random bytes): it is returned by the add mutation only, never by a query, and never logged or
// recorded. The URL argument is redacted from the operation record (a URL may carry a token);
// the audit record names the endpoint and its origin.
import { randomBytes } from 'node:crypto';
import { AuditAction, AuditOutcome, type PrismaClient, type WebhookEndpoint } from '@prisma/client';
import { appendAuditInTransaction, type AuditEntry } from '../audit/chain.ts';
import { badInput, conflict, notFound } from '../errors.ts';
import { checkWebhookTarget, WebhookTargetError } from './targets.ts';

/** The longest endpoint name. */
export const WEBHOOK_NAME_MAX = 80;
/** The longest endpoint URL. */
export const WEBHOOK_URL_MAX = 2000;

/** Who adds or disables an endpoint, and where from (the audit record's fields). */
export interface EndpointActor {
  staffId: string;
  now: Date;
  audit: Pick<AuditEntry, 'requestId' | 'ip' | 'userAgent'>;
}

/** A new signing secret, in the Standard Webhooks form. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Adds an endpoint. BAD_USER_INPUT for an empty name or a URL the target rules refuse. */
export async function addWebhookEndpoint(
  prisma: PrismaClient,
  actor: EndpointActor,
  input: { name: string; url: string },
  options: { allowPrivateTargets: boolean },
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const name = input.name.trim();
  if (!name) throw badInput('Name the endpoint', { field: 'name' });
  const url = await checkWebhookTarget(input.url.trim(), options.allowPrivateTargets).catch((error: unknown) => {
    if (error instanceof WebhookTargetError) throw badInput(`URL: ${error.message}`, { field: 'url' });
    throw error;
  });
  const secret = newWebhookSecret();
  const endpoint = await prisma.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: { name, url: url.href, secret, createdAt: actor.now, createdById: actor.staffId },
    });
    await appendAuditInTransaction(tx, {
      action: AuditAction.WEBHOOK_ENDPOINT_ADDED,
      outcome: AuditOutcome.ALLOWED,
      createdAt: actor.now,
      staffId: actor.staffId,
      seen: { webhookEndpoint: { id: created.id, name: created.name, origin: new URL(created.url).origin } },
      ...actor.audit,
    });
    return created;
  });
  return { endpoint, secret };
}

/**
 * Disables an endpoint: no new deliveries, and its pending ones are marked FAILED ("endpoint
 * disabled") so they stop retrying. CONFLICT when it was disabled already.
 */
export async function disableWebhookEndpoint(
  prisma: PrismaClient,
  actor: EndpointActor,
  endpointId: string,
): Promise<WebhookEndpoint> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({
      where: { id: endpointId, disabledAt: null },
      data: { disabledAt: actor.now, disabledById: actor.staffId },
    });
    const endpoint = await tx.webhookEndpoint.findUnique({ where: { id: endpointId } });
    if (!endpoint) throw notFound('Webhook endpoint');
    if (count === 0) throw conflict('This webhook endpoint was disabled already');
    await tx.webhookDelivery.updateMany({
      where: { endpointId, status: 'PENDING' },
      data: { status: 'FAILED', lastError: 'endpoint disabled' },
    });
    await appendAuditInTransaction(tx, {
      action: AuditAction.WEBHOOK_ENDPOINT_DISABLED,
      outcome: AuditOutcome.ALLOWED,
      createdAt: actor.now,
      staffId: actor.staffId,
      seen: { webhookEndpoint: { id: endpoint.id, name: endpoint.name, origin: new URL(endpoint.url).origin } },
      ...actor.audit,
    });
    return endpoint;
  });
}
