// Periodic access reviews (issue 24, item 3): a review opens once per period (multi-instance safe),
// another manager confirms or removes each manager's right to view customers, an unanswered item
// suspends the right at the deadline, a suspended manager's start is refused with
// ACCESS_REVIEW_SUSPENDED until a reviewer confirms the item, and a review downloads as CSV.
// The clock is moved by hand; the job's pass is run by the test (runAccessReviewsOnce).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDueAccessReview } from '../server/access/reviews.ts';
import { runAccessReviewsOnce } from '../server/access/reviews-job.ts';
import { unansweredOutcome } from '../server/access/reviews-policy.ts';
import { DAY, MINUTE, STEP_UP_AFTER_A_YEAR, expectData, expectError } from './factories.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { START, customerId, startSession } from './impersonation-helpers.ts';

const ITEM_FIELDS =
  'id views protectedViews breakGlassUses decision note viewRightSuspended canDecide staff { id name } decidedBy { name }';
const REVIEWS = `query Reviews { accessReviews { id sequence open openedAt deadlineAt salonTimeZone items { ${ITEM_FIELDS} } } }`;
const CONFIRM = `mutation Confirm($id: ID!, $note: String) { confirmAccessReviewItem(itemId: $id, note: $note) { ${ITEM_FIELDS} } }`;
const REMOVE = `mutation Remove($id: ID!, $note: String!) { removeAccessReviewItem(itemId: $id, note: $note) { ${ITEM_FIELDS} } }`;
const CSV = 'query Csv($id: ID!) { accessReviewCsv(reviewId: $id) { fileName content } }';

interface ItemView {
  id: string;
  views: number;
  protectedViews: number;
  breakGlassUses: number | null;
  decision: string | null;
  note: string | null;
  viewRightSuspended: boolean;
  canDecide: boolean;
  staff: { id: string; name: string };
  decidedBy: { name: string } | null;
}
interface ReviewView {
  id: string;
  sequence: number;
  open: boolean;
  openedAt: string;
  deadlineAt: string;
  salonTimeZone: string;
  items: ItemView[];
}

/** Reviews began on 1 Nov 2026 (SalonSettings.accessReviewsSince): the first is due 91 days later, on 31 Jan 2027. */
const SALON_SINCE = new Date('2026-11-01T12:00:00Z');
/** 5 May 2027 16:30 UTC, 91 days after the first review: 09:30 in Los Angeles (PDT; the first opened in PST). */
const SECOND_REVIEW_AT = new Date('2027-05-05T16:30:00Z');

let app: TestApp;
let mara: string;
let max: string;
let rita: string;
let chloeId: string;

async function reviews(token = max): Promise<ReviewView[]> {
  return expectData(await app.gql<{ accessReviews: ReviewView[] }>(REVIEWS, {}, token)).accessReviews;
}
const itemOf = (review: ReviewView, name: string) => review.items.find((item) => item.staff.name === name)!;
const startAs = (token: string) =>
  app.gql(START, { customerId: chloeId, reason: 'Chloe asked about her last invoice' }, token);
async function endSession(token: string, sessionId: string) {
  expectData(
    await app.gql('mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }', { id: sessionId }, token),
  );
}

beforeAll(async () => {
  app = await startTestApp({
    config: {
      ...STEP_UP_AFTER_A_YEAR,
      AUTH_SESSION_HOURS: 24 * 366 * 2,
      IMPERSONATION_STARTS_PER_WINDOW: 1000,
      SALON_TIME_ZONE: 'America/Los_Angeles',
    },
  });
  await app.services.prisma.salonSettings.update({ where: { id: 1 }, data: { accessReviewsSince: SALON_SINCE } });
  app.clock.set(new Date(SALON_SINCE.getTime() + 30 * DAY));
  [mara, max, rita] = await Promise.all([app.signIn('mara'), app.signIn('max'), app.signIn('rita')]);
  chloeId = await customerId(app, mara, 'chloe@example.test');
});
afterAll(() => app?.close());

describe('Opening', () => {
  it('opens no review before the interval has passed since reviews began', async () => {
    await runAccessReviewsOnce(app.services);
    expect(await reviews()).toEqual([]);
  });

  it('opens one review per period, even when instances try at once, listing every active manager', async () => {
    app.clock.set(new Date(SALON_SINCE.getTime() + 91 * DAY + MINUTE));
    const opened = await Promise.all([1, 2, 3].map(() => openDueAccessReview(app.services, app.clock.now())));
    expect(opened.filter(Boolean)).toHaveLength(1);
    await runAccessReviewsOnce(app.services);
    const [review, ...older] = await reviews();
    expect(older).toEqual([]);
    expect(review!.sequence).toBe(1);
    expect(review!.items.map((item) => item.staff.name).sort()).toEqual(['Mara Quinn', 'Max Okafor']);
    const opening = await app.services.prisma.auditEvent.count({ where: { action: 'ACCESS_REVIEW_OPENED' } });
    expect(opening).toBe(1);
  });
});

