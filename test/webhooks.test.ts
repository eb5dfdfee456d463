// Alert webhooks (issue 24): managed endpoints with a secret shown once, the outbox written in the
// caller's transaction, deliveries signed per the Standard Webhooks spec (a receiver in the test
// verifies them with the `standardwebhooks` library), retries with backoff on a moved clock, giving
// up, a crash mid-flight, two workers at once, SSRF refusals, the delivery log and bad settings.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditAction } from '@prisma/client';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publishAlerts, raiseAlert } from '../server/alerts/raise.ts';
import { loadConfig } from '../server/config.ts';
import { enqueueWebhookEvent, type WebhookEvent } from '../server/webhooks/enqueue.ts';
import { checkWebhookTarget, isInternalAddress } from '../server/webhooks/targets.ts';
import {
  claimDueWebhooks,
  claimLeaseMs,
  deliverDueWebhooks,
  webhookDispatcher,
  type WebhookDelivering,
} from '../server/webhooks/worker.ts';
import { startTestApp, type TestApp } from './harness.ts';

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A webhook receiver on an ephemeral loopback port; `answer` decides each response's status. */
interface Receiver {
  url: string;
  received: Received[];
  answer: (index: number) => number | 'hang';
  close(): Promise<void>;
}

async function startReceiver(answer: Receiver['answer'] = () => 200): Promise<Receiver> {
  const receiver: Receiver = { url: '', received: [], answer, close: async () => undefined };
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const index = receiver.received.length;
      receiver.received.push({
        headers: Object.fromEntries(Object.entries(req.headers).map(([key, value]) => [key, String(value)])),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const status = receiver.answer(index);
      if (status === 'hang') {
        hanging.add(res);
        return;
      }
      res.statusCode = status;
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`;
  receiver.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

let app: TestApp;
let mara: string;
const logLines: string[] = [];
const logger: WebhookDelivering['logger'] = {
  debug: (...args: unknown[]) => void logLines.push(JSON.stringify(args)),
  warn: (...args: unknown[]) => void logLines.push(JSON.stringify(args)),
  error: (...args: unknown[]) => void logLines.push(JSON.stringify(args)),
};
const dispatcher = webhookDispatcher(true);
const receivers: Receiver[] = [];

const BASE_MS = 1000;
const MAX_ATTEMPTS = 4;

beforeAll(async () => {
  // The app's own worker polls once an hour here: each test drives passes itself.
  app = await startTestApp({
    config: {
      WEBHOOK_POLL_MS: 3_600_000,
      WEBHOOK_RETRY_BASE_MS: BASE_MS,
      WEBHOOK_MAX_ATTEMPTS: MAX_ATTEMPTS,
      WEBHOOK_TIMEOUT_MS: 500,
    },
  });
  mara = await app.signIn('mara');
});
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await dispatcher.close();
  await app?.close();
});

// Each test starts with no enabled endpoint and nothing pending.
beforeEach(async () => {
  const now = app.clock.now();
  await app.services.prisma.webhookDelivery.updateMany({ where: { status: 'PENDING' }, data: { status: 'FAILED' } });
  await app.services.prisma.webhookEndpoint.updateMany({ where: { disabledAt: null }, data: { disabledAt: now } });
});

const tick = (services: WebhookDelivering['services'] = app.services) =>
  deliverDueWebhooks({ services, logger, dispatcher });

const ADD = `mutation Add($name: String!, $url: String!) {
  addWebhookEndpoint(name: $name, url: $url) { secret endpoint { id name url disabledAt } }
}`;

async function addEndpoint(url: string, name = 'Pager') {
  const result = await app.gql(ADD, { name, url }, mara);
  expect(result.errors).toBeUndefined();
  return result.data.addWebhookEndpoint as { secret: string; endpoint: { id: string; url: string } };
}

async function receiverEndpoint(answer?: Receiver['answer']) {
  const receiver = await startReceiver(answer);
  receivers.push(receiver);
  const added = await addEndpoint(receiver.url);
  return { receiver, ...added };
}

const ALERT = { type: 'alert.raised', data: { alertId: 'a1', rule: 'VIEWS_PER_HOUR', count: 21 } };

const raise = (event: WebhookEvent = ALERT) =>
  app.services.prisma.$transaction((tx) => enqueueWebhookEvent(tx, event, app.clock.now()));

const delivery = (id: string) => app.services.prisma.webhookDelivery.findUniqueOrThrow({ where: { id } });

/** Verifies a received request as a receiver would; throws WebhookVerificationError when it does not. */
const verify = (secret: string, received: Received) => new Webhook(secret).verify(received.body, received.headers);

describe('endpoints', () => {
  it('a manager adds one and reads its secret once; no query returns it, no record or log holds it', async () => {
    const { secret, endpoint, receiver } = await receiverEndpoint();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint.url).toBe(receiver.url);
    const listed = await app.gql('{ webhookEndpoints { id name url disabledAt } }', {}, mara);
    expect(listed.data.webhookEndpoints).toContainEqual({ ...endpoint, name: 'Pager', disabledAt: null });
    const type = await app.gql('{ __type(name: "WebhookEndpoint") { fields { name } } }', {}, mara);
    expect(type.data.__type.fields.map((field: { name: string }) => field.name)).not.toContain('secret');

    const added = await app.services.prisma.auditEvent.findFirstOrThrow({
      where: { action: AuditAction.WEBHOOK_ENDPOINT_ADDED },
      orderBy: { id: 'desc' },
    });
    expect(added.seen).toMatchObject({ webhookEndpoint: { id: endpoint.id, origin: new URL(receiver.url).origin } });
    const everything = JSON.stringify(await app.services.prisma.auditEvent.findMany(), (_key, value: unknown) =>
      typeof value === 'bigint' ? String(value) : value,
    );
    expect(everything).not.toContain(secret.slice(6));
    await raise();
    await tick();
    expect(logLines.join('\n')).not.toContain(secret.slice(6));
  });

  it('refuses staff who are not managers, and URLs that are not http(s)', async () => {
    const rita = await app.signIn('rita');
    const refused = await app.gql(ADD, { name: 'Mine', url: 'https://example.com/hook' }, rita);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const url of ['ftp://example.com/hook', 'not a url', 'https://user:pw@example.com/hook']) {
      const bad = await app.gql(ADD, { name: 'Bad', url }, mara);
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    }
    expect(await app.services.prisma.webhookEndpoint.count({ where: { name: 'Bad' } })).toBe(0);
  });

  it('a disabled endpoint gets no new deliveries, and its pending ones stop', async () => {
    const { endpoint } = await receiverEndpoint(() => 503);
    expect(await raise()).toBe(1);
    await tick();
    const result = await app.gql(
      'mutation D($id: ID!) { disableWebhookEndpoint(endpointId: $id) { disabledAt } }',
      { id: endpoint.id },
      mara,
    );
    expect(result.data.disableWebhookEndpoint.disabledAt).not.toBeNull();
    expect(await raise()).toBe(0);
    const rows = await app.services.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    expect(rows).toEqual([expect.objectContaining({ status: 'FAILED', lastError: 'endpoint disabled' })]);
    const again = await app.gql(
      'mutation D($id: ID!) { disableWebhookEndpoint(endpointId: $id) { disabledAt } }',
      { id: endpoint.id },
      mara,
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

describe('delivery', () => {
  it('writes one delivery per endpoint in the transaction, and none when it rolls back', async () => {
    await receiverEndpoint();
    await receiverEndpoint();
    expect(await raise()).toBe(2);
    await expect(
      app.services.prisma.$transaction(async (tx) => {
        await enqueueWebhookEvent(tx, ALERT, app.clock.now());
        throw new Error('the alert was not raised after all');
      }),
    ).rejects.toThrow('not raised');
    expect(await app.services.prisma.webhookDelivery.count({ where: { status: 'PENDING' } })).toBe(2);
  });

  it('signs each delivery per the Standard Webhooks spec: the receiver verifies it with the secret', async () => {
    const { receiver, secret } = await receiverEndpoint();
    await raise();
    expect(await tick()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received as [Received];
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['webhook-id']).toMatch(/^[a-z0-9]+$/);
    expect(request.headers['webhook-signature']).toMatch(/^v1,/);
    expect(verify(secret, request)).toEqual({
      type: 'alert.raised',
      timestamp: app.clock.now().toISOString(),
      data: ALERT.data,
    });
    const row = await delivery(request.headers['webhook-id']!);
    expect(row).toMatchObject({ status: 'DELIVERED', attempts: 1, lastStatusCode: 200, lastError: null });
  });

  it('a wrong secret or a changed body fails verification', async () => {
    const { receiver, secret } = await receiverEndpoint();
    await raise();
    await tick();
    const [request] = receiver.received as [Received];
    const other = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(() => verify(other, request)).toThrow(WebhookVerificationError);
    expect(() => verify(secret, { ...request, body: request.body.replace('21', '2') })).toThrow(
      WebhookVerificationError,
    );
    const otherEndpoint = await receiverEndpoint();
    expect(() => verify(otherEndpoint.secret, request)).toThrow(WebhookVerificationError);
  });

  it('retries with exponential backoff, one webhook-id throughout, until the receiver says 2xx', async () => {
    const { receiver, secret } = await receiverEndpoint((index) => (index < 2 ? 500 : 204));
    await raise();
    expect(await tick()).toBe(1);
    const id = receiver.received[0]!.headers['webhook-id']!;
    expect(await delivery(id)).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: 500 });
    expect((await delivery(id)).availableAt.getTime() - app.clock.now().getTime()).toBe(BASE_MS);

    expect(await tick()).toBe(0); // not due yet
    app.clock.advance(BASE_MS);
    expect(await tick()).toBe(1);
    expect(await delivery(id)).toMatchObject({ status: 'PENDING', attempts: 2, lastError: 'HTTP 500' });
    app.clock.advance(2 * BASE_MS - 1);
    expect(await tick()).toBe(0); // the second wait is twice the first
    app.clock.advance(1);
    expect(await tick()).toBe(1);

    expect(receiver.received.map((request) => request.headers['webhook-id'])).toEqual([id, id, id]);
    for (const request of receiver.received) expect(verify(secret, request)).toMatchObject({ type: 'alert.raised' });
    expect(await delivery(id)).toMatchObject({
      status: 'DELIVERED',
      attempts: 3,
      lastStatusCode: 204,
      lastError: null,
    });
  });

  it('gives up after WEBHOOK_MAX_ATTEMPTS failures, and at once on a 4xx answer', async () => {
    const failing = await receiverEndpoint(() => 503);
    await raise();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await tick()).toBe(1);
      app.clock.advance(BASE_MS * 2 ** (attempt - 1));
    }
    expect(await tick()).toBe(0);
    const id = failing.receiver.received[0]!.headers['webhook-id']!;
    expect(await delivery(id)).toMatchObject({ status: 'FAILED', attempts: MAX_ATTEMPTS, lastStatusCode: 503 });

    await app.services.prisma.webhookEndpoint.update({
      where: { id: failing.endpoint.id },
      data: { disabledAt: app.clock.now() },
    });
    const gone = await receiverEndpoint(() => 410);
    await raise();
    expect(await tick()).toBe(1);
    const goneId = gone.receiver.received[0]!.headers['webhook-id']!;
    expect(await delivery(goneId)).toMatchObject({ status: 'FAILED', attempts: 1, lastStatusCode: 410 });
  });

  it('a receiver that does not answer times out, and the delivery is retried', async () => {
    const { receiver } = await receiverEndpoint((index) => (index === 0 ? 'hang' : 200));
    await raise();
    expect(await tick()).toBe(1);
    const id = receiver.received[0]!.headers['webhook-id']!;
    expect(await delivery(id)).toMatchObject({ status: 'PENDING', attempts: 1, lastStatusCode: null });
    expect((await delivery(id)).lastError).toMatch(/timed out/);
    app.clock.advance(BASE_MS);
    await tick();
    expect(await delivery(id)).toMatchObject({ status: 'DELIVERED', attempts: 2 });
  });

  it('is never lost when the process stops mid-flight: the claimed row stays pending and is sent after the lease', async () => {
    const { receiver, secret } = await receiverEndpoint();
    await raise();
    // An instance claims the row, then dies before sending or marking it.
    const lease = claimLeaseMs(app.services.config.WEBHOOK_TIMEOUT_MS);
    const [claimed] = await claimDueWebhooks(app.services.prisma, app.clock.now(), 10, lease);
    expect(await delivery(claimed!.id)).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(await tick()).toBe(0); // held by the dead instance's lease
    expect(receiver.received).toHaveLength(0);
    app.clock.advance(lease);
    expect(await tick()).toBe(1);
    expect(receiver.received[0]!.headers['webhook-id']).toBe(claimed!.id);
    expect(verify(secret, receiver.received[0]!)).toMatchObject({ data: ALERT.data });
    expect(await delivery(claimed!.id)).toMatchObject({ status: 'DELIVERED', attempts: 2 });
  });

  it('two workers at once send each delivery once', async () => {
    const { receiver } = await receiverEndpoint();
    for (let index = 0; index < 6; index++) await raise({ type: 'alert.raised', data: { index } });
    const [first, second] = await Promise.all([tick(), tick()]);
    expect(first! + second!).toBe(6);
    const ids = receiver.received.map((request) => request.headers['webhook-id']);
    expect(new Set(ids).size).toBe(6);
    expect(ids).toHaveLength(6);
  });
});

describe('alerts', () => {
  it('a raised alert reaches the endpoint at once, signed: the app’s own worker wakes on its publication', async () => {
    const { receiver, secret } = await receiverEndpoint();
    const alert = await app.services.prisma.$transaction((tx) =>
      raiseAlert(
        tx,
        { rule: 'TAMPERING', summary: 'A staff view was tampered with', dedupeKey: `webhooks-test:${Date.now()}` },
        app.clock.now(),
      ),
    );
    expect(alert).not.toBeNull();
    publishAlerts(app.services, [alert]);
    // The app's worker polls once an hour here: only the wake-up can deliver it this soon.
    for (let waited = 0; receiver.received.length === 0 && waited < 15_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received).toHaveLength(1);
    expect(verify(secret, receiver.received[0]!)).toMatchObject({
      type: 'alert.raised',
      data: { id: alert!.id, rule: 'TAMPERING', summary: 'A staff view was tampered with' },
    });
  });
});

describe('targets (SSRF)', () => {
  it('internal addresses are refused when private targets are not allowed', async () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1'])
      expect(isInternalAddress(address), address).toBe(true);
    expect(isInternalAddress('::ffff:127.0.0.1')).toBe(true);
    expect(isInternalAddress('93.184.216.34')).toBe(false);
    await expect(checkWebhookTarget('http://127.0.0.1:9/x', false)).rejects.toThrow('inside the network');
    await expect(checkWebhookTarget('http://[::ffff:a00:1]/x', false)).rejects.toThrow('inside the network');
    await expect(checkWebhookTarget('http://localhost/x', false)).rejects.toThrow('inside the network');
    await expect(checkWebhookTarget('https://93.184.216.34/hook', false)).resolves.toBeInstanceOf(URL);
    await expect(checkWebhookTarget('http://127.0.0.1:9/x', true)).resolves.toBeInstanceOf(URL);
  });

  it('the worker refuses an internal target when they are not allowed, by address and by name', async () => {
    const services = { ...app.services, config: { ...app.services.config, WEBHOOK_ALLOW_PRIVATE_TARGETS: false } };
    const guarded = webhookDispatcher(false);
    try {
      const { receiver } = await receiverEndpoint();
      const byName = await startReceiver();
      receivers.push(byName);
      await addEndpoint(byName.url.replace('127.0.0.1', 'localhost'), 'By name');
      expect(await raise()).toBe(2);
      expect(await deliverDueWebhooks({ services, logger, dispatcher: guarded })).toBe(2);
      expect(receiver.received).toHaveLength(0);
      expect(byName.received).toHaveLength(0);
      const rows = await app.services.prisma.webhookDelivery.findMany({
        where: { endpoint: { disabledAt: null } },
        orderBy: { id: 'asc' },
      });
      expect(rows.map((row) => row.status)).toEqual(['FAILED', 'FAILED']);
      expect(rows.map((row) => row.lastError)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/inside the network/),
          expect.stringMatching(/inside the network/),
        ]),
      );
    } finally {
      await guarded.close();
    }
  });
});

describe('delivery log', () => {
  it('managers page through it, newest first, with endpoint, type, attempts, last status and next attempt', async () => {
    await receiverEndpoint((index) => (index === 0 ? 500 : 200));
    await raise({ type: 'alert.raised', data: { n: 1 } });
    app.clock.advance(1);
    await raise({ type: 'alert.acknowledged', data: { n: 2 } });
    await tick();
    const QUERY = `query Log($first: Int, $after: String) {
      webhookDeliveries(first: $first, after: $after) {
        edges { cursor node { id endpointName endpointUrl eventType status attempts lastStatusCode lastError nextAttemptAt } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const first = await app.gql(QUERY, { first: 1 }, mara);
    expect(first.errors).toBeUndefined();
    const [newest] = first.data.webhookDeliveries.edges;
    expect(newest.node).toMatchObject({ endpointName: 'Pager', eventType: 'alert.acknowledged', attempts: 1 });
    expect(first.data.webhookDeliveries.pageInfo.hasNextPage).toBe(true);
    const second = await app.gql(QUERY, { first: 1, after: first.data.webhookDeliveries.pageInfo.endCursor }, mara);
    const [older] = second.data.webhookDeliveries.edges;
    expect(older.node.eventType).toBe('alert.raised');
    const statuses = [newest.node, older.node].map((node) => [node.status, node.lastStatusCode]);
    expect(statuses).toEqual(
      expect.arrayContaining([
        ['PENDING', 500],
        ['DELIVERED', 200],
      ]),
    );
    const pending = [newest.node, older.node].find((node) => node.status === 'PENDING');
    expect(pending.nextAttemptAt).toBe(new Date(app.clock.now().getTime() + BASE_MS).toISOString());

    const rita = await app.signIn('rita');
    expect((await app.gql(QUERY, { first: 1 }, rita)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await app.gql(QUERY, { first: 1, after: 'bm90LWEtY3Vyc29y' }, mara);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('settings', () => {
  it('a bad webhook setting stops the start with a message naming it', () => {
    expect(() => loadConfig({ WEBHOOK_MAX_ATTEMPTS: 'often' })).toThrow(
      /Invalid configuration[\s\S]*WEBHOOK_MAX_ATTEMPTS/,
    );
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '5' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE_TARGETS/);
  });

  it('internal targets are refused by default in production and allowed elsewhere', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).WEBHOOK_ALLOW_PRIVATE_TARGETS).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).WEBHOOK_ALLOW_PRIVATE_TARGETS).toBe(true);
    expect(
      loadConfig({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).WEBHOOK_ALLOW_PRIVATE_TARGETS,
    ).toBe(true);
  });
});
