// What the customer is told when a staff view of their account starts, is extended and ends: who,
// why, how long (in her time zone), and at the end what was viewed, in the access log's words
// (audit/access-summary.ts) and how it ended in hers (customer-texts.ts: never a staff-internal
// note). Rendered when sent, not when the session changed: the end notice reads the session's
// audit records after they were all written. `renderStaffAccessNotice` is pure; the loader reads once.
import type { BreakGlassCategory, ImpersonationEndState, PrismaClient } from '@prisma/client';
import { BREAK_GLASS_CATEGORY_WORDS } from './customer-texts.ts';
import { accessSummary } from '../audit/access-summary.ts';
import { loadSessionActivity, petNamesOf } from '../audit/session-activity.ts';
import { customerEndNote, customerEndPhrase, customerTimeZone, formatCustomerTime } from './customer-texts.ts';

/** The notices about a session (a REQUESTED notice is about a request: request-notice.ts). */
export type SessionNotice = 'STARTED' | 'EXTENDED' | 'ENDED';

/** What a notice is built from: only what the customer may read (no recorded end reason). */
export interface StaffAccessFacts {
  notice: SessionNotice;
  salonName: string;
  /** The portal's address (PORTAL_URL) the email links to, or null: no address given. */
  portalUrl: string | null;
  customer: { id: string; name: string; email: string };
  /** The IANA zone every time is written in (customer-texts.ts `customerTimeZone`). */
  timeZone: string;
  staffName: string;
  /** The start reason, which the manager gave knowing the customer reads it. */
  reason: string;
  startedAt: Date;
  expiresAt: Date;
  extendedAt: Date | null;
  endedAt: Date | null;
  endState: ImpersonationEndState | null;
  /** A terminating manager's message to the customer, if they wrote one. */
  customerMessage: string | null;
  /** Who ended it when not the staff member viewing (a manager, or a revocation's author). */
  endedByName: string | null;
  /** The access log's sentence ("Mara Quinn viewed Home and Appointments (8 appointments)"); end only. */
  viewed: string | null;
  /** Break-glass: the emergency it was started for without the usual approval (her words: BREAK_GLASS_CATEGORY_WORDS). */
  emergency?: BreakGlassCategory | null;
}

/** The notice's sentence on an emergency access (break-glass), in her words: never the staff's justification. */
export const emergencyLine = (category: BreakGlassCategory, salonName: string) =>
  `This is emergency access: it was started without the usual approval because of ${BREAK_GLASS_CATEGORY_WORDS[category]}. Another manager at ${salonName} will review it.`;

/** A notice, rendered for each channel. */
export interface RenderedNotice {
  subject: string;
  /** The plain-text email body, also the portal message. */
  text: string;
  html: string;
}

/** "less than a minute", "1 minute", "1 hour 5 minutes". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const part = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;
  if (hours === 0) return part(rest, 'minute');
  return rest === 0 ? part(hours, 'hour') : `${part(hours, 'hour')} ${part(rest, 'minute')}`;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Where every staff view is listed for the customer. */
export const ACCESS_LOG_HINT =
  'Every staff view of your account is listed in Settings, under "Staff access to your account".';

/** The access log's words for an extension: "Extended once, until Jun 1, 2026, 11:27 AM PDT". */
export const extendedUntil = (expiresAt: Date, timeZone: string) =>
  `Extended once, until ${formatCustomerTime(expiresAt, timeZone)}`;

/** The lines of a notice (the first is the greeting), shared by text, HTML and the portal message. */
function noticeLines(facts: StaffAccessFacts): { subject: string; lines: string[] } {
  const { staffName, salonName } = facts;
  const at = (date: Date) => formatCustomerTime(date, facts.timeZone);
  const greeting = `Hello ${facts.customer.name},`;
  const why = `Reason given: "${facts.reason}"`;
  const emergency = facts.emergency ? [emergencyLine(facts.emergency, salonName)] : [];
  if (facts.notice === 'STARTED') {
    const allowed = formatDuration(facts.expiresAt.getTime() - facts.startedAt.getTime());
    return {
      subject: `${facts.emergency ? 'Emergency access: ' : ''}${staffName} from ${salonName} is viewing your account`,
      lines: [
        greeting,
        `${staffName} from ${salonName} started viewing your account at ${at(facts.startedAt)}, read-only, for up to ${allowed} (until ${at(facts.expiresAt)}).`,
        ...emergency,
        why,
        'You will get another message if the view is extended, and when it ends, with what was viewed.',
        ACCESS_LOG_HINT,
      ],
    };
  }
  if (facts.notice === 'EXTENDED') {
    return {
      subject: `${staffName}'s view of your account was extended`,
      lines: [
        greeting,
        `${staffName} from ${salonName} extended the view of your account${facts.extendedAt ? ` at ${at(facts.extendedAt)}` : ''}, read-only. ${extendedUntil(facts.expiresAt, facts.timeZone)}; it cannot be extended again.`,
        why,
        ACCESS_LOG_HINT,
      ],
    };
  }
  // No view outlasts its expiry: a sweep that recorded the expiry later does not lengthen it.
  const endedAt = new Date(Math.min((facts.endedAt ?? facts.expiresAt).getTime(), facts.expiresAt.getTime()));
  const ended = facts.endState ? customerEndPhrase({ ...facts, endState: facts.endState }) : 'it ended';
  const note = customerEndNote(facts);
  const extended = facts.extendedAt ? ` It had been extended once, until ${at(facts.expiresAt)}.` : '';
  return {
    subject: `${staffName}'s view of your account has ended`,
    lines: [
      greeting,
      `${staffName} from ${salonName} viewed your account from ${at(facts.startedAt)} to ${at(endedAt)} (${formatDuration(endedAt.getTime() - facts.startedAt.getTime())}); ${ended}.${extended}`,
      ...emergency,
      ...(note ? [`Message from ${salonName}: "${note}"`] : []),
      why,
      `What was viewed: ${facts.viewed ?? `${staffName} opened your account but viewed no page`}.`,
      ACCESS_LOG_HINT,
    ],
  };
}

