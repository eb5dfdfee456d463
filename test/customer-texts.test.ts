// Two audiences, two texts (SECURITY.md): a customer never reads a staff-internal word. Every end
// state is reached with a unique internal-note marker in every staff-internal field (the end
// reason, a termination's note, the kill switch's reason), and every customer-facing text (emails
// received by a real SMTP server, portal messages, the access log, live presence, requests) is
// searched for it; staff and the audit still read it. Also: the customer is told everything, in
// her own time zone, from the salon: extensions, ask-first requests by email without a sign-in link.
import { ImpersonationEndState } from '@prisma/client';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endImpersonation } from '../server/impersonation/lifecycle.ts';
import { SET_PREFERENCE, tryStart } from './access-helpers.ts';
import { MINUTE, STEP_UP_AFTER_A_YEAR, expectData, expectError } from './factories.ts';
import { demo, startTestApp, type TestApp } from './harness.ts';
import { REASON, startSession } from './impersonation-helpers.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';

const MARKER = 'INTERNAL-NOTE-7f3a';
const TERMINATE = `mutation T($id: ID!, $reason: String!, $customerMessage: String) {
  terminateImpersonation(sessionId: $id, reason: $reason, customerMessage: $customerMessage) { id endReason customerMessage }
}`;
const DISABLE = 'mutation D($reason: String!) { disableStaffViews(reason: $reason) { enabled } }';
const EXTEND = 'mutation E($id: ID!) { extendImpersonation(sessionId: $id) { expiresAt extendedAt } }';
const PROFILE = 'mutation P($input: UpdateProfileInput!) { updateProfile(input: $input) { timeZone } }';
const STAFF_SIDE = 'query S($id: ID!) { impersonationSession(id: $id) { endState endReason customerMessage } }';
const PRESENCE = '{ staffPresence { staffName salonName reason startedAt expiresAt } }';
const CUSTOMER_SIDE = `{ me {
  messages { sender staffName body }
  staffAccessLog { id staffName reason startedAt expiresAt extendedAt endedAt endState endReason summary viewed { page } }
  accessRequests { staffName reason state expiresAt }
} }`;
const SALON = 'Tidy Tails';
/** The portal's address emails link to (PORTAL_URL). */
const PORTAL_URL = 'https://portal.tidytails.example/';

