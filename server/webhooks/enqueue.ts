// The webhook outbox: an event (an alert raised, ...) writes one PENDING delivery per enabled
// endpoint in the transaction of the change it announces, so a committed event is always delivered
// (at least once, by server/webhooks/worker.ts) and a rolled-back one never. The payload is fixed
// here, in the Standard Webhooks shape {type, timestamp, data}; the delivery's id is the
// `webhook-id` every attempt carries, so a receiver can drop a retry it already handled.
import type { Prisma } from '@prisma/client';

/** An event for the configured webhooks: `type` is dotted (`alert.raised`), `data` plain JSON. */
export interface WebhookEvent {
  type: string;
  data: Record<string, unknown>;
}

/** The body of every delivery of one event (Standard Webhooks: type, timestamp, data). */
export interface WebhookPayload {
  type: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/**
 * Writes one pending delivery per enabled endpoint inside the caller's transaction.
 * @returns how many deliveries were written (0 when no endpoint is configured).
 */
export async function enqueueWebhookEvent(
  tx: Prisma.TransactionClient,
  event: WebhookEvent,
  now: Date,
): Promise<number> {
  const endpoints = await tx.webhookEndpoint.findMany({ where: { disabledAt: null }, select: { id: true } });
  if (endpoints.length === 0) return 0;
  const payload: WebhookPayload = { type: event.type, timestamp: now.toISOString(), data: event.data };
  const { count } = await tx.webhookDelivery.createMany({
    data: endpoints.map((endpoint) => ({
      endpointId: endpoint.id,
      eventType: event.type,
      payload: payload as unknown as Prisma.InputJsonValue,
      availableAt: now,
      createdAt: now,
    })),
  });
  return count;
}