/** What an email says of the portal: where it is, and that no email signs anyone in. */
export const portalLine = (portalUrl: string) =>
  `Open your portal: ${portalUrl} (you sign in there as usual; no email from us signs you in).`;

/**
 * A notice's lines as an email: the lines, the link to the portal (PORTAL_URL, when set: its plain
 * address, never anything that signs in), signed by the salon, in text and HTML.
 */
export function renderLines(
  subject: string,
  lines: readonly string[],
  salonName: string,
  portalUrl: string | null,
): RenderedNotice {
  const portal = portalUrl
    ? {
        text: [portalLine(portalUrl)],
        html: [
          `<p>Open your portal: <a href="${escapeHtml(portalUrl)}">${escapeHtml(portalUrl)}</a> (you sign in there as usual; no email from us signs you in).</p>`,
        ],
      }
    : { text: [], html: [] };
  return {
    subject,
    text: `${[...lines, ...portal.text].join('\n\n')}\n\n${salonName}\n`,
    html: `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">${lines
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join('')}${portal.html.join('')}<p>${escapeHtml(salonName)}</p></body></html>`,
  };
}

/** The subject and bodies of a notice. */
export function renderStaffAccessNotice(facts: StaffAccessFacts): RenderedNotice {
  const { subject, lines } = noticeLines(facts);
  return renderLines(subject, lines, facts.salonName, facts.portalUrl);
}

/** The portal message: the notice without greeting, one paragraph per line. */
export function portalMessageOf(facts: StaffAccessFacts): string {
  return noticeLines(facts).lines.slice(1).join('\n\n');
}

/** The salon's side of every notice: its name (the one sender), its time zone and its portal's address, if set. */
export interface NoticeSalon {
  SALON_NAME: string;
  SALON_TIME_ZONE?: string | undefined;
  PORTAL_URL?: string | undefined;
}

/** Reads what a notice of this session says (the end notice: from its audit records). */
export async function loadStaffAccessFacts(
  prisma: Pick<PrismaClient, 'impersonationSession' | '$queryRaw' | 'pet'>,
  sessionId: string,
  notice: SessionNotice,
  salon: NoticeSalon,
): Promise<StaffAccessFacts> {
  const session = await prisma.impersonationSession.findUniqueOrThrow({
    where: { id: sessionId },
    include: {
      staff: { select: { name: true } },
      customer: { select: { id: true, name: true, email: true, timeZone: true } },
      endedBy: { select: { name: true } },
    },
  });
  let viewed: string | null = null;
  if (notice === 'ENDED') {
    const activity = (await loadSessionActivity(prisma, [sessionId])).get(sessionId)!;
    viewed = accessSummary({
      staffName: session.staff.name,
      views: activity.views,
      petNames: await petNamesOf(prisma, session.customerId, activity.views),
      refused: activity.denied,
      active: false,
    });
  }
  const { timeZone, ...customer } = session.customer;
  return {
    notice,
    salonName: salon.SALON_NAME,
    portalUrl: salon.PORTAL_URL ?? null,
    customer,
    timeZone: customerTimeZone(timeZone, salon.SALON_TIME_ZONE),
    staffName: session.staff.name,
    reason: session.reason,
    startedAt: session.startedAt,
    expiresAt: session.expiresAt,
    extendedAt: session.extendedAt,
    endedAt: session.endedAt,
    endState: session.endState,
    customerMessage: session.customerMessage,
    endedByName: session.endedByStaffId && session.endedByStaffId !== session.staffId ? session.endedBy!.name : null,
    viewed,
    emergency: session.emergencyCategory,
  };
}
