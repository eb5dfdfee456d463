// What the customer is told when a staff view of their account starts and when it ends: who, why,
// how long, and at the end what was viewed, in the access log's words (audit/access-summary.ts).
// Rendered when sent, not when the session changed: the end notice reads the session's audit
// records after they were all written. `renderStaffAccessNotice` is pure; the loader reads once.
import type { ImpersonationEndState, PrismaClient, StaffAccessNotice } from '@prisma/client';
import { accessSummary } from '../audit/access-summary.ts';
import { loadSessionActivity, petNamesOf } from '../audit/session-activity.ts';

/** What a notice is built from. */
export interface StaffAccessFacts {
  notice: StaffAccessNotice;
  salonName: string;
  customer: { id: string; name: string; email: string };
  staffName: string;
  reason: string;
  startedAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  endState: ImpersonationEndState | null;
  endReason: string | null;
  /** Who ended it when not the staff member viewing (a manager, or a revocation's author). */
  endedByName: string | null;
  /** The access log's sentence ("Mara Quinn viewed Home and Appointments (8 appointments)"); end only. */
  viewed: string | null;
}

/** A notice, rendered for each channel. */
export interface RenderedNotice {
  subject: string;
  /** The plain-text email body, also the portal message. */
  text: string;
  html: string;
}

const withReason = (text: string, facts: StaffAccessFacts) => (facts.endReason ? `${text} (${facts.endReason})` : text);

/** How each end reads; end states added later read "it ended" with their recorded reason. */
const END_PHRASES: Partial<Record<ImpersonationEndState, (facts: StaffAccessFacts) => string>> = {
  ENDED: (facts) => `${facts.staffName} ended it`,
  EXPIRED: () => 'it reached its time limit',
  TERMINATED: (facts) => withReason(`a manager${facts.endedByName ? ` (${facts.endedByName})` : ''} stopped it`, facts),
  REVOKED: (facts) => withReason('access was withdrawn', facts),
};

const formatTime = (date: Date) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date) + ' UTC';

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

/** The lines of a notice (the first is the greeting), shared by text, HTML and the portal message. */
function noticeLines(facts: StaffAccessFacts): { subject: string; lines: string[] } {
  const { staffName, salonName } = facts;
  const greeting = `Hello ${facts.customer.name},`;
  const why = `Reason given: "${facts.reason}"`;
  const where = 'Every staff view of your account is listed in Settings, under "Staff access to your account".';
  if (facts.notice === 'STARTED') {
    const allowed = formatDuration(facts.expiresAt.getTime() - facts.startedAt.getTime());
    return {
      subject: `${staffName} from ${salonName} is viewing your account`,
      lines: [
        greeting,
        `${staffName} from ${salonName} started viewing your account at ${formatTime(facts.startedAt)}, read-only, for up to ${allowed} (until ${formatTime(facts.expiresAt)}).`,
        why,
        'You will get another message when the view ends, with what was viewed.',
        where,
      ],
    };
  }
  // No view outlasts its expiry: a sweep that recorded the expiry later does not lengthen it.
  const endedAt = new Date(Math.min((facts.endedAt ?? facts.expiresAt).getTime(), facts.expiresAt.getTime()));
  const phrase = facts.endState ? END_PHRASES[facts.endState] : undefined;
  const ended = phrase ? phrase(facts) : withReason('it ended', facts);
  return {
    subject: `${staffName}'s view of your account has ended`,
    lines: [
      greeting,
      `${staffName} from ${salonName} viewed your account from ${formatTime(facts.startedAt)} to ${formatTime(endedAt)} (${formatDuration(endedAt.getTime() - facts.startedAt.getTime())}); ${ended}.`,
      why,
      `What was viewed: ${facts.viewed ?? `${staffName} opened your account but viewed no page`}.`,
      where,
    ],
  };
}

/** The subject and bodies of a notice. */
export function renderStaffAccessNotice(facts: StaffAccessFacts): RenderedNotice {
  const { subject, lines } = noticeLines(facts);
  return {
    subject,
    text: `${lines.join('\n\n')}\n\n${facts.salonName}\n`,
    html: `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">${lines
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join('')}<p>${escapeHtml(facts.salonName)}</p></body></html>`,
  };
}

/** The portal message: the notice without greeting, one paragraph per line. */
export function portalMessageOf(facts: StaffAccessFacts): string {
  return noticeLines(facts).lines.slice(1).join('\n\n');
}

/** Reads what a notice of this session says (the end notice: from its audit records). */
export async function loadStaffAccessFacts(
  prisma: Pick<PrismaClient, 'impersonationSession' | '$queryRaw' | 'pet'>,
  sessionId: string,
  notice: StaffAccessNotice,
  salonName: string,
): Promise<StaffAccessFacts> {
  const session = await prisma.impersonationSession.findUniqueOrThrow({
    where: { id: sessionId },
    include: {
      staff: { select: { name: true } },
      customer: { select: { id: true, name: true, email: true } },
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
  return {
    notice,
    salonName,
    customer: session.customer,
    staffName: session.staff.name,
    reason: session.reason,
    startedAt: session.startedAt,
    expiresAt: session.expiresAt,
    endedAt: session.endedAt,
    endState: session.endState,
    endReason: session.endReason,
    endedByName: session.endedByStaffId && session.endedByStaffId !== session.staffId ? session.endedBy!.name : null,
    viewed,
  };
}