describe('Who may decide', () => {
  it('a manager cannot review himself', async () => {
    const [review] = await reviews(mara);
    const own = itemOf(review!, 'Mara Quinn');
    expect(own.canDecide).toBe(false);
    expectError(await app.gql(CONFIRM, { id: own.id }, mara), 'FORBIDDEN', 'ACCESS_REVIEW_OF_SELF');
    expectError(
      await app.gql(REMOVE, { id: own.id, note: 'I am done here' }, mara),
      'FORBIDDEN',
      'ACCESS_REVIEW_OF_SELF',
    );
    expect(itemOf((await reviews())[0]!, 'Mara Quinn').decision).toBeNull();
  });

  it('a staff member who is not a manager can neither read nor decide a review', async () => {
    const item = itemOf((await reviews())[0]!, 'Mara Quinn');
    expectError(await app.gql(REVIEWS, {}, rita), 'FORBIDDEN');
    expectError(await app.gql(CONFIRM, { id: item.id }, rita), 'FORBIDDEN');
    expectError(await app.gql(REMOVE, { id: item.id, note: 'Not my call at all' }, rita), 'FORBIDDEN');
    expect(itemOf((await reviews())[0]!, 'Mara Quinn').decision).toBeNull();
  });

  it('a removal needs a note', async () => {
    const item = itemOf((await reviews())[0]!, 'Mara Quinn');
    expectError(await app.gql(REMOVE, { id: item.id, note: '  ' }, max), 'BAD_USER_INPUT');
  });
});

describe('The deadline', () => {
  it('suspends an unanswered manager’s right; a start by them is refused until a reviewer restores it', async () => {
    const [review] = await reviews();
    const maxItem = itemOf(review!, 'Max Okafor');
    expect(expectData(await app.gql(CONFIRM, { id: maxItem.id }, mara)).confirmAccessReviewItem).toMatchObject({
      decision: 'CONFIRMED',
      decidedBy: { name: 'Mara Quinn' },
    });

    // Before the deadline nothing is suspended: Mara still starts.
    const before = await startSession(app, mara);
    await endSession(before.token, before.session.id);

    app.clock.set(new Date(new Date(review!.deadlineAt).getTime() + MINUTE));
    await runAccessReviewsOnce(app.services);
    await runAccessReviewsOnce(app.services);
    const [after] = await reviews();
    expect(after!.open).toBe(false);
    expect(itemOf(after!, 'Mara Quinn')).toMatchObject({
      decision: 'SUSPENDED',
      viewRightSuspended: true,
      decidedBy: null,
    });
    expect(itemOf(after!, 'Max Okafor')).toMatchObject({ decision: 'CONFIRMED', viewRightSuspended: false });
    const unanswered = await app.services.prisma.auditEvent.findMany({ where: { action: 'ACCESS_REVIEW_UNANSWERED' } });
    expect(unanswered).toHaveLength(1);

    const refused = await startAs(mara);
    expectError(refused, 'FORBIDDEN', 'ACCESS_REVIEW_SUSPENDED');
    expect(refused.data?.startImpersonation ?? null).toBeNull();
    // Max's right was confirmed: he still starts.
    const maxView = await startSession(app, max);
    await endSession(maxView.token, maxView.session.id);

    // Mara cannot restore herself; Max, a reviewer, can.
    const item = itemOf(after!, 'Mara Quinn');
    expectError(await app.gql(CONFIRM, { id: item.id }, mara), 'FORBIDDEN', 'ACCESS_REVIEW_OF_SELF');
    expectError(await startAs(mara), 'FORBIDDEN', 'ACCESS_REVIEW_SUSPENDED');
    const restored = expectData(await app.gql(CONFIRM, { id: item.id, note: 'Checked her tickets' }, max));
    expect(restored.confirmAccessReviewItem).toMatchObject({ decision: 'CONFIRMED', viewRightSuspended: false });
    const again = await startSession(app, mara);
    await endSession(again.token, again.session.id);
  });
});

