// Access reviews in headless Chromium, on the real app serving the built client: a second quarterly
// review is open; Max opens "Access reviews" from the admin navigation, sees each manager's views
// since the last review and the deadline in the salon's time zone, cannot decide his own item,
// removes Mara's access with a note (keyboard only, in the dialog), downloads the review as CSV and
// restores Mara by confirming. axe checks the page and the dialog. Saves the README's screenshot
// (UPDATE_SCREENSHOTS=1). Skipped, with a notice, where there is no Chromium.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAccessReviewsOnce } from '../../server/access/reviews-job.ts';
import { DAY, MINUTE, STEP_UP_AFTER_A_YEAR } from '../factories.ts';
import { startTestApp, type TestApp } from '../harness.ts';
import { startSession } from '../impersonation-helpers.ts';
import { expectAccessible } from './axe.ts';
import { SCREENSHOTS, buildClient, hasChromium, launchBrowser, signIn } from './browser.ts';
import { expectFocusTrapped, tabTo } from './keyboard.ts';

const VIEWPORT = { width: 1280, height: 900 };
/** Reviews began on 1 Nov 2026; they open 91 days apart from 31 Jan 2027. */
const SALON_SINCE = new Date('2026-11-01T12:00:00Z');

describe.skipIf(!hasChromium)('Access reviews in the browser', () => {
  let app: TestApp;
  let browser: Browser;
  let max: Page;

  /** A staff view started and ended through the API, as `account`. */
  async function viewAndEnd(account: 'mara' | 'max', email: string) {
    const token = await app.signIn(account);
    const view = await startSession(app, token, email);
    await app.gql(
      'mutation End($id: ID!) { endImpersonation(sessionId: $id) { id } }',
      { id: view.session.id },
      view.token,
    );
    app.clock.advance(MINUTE);
  }

  beforeAll(async () => {
    await buildClient();
    app = await startTestApp({
      serveClient: true,
      config: {
        ...STEP_UP_AFTER_A_YEAR,
        SALON_TIME_ZONE: 'America/Los_Angeles',
        IMPERSONATION_STARTS_PER_WINDOW: 1000,
      },
    });
    await app.services.prisma.salonSettings.update({ where: { id: 1 }, data: { accessReviewsSince: SALON_SINCE } });
    // The first review, both managers confirmed by each other.
    app.clock.set(new Date(SALON_SINCE.getTime() + 91 * DAY));
    await runAccessReviewsOnce(app.services);
    const first = await app.services.prisma.accessReviewItem.findMany({ include: { staff: true } });
    for (const item of first) {
      await app.services.prisma.accessReviewItem.update({
        where: { id: item.id },
        data: {
          decision: 'CONFIRMED',
          decidedAt: app.clock.now(),
          decidedByStaffId: first.find((other) => other !== item)!.staffId,
        },
      });
    }
    // A quarter of staff views, then the second review.
    app.clock.advance(10 * DAY);
    await viewAndEnd('mara', 'chloe@example.test');
    await viewAndEnd('mara', 'chloe@example.test');
    await viewAndEnd('mara', 'chloe@example.test');
    await viewAndEnd('max', 'chloe@example.test');
    app.clock.set(new Date(SALON_SINCE.getTime() + 182 * DAY + 17 * 60 * MINUTE));
    await runAccessReviewsOnce(app.services);
    browser = await launchBrowser();
    max = await (
      await browser.newContext({ baseURL: new URL(app.url).origin, viewport: VIEWPORT, locale: 'en-US' })
    ).newPage();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('Max opens Access reviews and sees each manager’s views and the deadline in salon time', async () => {
    await signIn(max, 'max');
    await max
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: 'Access reviews', exact: true })
      .click();
    await max.getByRole('heading', { name: 'Review 2' }).waitFor();
    const mara = max.locator('[data-review-item="Mara Quinn"]');
    await expect(mara.getByRole('cell').nth(1).textContent()).resolves.toBe('3');
    const own = max.locator('[data-review-item="Max Okafor"]');
    await expect(own.getByRole('cell').nth(1).textContent()).resolves.toBe('1');
    await expect(own.getByRole('button').count()).resolves.toBe(0);
    // Opened 3 May 2027 05:00 UTC; + 14 days = 17 May 05:00 UTC: 10:00 PM the evening before in Los Angeles (PDT).
    await expect(max.getByTestId('latest-review').textContent()).resolves.toContain(
      'Answer by May 16, 2027, 10:00 PM PDT',
    );
    await max.getByRole('heading', { name: 'Past reviews' }).waitFor();
    await expectAccessible(max, 'Access reviews');
  });

  it('Max removes Mara’s access with a note, by keyboard, and the page says so', async () => {
    const mara = max.locator('[data-review-item="Mara Quinn"]');
    const remove = mara.getByRole('button', { name: 'Remove Mara Quinn' });
    await tabTo(max, remove);
    await max.keyboard.press('Enter');
    const dialog = max.getByTestId('remove-access-dialog');
    await dialog.waitFor();
    await expectAccessible(max, 'Remove access dialog');
    await expectFocusTrapped(max, dialog);
    await dialog.getByLabel('Why (managers and audit only)').focus();
    await max.keyboard.type('Moved to the front desk: no support tickets any more');
    await tabTo(max, dialog.getByRole('button', { name: 'Remove access' }));
    await max.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await mara.getByText('Removed', { exact: true }).waitFor();
    await mara.getByText('Cannot view customers until another manager confirms.').waitFor();
    await max.screenshot({ path: `${SCREENSHOTS}access-review.png` });
    const item = await app.services.prisma.accessReviewItem.findFirstOrThrow({
      where: { staff: { name: 'Mara Quinn' }, review: { sequence: 2 } },
      include: { staff: true },
    });
    expect(item).toMatchObject({ decision: 'REMOVED', note: 'Moved to the front desk: no support tickets any more' });
    expect(item.staff.viewRightSuspendedAt).not.toBeNull();
  });

  it('the review downloads as CSV with human column names in salon time', async () => {
    const [download] = await Promise.all([max.waitForEvent('download'), max.getByTestId('review-csv-2').click()]);
    expect(download.suggestedFilename()).toBe('access-review-2-2027-05-02.csv');
    const content = readFileSync((await download.path())!, 'utf8');
    const [heading, ...rows] = content.split('\r\n');
    expect(heading).toContain('Manager,Manager email,Staff views,Protected-customer views,Break-glass uses,Decision');
    expect(rows.find((row) => row.includes('Mara Quinn'))).toContain(',Removed,Max Okafor,');
  });

  it('Max restores Mara by confirming her item', async () => {
    const mara = max.locator('[data-review-item="Mara Quinn"]');
    const confirm = mara.getByRole('button', { name: 'Confirm and restore Mara Quinn' });
    await tabTo(max, confirm);
    await max.keyboard.press('Enter');
    await mara.getByText('Confirmed', { exact: true }).waitFor();
    const staff = await app.services.prisma.staff.findUniqueOrThrow({ where: { email: 'mara@salon.test' } });
    expect(staff.viewRightSuspendedAt).toBeNull();
  });
});
