// Alert rules (issue 24, item 1; server/alerts/): a scripted day raises exactly the expected alerts,
// each pushed live to a manager's subscription, emailed to the managers and audited; acknowledging
// needs a note; each is posted to a webhook receiver and its signature verified; changing a rule needs a manager with a recent step-up; a non-manager gets nothing.
// Also refused attempts (once per view), a protected customer, a stalled checkpoint writer, and the
// list of one rule's alerts.
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditAction } from '@prisma/client';
import { simpleParser } from 'mailparser';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSystemAlertCheck } from '../server/alerts/checks.ts';
import { raiseAlert, type AlertInput } from '../server/alerts/raise.ts';
import { deliverDueWebhooks, webhookDispatcher } from '../server/webhooks/worker.ts';
import { DAY, HOUR, MINUTE, expectData, expectError } from './factories.ts';
import { demo, startTestApp, type TestApp } from './harness.ts';
import { collect, startSession } from './impersonation-helpers.ts';

const OVERVIEW = '{ unacknowledgedCount alerts { id rule summary staffName customerName acknowledgedAt ackNote } }';
const ALERTS = `query Alerts ${OVERVIEW.replace('{', '{ alerts {')} }`;
const LIVE = `subscription Alerts ${OVERVIEW.replace('{', '{ alerts {')} }`;
const ACK =
  'mutation Ack($id: ID!, $note: String!) { acknowledgeAlert(alertId: $id, note: $note) { id acknowledgedAt ackNote acknowledgedByName } }';
const RULES = '{ alertRules { rule enabled threshold businessHoursStart businessHoursEnd isDefault } }';
const UPDATE = `mutation U($rule: AlertRule!, $enabled: Boolean, $threshold: Int, $start: String, $end: String) {
  updateAlertRule(rule: $rule, enabled: $enabled, threshold: $threshold, businessHoursStart: $start, businessHoursEnd: $end) { rule enabled threshold businessHoursStart businessHoursEnd isDefault }
}`;
const STEP_UP = 'mutation StepUp($password: String!) { stepUp(password: $password) { steppedUpAt } }';
const END = 'mutation E($id: ID!) { endImpersonation(sessionId: $id) { id } }';
const TAMPER = 'mutation T { reportStaffViewTampering(marks: [BANNER], how: [OPACITY]) { counted } }';

interface Overview {
  unacknowledgedCount: number;
  alerts: { id: string; rule: string; summary: string; acknowledgedAt: string | null; ackNote: string | null }[];
}

let app: TestApp;
let mara: string;
let max: string;
/** 03:00 UTC of the scripted day. */
let dayStart: Date;

beforeAll(async () => {
  app = await startTestApp({
    config: {
      SALON_TIME_ZONE: 'UTC',
      ALERT_BUSINESS_HOURS: '07:00-20:00',
      ALERT_VIEWS_PER_HOUR: 20,
      IMPERSONATION_STARTS_PER_WINDOW: 1000,
      // The last describe moves the clock past a year: sign-ins outlast it, step-ups do not.
      STEP_UP_MINUTES: 366 * 24 * 60,
      AUTH_SESSION_HOURS: 400 * 24,
    },
  });
  const tomorrow = new Date(Math.ceil(app.clock.now().getTime() / DAY) * DAY);
  dayStart = new Date(tomorrow.getTime() + 3 * HOUR);
  app.clock.set(dayStart);
  mara = await app.signIn('mara');
  max = await app.signIn('max');
}, 180_000);
afterAll(async () => {
  await app?.close();
});

const overview = async (token: string) => expectData(await app.gql<{ alerts: Overview }>(ALERTS, {}, token)).alerts;

/** One staff view by `token`'s manager: started, optionally something done in it, ended. */
async function view(token: string, during?: (viewToken: string) => Promise<void>, email = demo.chloe.email) {
  const started = await startSession(app, token, email);
  await during?.(started.token);
  expectData(await app.gql(END, { id: started.session.id }, started.token));
  return started.session.id;
}

/** The alert emails written so far: subject and recipients. */
async function alertEmails() {
  await app.app.notifications()!.drain();
  const dir = app.services.mailer.dir!;
  const files = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.eml'));
  const mails = await Promise.all(files.map(async (file) => simpleParser(await readFile(`${dir}/${file}`))));
  return mails
    .filter((mail) => mail.subject?.startsWith('Alert:'))
    .map((mail) => ({
      subject: mail.subject!,
      to: [mail.to]
        .flat()
        .flatMap((to) => to?.value.map((address) => address.address) ?? [])
        .sort(),
      text: mail.text ?? '',
    }));
}

