// Alert webhooks, for managers (issue 24): the endpoints (add with a step-up, get the signing
// secret once; disable), and the delivery log, newest first. No query returns a secret: the
// WebhookEndpoint type has no such field, and only addWebhookEndpoint's payload carries it.
import type { WebhookDelivery, WebhookEndpoint } from '@prisma/client';
import { auditRequestContext } from '../audit/chain.ts';
import type { StaffContext } from '../context.ts';
import { addWebhookEndpoint, disableWebhookEndpoint } from '../webhooks/endpoints.ts';
import { builder } from './builder.ts';
import { connectionOf, pageRequest, webhookDeliveriesCursor } from './cursors.ts';
import { sensitive } from './sensitive.ts';

const endpointActor = (ctx: StaffContext) => ({
  staffId: ctx.actor.id,
  now: ctx.clock.now(),
  audit: auditRequestContext(ctx),
});

const WebhookDeliveryStatusRef = builder.enumType('WebhookDeliveryStatus', {
  values: {
    PENDING: { description: 'Not delivered yet: due at nextAttemptAt.' },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Given up: no more attempts, a refused answer, or the endpoint was disabled.' },
  },
});

const WebhookEndpointRef = builder.objectRef<WebhookEndpoint>('WebhookEndpoint').implement({
  description: 'A receiver of alert webhooks. Its signing secret is shown only once, when it is added.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    url: t.exposeString('url'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
  }),
});

const AddedWebhookEndpoint = builder
  .objectRef<{ endpoint: WebhookEndpoint; secret: string }>('AddedWebhookEndpoint')
  .implement({
    description: 'A new endpoint and its signing secret: copy it now, it is never shown again.',
    fields: (t) => ({
      endpoint: t.field({ type: WebhookEndpointRef, resolve: (added) => added.endpoint }),
      secret: t.exposeString('secret', {
        description: 'The Standard Webhooks signing secret (whsec_...), for the receiver to verify signatures.',
      }),
    }),
  });

const WebhookDeliveryRef = builder
  .objectRef<WebhookDelivery & { endpoint: WebhookEndpoint }>('WebhookDelivery')
  .implement({
    description: 'One event sent to one endpoint, with its attempts.',
    fields: (t) => ({
      id: t.exposeID('id', { description: 'The webhook-id every attempt carries.' }),
      endpointName: t.string({ resolve: (delivery) => delivery.endpoint.name }),
      endpointUrl: t.string({ resolve: (delivery) => delivery.endpoint.url }),
      eventType: t.exposeString('eventType'),
      status: t.field({ type: WebhookDeliveryStatusRef, resolve: (delivery) => delivery.status }),
      attempts: t.exposeInt('attempts'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
      lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true }),
      lastError: t.exposeString('lastError', { nullable: true }),
      deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
      nextAttemptAt: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'When it is tried next (PENDING only).',
        resolve: (delivery) => (delivery.status === 'PENDING' ? delivery.availableAt : null),
      }),
    }),
  });

builder.queryFields((t) => ({
  webhookEndpoints: t.withAuth({ manager: true }).field({
    type: [WebhookEndpointRef],
    description: 'Every alert webhook endpoint, enabled ones first, newest first.',
    resolve: (_root, _args, ctx) =>
      ctx.prisma.webhookEndpoint.findMany({
        orderBy: [{ disabledAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
  webhookDeliveries: t.withAuth({ manager: true }).connection(
    {
      type: WebhookDeliveryRef,
      description: 'The webhook delivery log, newest first.',
      resolve: async (_root, args, ctx) => {
        const page = pageRequest(args, { defaultSize: 25, maxSize: 100 }, webhookDeliveriesCursor.decode);
        const rows = await ctx.prisma.webhookDelivery.findMany({
          include: { endpoint: true },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: page.take,
          ...(page.cursor === null ? {} : { cursor: { id: page.cursor }, skip: 1 }),
        });
        return connectionOf(rows, args, page, (row) => webhookDeliveriesCursor.encode(row.id));
      },
    },
    { name: 'WebhookDeliveryConnection' },
    { name: 'WebhookDeliveryEdge' },
  ),
}));

builder.mutationFields((t) => ({
  addWebhookEndpoint: t.withAuth({ manager: true }).field({
    type: AddedWebhookEndpoint,
    description:
      'Adds an alert webhook endpoint (an http(s) URL) and returns its signing secret, once. Internal addresses are refused in production.',
    args: {
      name: t.arg.string({ required: true }),
      url: t.arg.string({ required: true, ...sensitive }),
    },
    resolve: (_root, args, ctx) =>
      addWebhookEndpoint(
        ctx.prisma,
        endpointActor(ctx),
        { name: args.name, url: args.url },
        { allowPrivateTargets: ctx.config.WEBHOOK_ALLOW_PRIVATE_TARGETS },
      ),
  }),
  disableWebhookEndpoint: t.withAuth({ manager: true }).field({
    type: WebhookEndpointRef,
    description: 'Disables an endpoint: no new deliveries, and its pending ones stop.',
    args: { endpointId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => disableWebhookEndpoint(ctx.prisma, endpointActor(ctx), String(args.endpointId)),
  }),
}));
