// The customer's own staff-access history (GDPR Art. 15, SPEC 11): every staff view of her account,
// newest first, with who, when (in her time zone), why, the pages and records shown (from the
// audit's `seen`: session-activity.ts), the fields it revealed and why, refused attempts, the
// extension, how it ended in her words, whether it was emergency access and how that was reviewed
// (customer-history-events.ts), and the requests she allowed or declined. Customer words only
// (notifications/customer-texts.ts): no internal note or review note, no ticket, operation, field
// or hash. At most HISTORY_MAX_VIEWS views per download; the
// document says when there are older ones and how to ask for them.
import type { PrismaClient } from '@prisma/client';
import { accessSummary } from './access-summary.ts';
import { historyEventsOf } from './customer-history-events.ts';
import { historyRecordsOf, recordLabels } from './customer-history-records.ts';
import { petNamesOf, sessionActivityReader } from './session-activity.ts';
import { sessionState } from '../impersonation/policy.ts';
import {
  customerEndNote,
  customerEndPhrase,
  customerTimeZone,
  emergencyAccessNote,
  emergencyAccessWords,
  formatCustomerTime,
} from '../notifications/customer-texts.ts';

/** The most staff views one download covers; older ones come with `olderThan`. */
export const HISTORY_MAX_VIEWS = 100;

/** Who asks, and what of the salon the document names. */
export interface HistoryInput {
  prisma: PrismaClient;
  now: Date;
  salonName: string;
  salonTimeZone?: string | null;
  customerId: string;
  /** A view of hers (its id): the download covers the views started before it. */
  olderThan?: string | null;
  /** @default HISTORY_MAX_VIEWS */
  maxViews?: number;
}

/** A moment in UTC and as her clock shows it. */
const moment = (date: Date, timeZone: string) => ({
  at: date.toISOString(),
  local: formatCustomerTime(date, timeZone),
});

/** Thrown when `olderThan` names no view of hers. */
export class UnknownHistoryCursor extends Error {}

/** The history document, as signed, and how many views it covers. */
export async function customerHistory(input: HistoryInput) {
  const { prisma, now, customerId } = input;
  const maxViews = input.maxViews ?? HISTORY_MAX_VIEWS;
  const customer = await prisma.customer.findUniqueOrThrow({
    where: { id: customerId },
    select: { name: true, timeZone: true },
  });
  const timeZone = customerTimeZone(customer.timeZone, input.salonTimeZone);
  const cursor = input.olderThan
    ? await prisma.impersonationSession.findFirst({
        where: { id: input.olderThan, customerId },
        select: { id: true, startedAt: true },
      })
    : null;
  if (input.olderThan && !cursor) throw new UnknownHistoryCursor();
  const before = cursor
    ? { OR: [{ startedAt: { lt: cursor.startedAt } }, { startedAt: cursor.startedAt, id: { lt: cursor.id } }] }
    : {};
  const sessions = await prisma.impersonationSession.findMany({
    where: { customerId, ...before },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: maxViews + 1,
    select: {
      id: true,
      reason: true,
      startedAt: true,
      expiresAt: true,
      extendedAt: true,
      endedAt: true,
      endState: true,
      customerMessage: true,
      emergencyCategory: true,
      staff: { select: { name: true } },
      endedBy: { select: { name: true } },
    },
  });
  const complete = sessions.length <= maxViews;
  const covered = sessions.slice(0, maxViews);
  const activity = sessionActivityReader(prisma);
  const activities = await Promise.all(covered.map((session) => activity(session.id)));
  const allViews = activities.flatMap((each) => each.views);
  const petNames = await petNamesOf(prisma, customerId, allViews);
  const labels = await recordLabels(prisma, customerId, allViews, timeZone);
  const events = await historyEventsOf(
    prisma,
    customerId,
    covered.map((session) => session.id),
    input.salonName,
  );

  const views = covered.map((session, i) => {
    const { views: pages, denied } = activities[i]!;
    const state = sessionState(session, now);
    const inProgress = state === 'ACTIVE';
    // Past its time but not yet closed by the sweeper: it ended when it expired.
    const endedAt = session.endedAt ?? (inProgress ? null : session.expiresAt);
    const staffName = session.staff.name;
    const { reveals, followUps } = events.get(session.id)!;
    return {
      id: session.id,
      staffName,
      reason: session.reason,
      emergency: session.emergencyCategory
        ? {
            what: emergencyAccessWords(session.emergencyCategory),
            note: emergencyAccessNote(input.salonName),
            followUps: followUps.map((followUp) => ({ at: moment(followUp.at, timeZone), what: followUp.what })),
          }
        : null,
      started: moment(session.startedAt, timeZone),
      ended: endedAt ? moment(endedAt, timeZone) : null,
      inProgress,
      extended: session.extendedAt
        ? { at: moment(session.extendedAt, timeZone), until: moment(session.expiresAt, timeZone) }
        : null,
      howItEnded:
        state === 'ACTIVE'
          ? null
          : customerEndPhrase({
              endState: state,
              salonName: input.salonName,
              staffName,
              endedByName: session.endedBy?.name ?? null,
            }),
      messageFromSalon: customerEndNote(session),
      summary: accessSummary({ staffName, views: pages, petNames, refused: denied, active: inProgress, reveals }),
      pagesViewed: pages.map((page) => ({
        page: page.page,
        timesOpened: page.views,
        records: historyRecordsOf(page.records, labels),
      })),
      revealed: reveals.map((reveal) => ({
        at: moment(reveal.at, timeZone),
        what: reveal.what,
        reason: reveal.reason,
      })),
      refusedAttempts: denied,
    };
  });

  const oldest = covered.at(-1);
  const requests = await prisma.accessRequest.findMany({
    where: {
      customerId,
      OR: [{ customerApprovedAt: { not: null } }, { declinedAt: { not: null }, declinedByStaffId: null }],
      createdAt: {
        ...(cursor ? { lt: cursor.startedAt } : {}),
        ...(!complete && oldest ? { gte: oldest.startedAt } : {}),
      },
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: maxViews,
    select: {
      id: true,
      reason: true,
      createdAt: true,
      customerApprovedAt: true,
      declinedAt: true,
      staff: { select: { name: true } },
    },
  });

  const history = {
    salon: input.salonName,
    customer: customer.name,
    generated: moment(now, timeZone),
    timeZone,
    coverage: {
      views: views.length,
      complete,
      olderThan: cursor?.id ?? null,
      nextOlderThan: complete ? null : (oldest?.id ?? null),
      note: complete
        ? 'Every staff view of your account up to the time above.'
        : `The ${views.length} most recent staff views in this range; download again for the older ones.`,
    },
    views,
    requests: requests.map((request) => ({
      id: request.id,
      staffName: request.staff.name,
      reason: request.reason,
      asked: moment(request.createdAt, timeZone),
      answer: request.customerApprovedAt ? ('ALLOWED' as const) : ('DECLINED' as const),
      answered: moment((request.customerApprovedAt ?? request.declinedAt)!, timeZone),
    })),
  };
  return { history, views: views.length, complete };
}

/** The history document's shape (the client reads the same JSON). */
export type CustomerHistory = Awaited<ReturnType<typeof customerHistory>>['history'];