describe('a scripted day', () => {
  it('30 views by one manager, one at 3 a.m., and a tampering incident raise exactly three alerts, live, emailed, audited and posted signed to the webhook', async () => {
    const received: { headers: Record<string, string>; body: string }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([key, value]) => [key, String(value)]));
        received.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
      });
    }).listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const added = expectData(
      await app.gql(
        'mutation Add($name: String!, $url: String!) { addWebhookEndpoint(name: $name, url: $url) { secret } }',
        { name: 'Pager', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts` },
        mara,
      ),
    ) as { addWebhookEndpoint: { secret: string } };
    const live = collect<{ alerts: Overview }>(app.wsClient(max), LIVE);
    await live.until((value) => value.alerts.unacknowledgedCount === 0);

    await view(mara); // 03:00, outside business hours
    app.clock.set(new Date(dayStart.getTime() + 7 * HOUR)); // 10:00
    for (let index = 0; index < 29; index += 1) {
      await view(mara, index === 4 ? (token) => app.gql(TAMPER, {}, token).then(expectData) : undefined);
      app.clock.advance(MINUTE);
    }

    const seen = await live.until((value) => value.alerts.unacknowledgedCount === 3);
    expect(seen.alerts.alerts.map((alert) => alert.rule).sort()).toEqual([
      'OUTSIDE_BUSINESS_HOURS',
      'TAMPERING',
      'VIEWS_PER_HOUR',
    ]);
    const listed = await overview(mara);
    expect(listed.unacknowledgedCount).toBe(3);
    expect(listed.alerts.find((alert) => alert.rule === 'VIEWS_PER_HOUR')!.summary).toBe(
      'Mara Quinn started 20 staff views in one hour (alert at 20)',
    );
    expect(listed.alerts.find((alert) => alert.rule === 'OUTSIDE_BUSINESS_HOURS')!.summary).toMatch(/at 03:00 \(UTC\)/);

    const records = await app.services.prisma.auditEvent.findMany({ where: { action: AuditAction.ALERT_RAISED } });
    expect(records.map((record) => record.reason!.split(':')[0]).sort()).toEqual([
      'OUTSIDE_BUSINESS_HOURS',
      'TAMPERING',
      'VIEWS_PER_HOUR',
    ]);

    const managers = (
      await app.services.prisma.staff.findMany({ where: { role: 'MANAGER', active: true }, select: { email: true } })
    )
      .map((staff) => staff.email)
      .sort();
    const emails = await alertEmails();
    expect(emails).toHaveLength(3);
    for (const email of emails) expect(email.to).toEqual(managers);
    expect(emails.map((email) => email.subject).sort()).toEqual([
      "Alert: A staff view started outside business hours (the salon's time zone)",
      "Alert: A staff view's marks were hidden (tampering incident)",
      'Alert: Many staff views by one staff member within one hour',
    ]);

    const dispatcher = webhookDispatcher(true);
    const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    while ((await deliverDueWebhooks({ services: app.services, logger, dispatcher })) > 0);
    await dispatcher.close();
    receiver.close();
    const signed = new Webhook(added.addWebhookEndpoint.secret);
    const events = received.map(
      (delivery) => signed.verify(delivery.body, delivery.headers) as { type: string; data: { rule: string } },
    );
    expect(new Set(received.map((delivery) => delivery.headers['webhook-id'])).size).toBe(3);
    expect(events.map((event) => `${event.type} ${event.data.rule}`).sort()).toEqual([
      'alert.raised OUTSIDE_BUSINESS_HOURS',
      'alert.raised TAMPERING',
      'alert.raised VIEWS_PER_HOUR',
    ]);
  }, 300_000);
});

describe('acknowledging', () => {
  it('needs a note: refused without enough letters, and the alert stays unacknowledged', async () => {
    const [alert] = (await overview(mara)).alerts;
    expectError(await app.gql(ACK, { id: alert!.id, note: ' .. ' }, mara), 'BAD_USER_INPUT');
    expect((await overview(mara)).unacknowledgedCount).toBe(3);
  });

  it('with a note: recorded, audited, shown live, and only once', async () => {
    const live = collect<{ alerts: Overview }>(app.wsClient(mara), LIVE);
    await live.until((value) => value.alerts.unacknowledgedCount === 3);
    const [alert] = (await overview(max)).alerts;
    const acked = expectData(await app.gql(ACK, { id: alert!.id, note: 'Asked Mara: a billing backlog' }, max));
    expect(acked.acknowledgeAlert).toMatchObject({
      ackNote: 'Asked Mara: a billing backlog',
      acknowledgedByName: 'Max Okafor',
    });
    await live.until((value) => value.alerts.unacknowledgedCount === 2);
    expectError(await app.gql(ACK, { id: alert!.id, note: 'Again, a second time' }, mara), 'CONFLICT');
    const record = await app.services.prisma.auditEvent.findFirstOrThrow({
      where: { action: AuditAction.ALERT_ACKNOWLEDGED },
    });
    expect(record).toMatchObject({ reason: 'Asked Mara: a billing backlog', seen: { alertId: alert!.id } });
  });
});

describe('other rules', () => {
  it('refused attempts in one view raise one alert at the threshold, not one per attempt', async () => {
    const before = (await overview(mara)).unacknowledgedCount;
    const session = await view(mara, async (token) => {
      for (let attempt = 0; attempt < 5; attempt += 1)
        await app.gql('mutation { sendMessage(body: "Hello from the salon") { id } }', {}, token);
    });
    const alerts = await app.services.prisma.alert.findMany({ where: { rule: 'REFUSED_ATTEMPTS' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ sessionId: session });
    expect((await overview(mara)).unacknowledgedCount).toBe(before + 1);
  });

  it('a view of a protected customer raises PROTECTED_CUSTOMER_VIEW', async () => {
    const dora = await app.services.prisma.customer.update({
      where: { email: demo.dora.email },
      data: { protected: true },
    });
    const approval = await app.services.prisma.staff.findUniqueOrThrow({ where: { email: demo.max.email } });
    // The four-eyes approval is its own subject (access-four-eyes.test.ts): the rule reads the started view.
    const { raiseStartAlerts } = await import('../server/alerts/evaluate.ts');
    const session = await app.services.prisma.impersonationSession.create({
      data: {
        staffId: (await app.services.prisma.staff.findUniqueOrThrow({ where: { email: demo.mara.email } })).id,
        customerId: dora.id,
        reason: 'A question about a protected account',
        startedAt: app.clock.now(),
        expiresAt: new Date(app.clock.now().getTime() + 10 * MINUTE),
        endedAt: app.clock.now(),
        approvedByStaffId: approval.id,
      },
    });
    const raised = await raiseStartAlerts(app.services, session);
    expect(raised).toHaveLength(1);
    expect(await app.services.prisma.alert.findUniqueOrThrow({ where: { id: raised[0] } })).toMatchObject({
      rule: 'PROTECTED_CUSTOMER_VIEW',
      customerId: dora.id,
    });
    expect(await raiseStartAlerts(app.services, session)).toEqual([]);
  });

  it('a stalled checkpoint writer raises one alert per stall', async () => {
    let state: 'ok' | 'stalled' = 'stalled';
    let unsignedMs = 20_000;
    const check = createSystemAlertCheck(app.services, { state: () => state, unsignedMs: () => unsignedMs });
    expect(await check()).toHaveLength(1);
    unsignedMs += 30_000;
    app.clock.advance(30_000);
    expect(await check()).toEqual([]);
    state = 'ok';
    expect(await check()).toEqual([]);
    state = 'stalled';
    unsignedMs = 20_000;
    expect(await check()).toHaveLength(1);
    expect(await app.services.prisma.alert.count({ where: { rule: 'CHECKPOINT_STALLED' } })).toBe(2);
  });
});

describe('rules', () => {
  it('lists every rule with its defaults', async () => {
    const { alertRules } = expectData(await app.gql(RULES, {}, mara));
    expect(alertRules).toHaveLength(10);
    expect(alertRules).toContainEqual({
      rule: 'OUTSIDE_BUSINESS_HOURS',
      enabled: true,
      threshold: null,
      businessHoursStart: '07:00',
      businessHoursEnd: '20:00',
      isDefault: true,
    });
    expect(alertRules).toContainEqual(expect.objectContaining({ rule: 'VIEWS_PER_HOUR', threshold: 20 }));
  });

  it('refuses bad settings with a clear code', async () => {
    expectError(await app.gql(UPDATE, { rule: 'TAMPERING', threshold: 3 }, mara), 'BAD_USER_INPUT');
    expectError(await app.gql(UPDATE, { rule: 'OUTSIDE_BUSINESS_HOURS', start: '25:00' }, mara), 'BAD_USER_INPUT');
    expectError(await app.gql(UPDATE, { rule: 'VIEWS_PER_HOUR', threshold: 0 }, mara), 'BAD_USER_INPUT');
  });

  it('a disabled rule raises nothing, and the change is audited', async () => {
    const changed = expectData(await app.gql(UPDATE, { rule: 'OUTSIDE_BUSINESS_HOURS', enabled: false }, mara));
    expect(changed.updateAlertRule).toMatchObject({ enabled: false, isDefault: false });
    const before = await app.services.prisma.alert.count({ where: { rule: 'OUTSIDE_BUSINESS_HOURS' } });
    app.clock.set(new Date(dayStart.getTime() + DAY - 2 * HOUR)); // 01:00 the next night
    await view(mara);
    expect(await app.services.prisma.alert.count({ where: { rule: 'OUTSIDE_BUSINESS_HOURS' } })).toBe(before);
    const record = await app.services.prisma.auditEvent.findFirstOrThrow({
      where: { action: AuditAction.ALERT_RULE_CHANGED },
    });
    expect(record.seen).toMatchObject({ before: { enabled: true }, after: { enabled: false } });
    expectData(
      await app.gql(UPDATE, { rule: 'OUTSIDE_BUSINESS_HOURS', enabled: true, start: '00:00', end: '24:00' }, mara),
    );
    await view(mara);
    expect(await app.services.prisma.alert.count({ where: { rule: 'OUTSIDE_BUSINESS_HOURS' } })).toBe(before);
  });

  it('changing a rule needs a recent step-up', async () => {
    app.clock.advance(367 * DAY);
    expectError(await app.gql(UPDATE, { rule: 'VIEWS_PER_HOUR', threshold: 30 }, mara), 'STEP_UP_REQUIRED');
    expectData(await app.gql(STEP_UP, { password: demo.mara.password }, mara));
    const changed = expectData(await app.gql(UPDATE, { rule: 'VIEWS_PER_HOUR', threshold: 30 }, mara));
    expect(changed.updateAlertRule).toMatchObject({ threshold: 30 });
  });
});

describe('a non-manager', () => {
  it('gets nothing: no list, no rules, no acknowledgement, no change, no live feed', async () => {
    const rita = await app.signIn('rita');
    const [alert] = (await overview(mara)).alerts;
    for (const [query, variables] of [
      [ALERTS, {}],
      [RULES, {}],
      [ACK, { id: alert!.id, note: 'Not mine to acknowledge' }],
      [UPDATE, { rule: 'VIEWS_PER_HOUR', enabled: false }],
    ] as const) {
      const result = await app.gql(query, variables, rita);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.length).toBeGreaterThan(0);
    }
    const live = collect<{ alerts: Overview }>(app.wsClient(rita), LIVE);
    await live.done;
    expect(live.values).toEqual([]);
    expect(live.errors.length).toBeGreaterThan(0);
    const customer = await app.signIn('chloe');
    expect((await app.gql(ALERTS, {}, customer)).data ?? null).toBeNull();
  });
});

describe('the list by rule', () => {
  const BY_RULE = `query ByRule($rule: AlertRule) { alerts { unacknowledgedCount alerts(rule: $rule) { id rule } } }`;
  const byRule = async (rule: string | null) =>
    expectData(await app.gql<{ alerts: Overview }>(BY_RULE, { rule }, mara)).alerts;

  it('lists only the alerts of the rule asked for, over HTTP and live, and keeps the count of all', async () => {
    const raise = (input: AlertInput) =>
      app.services.prisma.$transaction((tx) => raiseAlert(tx, input, app.clock.now()));
    const lag = await raise({ rule: 'SIEM_LAG', summary: 'The audit stream to the SIEM lags 120 s behind' });
    await raise({ rule: 'TAMPERING', summary: "Mara Quinn's staff view hid its marks (BANNER): incident 1 of 3" });
    const all = await byRule(null);
    expect(all.alerts.map((alert) => alert.rule)).toEqual(expect.arrayContaining(['SIEM_LAG', 'TAMPERING']));

    const lagging = await byRule('SIEM_LAG');
    const stored = await app.services.prisma.alert.findMany({ where: { rule: 'SIEM_LAG' }, select: { id: true } });
    expect(lagging.alerts.map((alert) => alert.id).sort()).toEqual(stored.map((alert) => alert.id).sort());
    expect(lagging.alerts).toContainEqual({ id: lag!.id, rule: 'SIEM_LAG' });
    expect(lagging.unacknowledgedCount).toBe(all.unacknowledgedCount);
    expect((await byRule('BREAK_GLASS')).alerts).toEqual([]);

    const live = collect<{ alerts: Overview }>(
      app.wsClient(mara),
      'subscription { alerts { unacknowledgedCount alerts(rule: SIEM_LAG) { id rule } } }',
    );
    const first = await live.until(() => true);
    expect(new Set(first.alerts.alerts.map((alert) => alert.rule))).toEqual(new Set(['SIEM_LAG']));
  });

  it('refuses a rule that does not exist with BAD_USER_INPUT', async () => {
    expectError(await app.gql(BY_RULE, { rule: 'EVERYTHING' }, mara), 'BAD_USER_INPUT');
  });

  it('gives a non-manager nothing, whatever the rule', async () => {
    const rita = await app.signIn('rita');
    const result = await app.gql(BY_RULE, { rule: 'SIEM_LAG' }, rita);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.length).toBeGreaterThan(0);
  });
});
