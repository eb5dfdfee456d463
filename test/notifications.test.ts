// The customer is told when a staff view of their account starts and ends: an email (read here by
// a real SMTP server in the test process) and a portal message, with who, why, how long and, at
// the end, what was viewed. Delivery goes through the outbox: after commit, never blocking a
// session, retried with backoff when SMTP is down, once per row across instances, and written as
// `.eml` files when no SMTP_URL is set.
import { readdir, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE, STEP_UP_AFTER_A_YEAR } from './factories.ts';
import { demo, startTestApp, startTestAppBeside, type TestApp } from './harness.ts';
import { REASON, customerId, startSession } from './impersonation-helpers.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';

/** The portal's address emails link to (PORTAL_URL). */
const PORTAL_URL = 'https://portal.tidytails.example/';

const END = 'mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }';
const TERMINATE =
  'mutation Terminate($id: ID!, $reason: String!) { terminateImpersonation(sessionId: $id, reason: $reason) { id } }';
const SET_STATUS =
  'mutation S($id: ID!, $status: CustomerStatus!) { setCustomerStatus(customerId: $id, status: $status) { id } }';
const PREFERENCES =
  'mutation P($preferences: [NotificationPreferenceInput!]!) { updateNotificationPreferences(preferences: $preferences) { id } }';
const MESSAGES = '{ me { messages { sender body staffName } } }';

const drain = (app: TestApp) => app.app.notifications()!.drain();
const outbox = (app: TestApp, sessionId: string) =>
  app.services.prisma.notificationOutbox.findMany({
    where: { sessionId },
    orderBy: [{ notice: 'asc' }, { channel: 'asc' }],
  });
const forSession = (sessionId: string) => (mail: ParsedMail) =>
  mail.messageId?.includes('@staff-access') === true && mailSession(mail) === sessionId;
/** The session a mail is about, through its outbox row (the Message-ID is the row's id). */
const rowsById = new Map<string, string>();
const mailSession = (mail: ParsedMail) => rowsById.get(mail.messageId!.replace(/^<|@.*$/g, ''));
async function rememberRows(app: TestApp) {
  for (const row of await app.services.prisma.notificationOutbox.findMany())
    if (row.sessionId) rowsById.set(row.id, row.sessionId);
}