describe('What the customer reads', () => {
  let app: TestApp;
  let smtp: SmtpSink;
  let mara: string;
  let max: string;
  let chloe: string;
  /** Everything customer-facing seen live (presence) along the way. */
  const live: string[] = [];

  const drain = () => app.app.notifications()!.drain();
  const mailsToChloe = () => smtp.mailsTo(demo.chloe.email);
  const mailText = (mail: ParsedMail) => [mail.subject, mail.text, mail.html || ''].join('\n');
  const customerSide = async () => expectData(await app.gql(CUSTOMER_SIDE, {}, chloe)).me;
  const logEntry = async (sessionId: string) =>
    (await customerSide()).staffAccessLog.find((entry: { id: string }) => entry.id === sessionId);
  /** The emails about a session or a request, as received (the Message-ID is the outbox row's id), by subject. */
  async function mailsOf(about: { sessionId: string } | { requestId: string }): Promise<Map<string, ParsedMail>> {
    await drain();
    const rows = await app.services.prisma.notificationOutbox.findMany({
      where: { ...about, channel: 'EMAIL' },
      orderBy: { createdAt: 'asc' },
    });
    const mails = await Promise.all(
      rows.map((row) => smtp.waitFor((mail) => mail.messageId === `<${row.id}@staff-access.notifications>`)),
    );
    return new Map(mails.map((mail) => [mail.subject!, mail]));
  }
  const END_SUBJECT = "Mara Quinn's view of your account has ended";
  const END = 'mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }';

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startTestApp({
      // MAIL_FROM's name is not the salon's: every email must still come from the salon.
      config: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Notifications <no-reply@salon.example>',
        PORTAL_URL,
        ...STEP_UP_AFTER_A_YEAR,
      },
    });
    [mara, max, chloe] = await Promise.all([app.signIn('mara'), app.signIn('max'), app.signIn('chloe')]);
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  /** Ends a view of chloe as `state`, with the marker in every staff-internal field that end has. */
  async function endAs(state: ImpersonationEndState, sessionId: string, marker: string) {
    if (state === 'TERMINATED') {
      expectData(await app.gql(TERMINATE, { id: sessionId, reason: `${marker} no ticket logged` }, max));
    } else if (state === 'STAFF_VIEWS_DISABLED') {
      expectData(await app.gql(DISABLE, { reason: `${marker} suspected misuse` }, max));
      // Setup only: turning them back on is another part's (a second manager's) business.
      await app.services.prisma.salonSettings.updateMany({ data: { staffViewsEnabled: true, staffViewsReason: null } });
    } else {
      const ended = await endImpersonation(app.services, sessionId, { state, reason: `${marker} recorded reason` });
      expect(ended?.endState).toBe(state);
    }
  }

  it.each(Object.values(ImpersonationEndState))(
    'never shows the customer the staff-internal reason of a view that ended %s; staff still read it',
    async (state) => {
      const marker = `${MARKER}-${state}`;
      const { session } = await startSession(app, mara);
      live.push(JSON.stringify(expectData(await app.gql(PRESENCE, {}, chloe))));
      await endAs(state, session.id, marker);
      await drain();

      const staffSide = expectData(await app.gql(STAFF_SIDE, { id: session.id }, max)).impersonationSession;
      expect(staffSide).toMatchObject({ endState: state, endReason: expect.stringContaining(marker) });
      const audit = await app.services.prisma.auditEvent.findFirst({
        where: { sessionId: session.id, reason: { contains: marker } },
      });
      expect(audit, 'the audit keeps the internal note').not.toBeNull();

      const mails = await mailsOf({ sessionId: session.id });
      expect([...mails.keys()]).toEqual(['Mara Quinn from Tidy Tails is viewing your account', END_SUBJECT]);
      for (const mail of mails.values()) expect(mailText(mail)).not.toContain(marker);
      expect(JSON.stringify(await logEntry(session.id))).not.toContain(marker);
    },
  );

  it('shows no internal note in any email, portal message, access-log entry, presence or request', async () => {
    await drain();
    const texts = [...mailsToChloe().map(mailText), JSON.stringify(await customerSide()), ...live];
    expect(mailsToChloe().length).toBeGreaterThanOrEqual(2 * Object.values(ImpersonationEndState).length);
    for (const text of texts) expect(text).not.toContain(MARKER);
  });

  it('sends every email from the salon, whatever MAIL_FROM is named', () => {
    const senders = new Set(mailsToChloe().map((mail) => JSON.stringify(mail.from?.value)));
    expect([...senders]).toEqual([JSON.stringify([{ address: 'no-reply@salon.example', name: SALON }])]);
  });

  it('shows the customer the terminating manager’s message, never the internal note', async () => {
    const { session } = await startSession(app, mara);
    const message = 'We opened your account by mistake; sorry for the trouble.';
    const ended = expectData(
      await app.gql(
        TERMINATE,
        { id: session.id, reason: `${MARKER} please log a ticket`, customerMessage: message },
        max,
      ),
    ).terminateImpersonation;
    expect(ended).toMatchObject({ endReason: `${MARKER} please log a ticket`, customerMessage: message });
    const end = (await mailsOf({ sessionId: session.id })).get(END_SUBJECT)!;
    expect(end.text).toContain('a manager (Max Okafor) stopped it.');
    expect(end.text).toContain(`Message from ${SALON}: "${message}"`);
    expect(end.text).not.toContain(MARKER);
    expect(await logEntry(session.id)).toMatchObject({ endState: 'TERMINATED', endReason: message });
  });

  it('refuses a message to the customer that breaks the reason rule', async () => {
    const { session } = await startSession(app, mara);
    const refused = await app.gql(TERMINATE, { id: session.id, reason: 'wrong customer', customerMessage: '!!' }, max);
    expectError(refused, 'BAD_USER_INPUT');
    expectData(await app.gql(TERMINATE, { id: session.id, reason: 'wrong customer' }, max));
    await drain();
  });

  it('tells the customer of an extension: a notice, and "extended once, until ..." in her access log', async () => {
    const messagesBefore = (await customerSide()).messages.length;
    const { token, session } = await startSession(app, mara);
    app.clock.advance(26 * MINUTE);
    const extended = expectData(await app.gql(EXTEND, { id: session.id }, token)).extendImpersonation;
    const notice = (await mailsOf({ sessionId: session.id })).get("Mara Quinn's view of your account was extended");
    expect(notice, 'the extension email').toBeDefined();
    expect(notice!.text).toMatch(
      /Extended once, until \w{3} \d{1,2}, \d{4}, \d{1,2}:\d{2} (AM|PM) UTC; it cannot be extended again/,
    );
    const { messages } = await customerSide();
    expect(
      messages
        .slice(messagesBefore)
        .map((m: { body: string }) => m.body)
        .join('\n'),
    ).toContain('Extended once, until');
    expect(await logEntry(session.id)).toMatchObject({
      extendedAt: extended.extendedAt,
      expiresAt: extended.expiresAt,
      endedAt: null,
    });
    expectData(await app.gql(END, { id: session.id }, token));
    const end = (await mailsOf({ sessionId: session.id })).get(END_SUBJECT)!;
    expect(end.text).toContain('It had been extended once, until');
  });

  it('writes every time in the customer’s time zone: PST in winter, PDT in summer, UTC said when she has none', async () => {
    expectError(await app.gql(PROFILE, { input: { timeZone: 'Mars/Olympus_Mons' } }, chloe), 'BAD_USER_INPUT');
    expect(expectData(await app.gql(PROFILE, { input: { timeZone: 'America/Los_Angeles' } }, chloe))).toEqual({
      updateProfile: { timeZone: 'America/Los_Angeles' },
    });
    const startMail = async (at: string) => {
      app.clock.set(new Date(at));
      // Sign-ins last hours, the clock jumps months: sign in again.
      [mara, chloe] = await Promise.all([app.signIn('mara'), app.signIn('chloe')]);
      const { session } = await startSession(app, mara);
      expectData(await app.gql(END, { id: session.id }, mara));
      return (await mailsOf({ sessionId: session.id })).get('Mara Quinn from Tidy Tails is viewing your account')!
        .text!;
    };
    const winter = await startMail('2027-01-15T17:27:00.000Z');
    expect(winter).toContain('at Jan 15, 2027, 9:27 AM PST, read-only');
    expect(winter).toContain('(until Jan 15, 2027, 9:57 AM PST)');
    const summer = await startMail('2027-07-15T17:27:00.000Z');
    expect(summer).toContain('at Jul 15, 2027, 10:27 AM PDT, read-only');
    expect(summer).not.toContain('UTC');

    expectData(await app.gql(PROFILE, { input: { timeZone: '' } }, chloe));
    expect(await startMail('2027-07-15T18:27:00.000Z')).toContain('at Jul 15, 2027, 6:27 PM UTC, read-only');
  });

  it('emails an ask-first request from the salon, linking only to the portal (nothing that signs in), and lets it wait a day', async () => {
    expectData(await app.gql(SET_PREFERENCE, { preference: 'ASK_FIRST' }, chloe));
    const messagesBefore = (await customerSide()).messages.length;
    const requested = expectData(await tryStart(app, mara, demo.chloe.email)).startImpersonation;
    expect(requested.status).toBe('REQUESTED');
    const row = await app.services.prisma.accessRequest.findUniqueOrThrow({
      where: { id: requested.accessRequest!.id },
    });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(24 * 60 * MINUTE);

    const mail = (await mailsOf({ requestId: row.id })).get('Mara Quinn from Tidy Tails asks to view your account')!;
    expect(mail.from?.value).toEqual([{ address: 'no-reply@salon.example', name: SALON }]);
    expect(mail.text).toContain(`Reason given: "${REASON}"`);
    expect(mail.text).toContain('open your portal and sign in as usual');
    expect(mail.text).toContain('It waits for your answer for 24 hours, until');
    expect(mail.text).toContain(
      `Open your portal: ${PORTAL_URL} (you sign in there as usual; no email from us signs you in).`,
    );
    expect(mail.text).toContain('For your safety this email signs nobody in');
    const links = [...mailText(mail).matchAll(/https?:\/\/[^\s"<)]+/g)].map((match) => match[0]);
    expect(links.length).toBeGreaterThan(0);
    expect(new Set(links)).toEqual(new Set([PORTAL_URL]));
    expect(mailText(mail)).not.toMatch(/token|[?&#]\w+=/i);

    const added = (await customerSide()).messages.slice(messagesBefore);
    expect(added).toEqual([
      {
        sender: 'SALON',
        staffName: null,
        body: expect.stringContaining('Mara Quinn from Tidy Tails asks to view your account'),
      },
    ]);
    const outbox = await app.services.prisma.notificationOutbox.findMany({ where: { requestId: row.id } });
    expect(outbox.map(({ notice, channel, status, sessionId }) => ({ notice, channel, status, sessionId }))).toEqual([
      { notice: 'REQUESTED', channel: 'EMAIL', status: 'SENT', sessionId: null },
    ]);
    expectData(await app.gql(SET_PREFERENCE, { preference: 'FREELY' }, chloe));
  });
});