describe('Alerts', () => {
  it('the unanswered item raised one ACCESS_REVIEW_OVERDUE alert naming the manager', async () => {
    const alerts = await app.services.prisma.alert.findMany({ where: { rule: 'ACCESS_REVIEW_OVERDUE' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.summary).toContain('Mara Quinn');
  });
});

describe('Removal', () => {
  it('ends the manager’s live view at once and refuses starts until another reviewer confirms', async () => {
    const item = itemOf((await reviews())[0]!, 'Mara Quinn');
    const live = await startSession(app, mara);
    const removed = expectData(await app.gql(REMOVE, { id: item.id, note: 'No longer on the support rota' }, max));
    expect(removed.removeAccessReviewItem).toMatchObject({ decision: 'REMOVED', viewRightSuspended: true });
    const session = await app.services.prisma.impersonationSession.findUniqueOrThrow({
      where: { id: live.session.id },
    });
    expect(session.endState).toBe('REVOKED');
    expectError(await app.gql('query { me { id } }', {}, live.token), 'UNAUTHENTICATED');
    expectError(await startAs(mara), 'FORBIDDEN', 'ACCESS_REVIEW_SUSPENDED');
    const record = await app.services.prisma.auditEvent.findFirst({
      where: { action: 'ACCESS_REVIEW_REMOVED' },
      orderBy: { id: 'desc' },
    });
    expect(record).toMatchObject({ reason: 'No longer on the support rota' });

    expectData(await app.gql(CONFIRM, { id: item.id }, max));
    const back = await startSession(app, mara);
    await endSession(back.token, back.session.id);
  });
});

describe('Export', () => {
  it('a review downloads as CSV with human column names and salon local times, and the download is recorded', async () => {
    app.clock.set(SECOND_REVIEW_AT);
    await runAccessReviewsOnce(app.services);
    const [second] = await reviews();
    expect(second!.sequence).toBe(2);
    // Since the first review Mara started four views (the deadline and removal tests), Max one.
    expect(itemOf(second!, 'Mara Quinn').views).toBe(4);
    expect(itemOf(second!, 'Max Okafor').views).toBe(1);
    app.clock.advance(MINUTE);
    const maxItem = itemOf(second!, 'Max Okafor');
    expectData(await app.gql(REMOVE, { id: maxItem.id, note: 'Left the company, "for good"' }, mara));

    const file = expectData(await app.gql(CSV, { id: second!.id }, max)).accessReviewCsv;
    expect(file.fileName).toBe('access-review-2-2027-05-05.csv');
    const lines = file.content.split('\r\n');
    expect(lines[0]).toBe(
      'Review,Period from (America/Los_Angeles),Opened (America/Los_Angeles),Deadline (America/Los_Angeles),' +
        'Manager,Manager email,Staff views,Protected-customer views,Break-glass uses,Decision,Decided by,' +
        'Decided at (America/Los_Angeles),Note',
    );
    expect(lines).toHaveLength(4);
    const rows = lines.slice(1, 3);
    expect(rows).toEqual([
      '2,2027-01-31 04:01,2027-05-05 09:30,2027-05-19 09:30,Mara Quinn,mara@salon.test,4,0,0,Waiting for a reviewer,,,',
      '2,2027-01-31 04:01,2027-05-05 09:30,2027-05-19 09:30,Max Okafor,max@salon.test,1,0,0,Removed,Mara Quinn,2027-05-05 09:31,' +
        '"Left the company, ""for good"""',
    ]);
    const download = await app.services.prisma.auditEvent.findFirst({
      where: { action: 'AUDIT_EXPORTED', operationType: 'access-review' },
    });
    expect(download).toMatchObject({ rootFields: ['accessReviewCsv'] });
  });

  it('a staff member who is not a manager cannot download a review', async () => {
    const [review] = await reviews();
    expectError(await app.gql(CSV, { id: review!.id }, rita), 'FORBIDDEN');
  });
});

describe('A salon with one manager', () => {
  it('keeps the right of a lone manager nobody could review, and records it', async () => {
    // Max leaves without anyone removing him (the operator): Mara is the salon's only manager.
    await app.services.prisma.staff.update({ where: { email: 'max@salon.test' }, data: { active: false } });
    const [second] = await reviews(mara);
    app.clock.set(new Date(new Date(second!.openedAt).getTime() + 91 * DAY));
    await runAccessReviewsOnce(app.services);
    const [third] = await reviews(mara);
    expect(third!.sequence).toBe(3);
    expect(third!.items.map((item) => item.staff.name)).toEqual(['Mara Quinn']);
    expect(third!.items[0]!.canDecide).toBe(false);

    app.clock.set(new Date(new Date(third!.deadlineAt).getTime() + MINUTE));
    await runAccessReviewsOnce(app.services);
    const [passed] = await reviews(mara);
    expect(passed!.items[0]).toMatchObject({ decision: 'NO_REVIEWER', viewRightSuspended: false });
    const view = await startSession(app, mara);
    await endSession(view.token, view.session.id);
  });

  it('suspends a lone manager who is alone because they removed the other manager', () => {
    expect(unansweredOutcome(0, false)).toBe('NO_REVIEWER');
    expect(unansweredOutcome(0, true)).toBe('SUSPENDED');
    expect(unansweredOutcome(1, false)).toBe('SUSPENDED');
  });
});