describe('Staff-access notices, SMTP up', () => {
  let app: TestApp;
  let smtp: SmtpSink;
  let mara: string;
  let chloe: string;

  const portalMessages = async () =>
    (await app.gql<{ me: { messages: { sender: string; body: string }[] } }>(MESSAGES, {}, chloe)).data!.me.messages;

  /** Starts a view of chloe, lets `during` act with its token, ends it; returns the session id. */
  async function viewChloe(during: (token: string) => Promise<unknown> = async () => undefined) {
    const { token, session } = await startSession(app, mara);
    await during(token);
    await app.gql(END, { id: session.id }, token);
    await drain(app);
    await rememberRows(app);
    return session.id;
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startTestApp({ config: { SMTP_URL: smtp.url, PORTAL_URL, ...STEP_UP_AFTER_A_YEAR } });
    mara = await app.signIn('mara');
    chloe = await app.signIn('chloe');
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  it('emails the customer when a view starts, from the salon: who, why, how long, and where her portal is', async () => {
    const { session } = await startSession(app, mara);
    await drain(app);
    await rememberRows(app);
    const mail = await smtp.waitFor(forSession(session.id));
    expect(mail.to).toMatchObject({ text: demo.chloe.email });
    expect(mail.from?.value).toEqual([{ address: 'no-reply@salon.example', name: 'Tidy Tails' }]);
    expect(mail.text).toContain(`Open your portal: ${PORTAL_URL} (you sign in there as usual`);
    expect(mail.html).toContain(`<a href="${PORTAL_URL}">${PORTAL_URL}</a>`);
    // The portal's plain address is the only link: nothing in the email signs anyone in.
    expect([...`${mail.text}${mail.html}`.matchAll(/https?:\/\/[^\s"<)]+/g)].map((m) => m[0])).toEqual(
      Array(3).fill(PORTAL_URL),
    );
    expect(mail.subject).toBe('Mara Quinn from Tidy Tails is viewing your account');
    expect(mail.text).toContain(`Reason given: "${REASON}"`);
    expect(mail.text).toContain('read-only, for up to 30 minutes');
    expect(mail.html).toContain('Mara Quinn from Tidy Tails started viewing your account');
    await app.gql(END, { id: session.id }, mara);
    await drain(app);
  });

  it('emails what was viewed, and how long, when the view ends', async () => {
    const appointments = await app.services.prisma.appointment.count({
      where: { customer: { email: demo.chloe.email } },
    });
    const sessionId = await viewChloe(async (token) => {
      await app.gql('{ me { appointments { id startsAt } } }', {}, token);
      app.clock.advance(12 * MINUTE);
    });
    const mail = await smtp.waitFor((m) => forSession(sessionId)(m) && m.subject!.includes('has ended'));
    expect(mail.to).toMatchObject({ text: demo.chloe.email });
    expect(mail.subject).toBe("Mara Quinn's view of your account has ended");
    expect(mail.text).toContain(`What was viewed: Mara Quinn viewed Appointments (${appointments} appointments).`);
    expect(mail.text).toContain('(12 minutes); Mara Quinn ended it.');
    expect(mail.text).toContain(`Reason given: "${REASON}"`);
  });

  it('posts the start and the end in the customer’s portal messages, from the salon', async () => {
    const before = (await portalMessages()).length;
    await viewChloe();
    const added = (await portalMessages()).slice(before);
    expect(added).toHaveLength(2);
    expect(added.map((m) => m.sender)).toEqual(['SALON', 'SALON']);
    // Both notices may be delivered in one worker pass, at the same sentAt: found by their words.
    const start = added.filter((m) => /^Mara Quinn from Tidy Tails started viewing your account at /.test(m.body));
    const end = added.filter((m) =>
      m.body.includes('What was viewed: Mara Quinn opened your account but viewed no page.'),
    );
    expect(start).toHaveLength(1);
    expect(end).toHaveLength(1);
  });

  it('sends each notice once per channel and marks its outbox rows sent', async () => {
    const sessionId = await viewChloe();
    expect(
      (await outbox(app, sessionId)).map(({ notice, channel, status, attempts }) => ({
        notice,
        channel,
        status,
        attempts,
      })),
    ).toEqual([
      { notice: 'STARTED', channel: 'EMAIL', status: 'SENT', attempts: 1 },
      { notice: 'STARTED', channel: 'PUSH', status: 'SENT', attempts: 1 },
      { notice: 'ENDED', channel: 'EMAIL', status: 'SENT', attempts: 1 },
      { notice: 'ENDED', channel: 'PUSH', status: 'SENT', attempts: 1 },
    ]);
    expect(smtp.mails.filter(forSession(sessionId))).toHaveLength(2);
  });

  it('announces every end state: expired, terminated by a manager, revoked', async () => {
    const max = await app.signIn('max');
    const expired = await startSession(app, mara);
    app.clock.advance(31 * MINUTE);
    const { session: terminated } = await startSession(app, mara);
    await app.gql(TERMINATE, { id: terminated.id, reason: 'Wrong customer opened' }, max);
    const danId = await customerId(app, max, demo.dan.email);
    const revoked = await startSession(app, mara, demo.dan.email);
    await app.gql(SET_STATUS, { id: danId, status: 'DISABLED' }, max);
    await app.gql(SET_STATUS, { id: danId, status: 'ACTIVE' }, max);
    await drain(app);
    await rememberRows(app);

    const endOf = (sessionId: string) =>
      smtp.waitFor((m) => forSession(sessionId)(m) && m.subject!.includes('has ended'));
    expect((await endOf(expired.session.id)).text).toContain('(30 minutes); it reached its time limit.');
    // The terminating manager's note and the revocation's cause are staff-internal: never in her email.
    const terminatedMail = await endOf(terminated.id);
    expect(terminatedMail.text).toContain('a manager (Max Okafor) stopped it.');
    expect(terminatedMail.text).not.toContain('Wrong customer opened');
    const danMail = await endOf(revoked.session.id);
    expect(danMail.to).toMatchObject({ text: demo.dan.email });
    expect(danMail.text).toContain("Tidy Tails withdrew Mara Quinn's access.");
    expect(danMail.text).not.toContain('Customer account disabled');
  });

  it('sends no email when the customer turned staff-access emails off, and no message when the app is off', async () => {
    const set = (channel: string, enabled: boolean) =>
      app.gql(PREFERENCES, { preferences: [{ category: 'STAFF_ACCESS', channel, enabled }] }, chloe);
    await set('EMAIL', false);
    const before = (await portalMessages()).length;
    const noEmail = await viewChloe();
    expect(smtp.mails.filter(forSession(noEmail))).toEqual([]);
    expect((await portalMessages()).length).toBe(before + 2);
    expect((await outbox(app, noEmail)).filter((row) => row.channel === 'EMAIL').map((row) => row.status)).toEqual([
      'SKIPPED',
      'SKIPPED',
    ]);

    await set('PUSH', false);
    await viewChloe();
    expect((await portalMessages()).length).toBe(before + 2);
    await set('EMAIL', true);
    await set('PUSH', true);
  });

  it('lists staff access among the preferences once saved, and a customer without a saved switch gets the notices', async () => {
    const saved = await app.gql('{ me { notificationPreferences { category channel enabled } } }', {}, chloe);
    expect(saved.data.me.notificationPreferences).toContainEqual({
      category: 'STAFF_ACCESS',
      channel: 'EMAIL',
      enabled: true,
    });
    const customer = await app.services.prisma.customer.findUniqueOrThrow({ where: { email: demo.dan.email } });
    expect(
      await app.services.prisma.notificationPreference.count({
        where: { customerId: customer.id, category: 'STAFF_ACCESS' },
      }),
    ).toBe(0);
    const { session } = await startSession(app, mara, demo.dan.email);
    await drain(app);
    await rememberRows(app);
    expect((await smtp.waitFor(forSession(session.id))).to).toMatchObject({ text: demo.dan.email });
    await app.gql(END, { id: session.id }, mara);
  });
});

describe('Staff-access notices, SMTP down', () => {
  let app: TestApp;
  let smtp: SmtpSink;
  let mara: string;
  const RETRY_BASE_MS = 10 * MINUTE;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    await smtp.stop();
    app = await startTestApp({
      config: {
        SMTP_URL: smtp.url,
        NOTIFICATION_RETRY_BASE_MS: RETRY_BASE_MS,
        NOTIFICATION_MAX_ATTEMPTS: 3,
        ...STEP_UP_AFTER_A_YEAR,
      },
    });
    mara = await app.signIn('mara');
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  it('starts and ends the session anyway, and sends the mails once SMTP is back (retry with backoff)', async () => {
    const { token, session } = await startSession(app, mara);
    expect(token).toEqual(expect.any(String));
    await drain(app);
    const [started] = await outbox(app, session.id);
    expect(started).toMatchObject({ channel: 'EMAIL', status: 'PENDING', attempts: 1, lastError: expect.any(String) });
    expect(started!.availableAt.getTime() - app.clock.now().getTime()).toBe(RETRY_BASE_MS);
    expect((await app.gql(END, { id: session.id }, token)).errors).toBeUndefined();

    await smtp.start();
    app.clock.advance(RETRY_BASE_MS);
    await drain(app);
    await rememberRows(app);
    const subjects = smtp.mails.filter(forSession(session.id)).map((mail) => mail.subject);
    expect(subjects.sort()).toEqual(
      ['Mara Quinn from Tidy Tails is viewing your account', "Mara Quinn's view of your account has ended"].sort(),
    );
    expect((await outbox(app, session.id)).filter((row) => row.channel === 'EMAIL').map((row) => row.attempts)).toEqual(
      [2, 1],
    );
  });

  it('doubles the wait after each failure and marks the row failed after the last attempt', async () => {
    await smtp.stop();
    const { session } = await startSession(app, mara);
    const emailRow = async () => (await outbox(app, session.id)).find((row) => row.channel === 'EMAIL')!;
    await drain(app);
    app.clock.advance(RETRY_BASE_MS);
    await drain(app);
    expect((await emailRow()).availableAt.getTime() - app.clock.now().getTime()).toBe(2 * RETRY_BASE_MS);
    app.clock.advance(2 * RETRY_BASE_MS);
    await drain(app);
    expect(await emailRow()).toMatchObject({ status: 'FAILED', attempts: 3 });
    const metrics = await (await fetch(app.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toContain('salon_notification_outbox_rows{status="FAILED"} 1');
    await app.gql(END, { id: session.id }, mara);
  });
});

describe('Staff-access notices without SMTP_URL', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('writes each email as an .eml file into the mail folder', async () => {
    const mara = await app.signIn('mara');
    const { session } = await startSession(app, mara);
    await drain(app);
    const { mailer } = app.services;
    expect(mailer.kind).toBe('files');
    const files = (await readdir(mailer.dir!)).filter((name) => name.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const mail = await simpleParser(await readFile(`${mailer.dir}/${files[0]}`));
    expect(mail.to).toMatchObject({ text: demo.chloe.email });
    expect(mail.subject).toBe('Mara Quinn from Tidy Tails is viewing your account');
    await app.gql(END, { id: session.id }, mara);
  });
});

describe.skipIf(!process.env.DATABASE_URL)('Two instances on one PostgreSQL database', () => {
  let first: TestApp;
  let second: TestApp;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    first = await startTestApp({ config: { SMTP_URL: smtp.url } });
    second = await startTestAppBeside(first, {
      redisChannelPrefix: `notify-${randomBytes(6).toString('hex')}`,
      config: { SMTP_URL: smtp.url },
    });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await smtp?.stop();
  });

  it('sends every notice once while both instances deliver at the same moment', async () => {
    const mara = await first.signIn('mara');
    const sessions: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { session } = await startSession(first, mara);
      await first.gql(END, { id: session.id }, mara);
      sessions.push(session.id);
    }
    await drain(first);
    // The same 20 rows due again at once, on both instances.
    const prisma = first.services.prisma;
    const chloe = await prisma.customer.findUniqueOrThrow({ where: { email: demo.chloe.email } });
    const portal = { customerId: chloe.id, sender: 'SALON' as const, body: { contains: REASON } };
    await prisma.message.deleteMany({ where: portal });
    smtp.mails.length = 0;
    const rows = { sessionId: { in: sessions } };
    await prisma.notificationOutbox.updateMany({
      where: rows,
      data: { status: 'PENDING', attempts: 0, sentAt: null, availableAt: first.clock.now() },
    });
    second.clock.set(first.clock.now());

    await Promise.all([drain(first), drain(second), drain(first), drain(second)]);
    await rememberRows(first);

    expect(smtp.mails.filter((mail) => sessions.includes(mailSession(mail) ?? ''))).toHaveLength(10);
    expect(new Set(smtp.mails.map((mail) => mail.messageId)).size).toBe(10);
    const after = await prisma.notificationOutbox.findMany({ where: rows });
    expect(after.map((row) => [row.status, row.attempts])).toEqual(Array(20).fill(['SENT', 1]));
    expect(await prisma.message.count({ where: portal })).toBe(10);
  });
});
