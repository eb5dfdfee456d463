// What an ask-first customer is told when a staff member asks to view her account: by email
// (through the outbox, REQUESTED) and in her portal's Messages, both from the salon. The email links
// at most to the portal's plain address (PORTAL_URL), nothing that signs anyone in: she signs in
// there as usual to answer. Times are written in her time zone (customer-texts.ts).
import type { AccessRequest, PrismaClient } from '@prisma/client';
import { scopeWords } from '../access/policy.ts';
import { isWholePortal } from '../impersonation/scope.ts';
import { customerTimeZone, formatCustomerTime } from './customer-texts.ts';
import {
  ACCESS_LOG_HINT,
  formatDuration,
  renderLines,
  type NoticeSalon,
  type RenderedNotice,
} from './staff-access-notice.ts';

/** What a request notice is built from. */
export interface RequestFacts {
  salonName: string;
  /** The portal's address (PORTAL_URL) the email links to, or null. */
  portalUrl: string | null;
  customer: { id: string; name: string; email: string };
  timeZone: string;
  staffName: string;
  /** The reason the manager gave, knowing the customer reads it. */
  reason: string;
  /** The parts of her account asked for, in her words ("Billing and My Pets"), or null for all of it. */
  sections: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** The request's sentences, without greeting: the portal message is exactly these. */
function requestLines(facts: RequestFacts): string[] {
  const wait = formatDuration(facts.expiresAt.getTime() - facts.createdAt.getTime());
  return [
    `${facts.staffName} from ${facts.salonName} asks to view your account${facts.sections ? ` (only ${facts.sections})` : ''}, read-only.`,
    `Reason given: "${facts.reason}"`,
    `To answer, open your portal and sign in as usual: the request is shown at the top of every page. It waits for your answer for ${wait}, until ${formatCustomerTime(facts.expiresAt, facts.timeZone)}; without your yes, nobody views your account.`,
    ACCESS_LOG_HINT,
  ];
}

/** The request's portal message (Messages, from the salon). */
export function requestMessageOf(facts: RequestFacts): string {
  return requestLines(facts).join('\n\n');
}

/** The request's email: at most the portal's plain address, signed by the salon. */
export function renderRequestNotice(facts: RequestFacts): RenderedNotice {
  return renderLines(
    `${facts.staffName} from ${facts.salonName} asks to view your account`,
    [
      `Hello ${facts.customer.name},`,
      ...requestLines(facts),
      facts.portalUrl
        ? 'For your safety this email signs nobody in: answer only in your portal, signed in as usual.'
        : 'For your safety this email has no link: answer only in your portal.',
    ],
    facts.salonName,
    facts.portalUrl,
  );
}

/** The facts of a request, from its row, its customer (with her zone) and its staff member's name. */
export function requestFacts(
  request: Pick<AccessRequest, 'reason' | 'createdAt' | 'expiresAt' | 'scope'>,
  { timeZone, ...customer }: RequestFacts['customer'] & { timeZone: string | null },
  staffName: string,
  salon: NoticeSalon,
): RequestFacts {
  return {
    salonName: salon.SALON_NAME,
    portalUrl: salon.PORTAL_URL ?? null,
    customer,
    timeZone: customerTimeZone(timeZone, salon.SALON_TIME_ZONE),
    staffName,
    reason: request.reason,
    sections: isWholePortal(request.scope) ? null : scopeWords(request.scope),
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
  };
}

/** Reads what the notice of this request says. */
export async function loadRequestFacts(
  prisma: Pick<PrismaClient, 'accessRequest'>,
  requestId: string,
  salon: NoticeSalon,
): Promise<RequestFacts> {
  const request = await prisma.accessRequest.findUniqueOrThrow({
    where: { id: requestId },
    include: {
      staff: { select: { name: true } },
      customer: { select: { id: true, name: true, email: true, timeZone: true } },
    },
  });
  return requestFacts(request, request.customer, request.staff.name, salon);
}
